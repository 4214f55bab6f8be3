"""The runtime: code extraction, best-of-N, repair prompts, and real generation with the embedded model."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from gamecwm.cli import main
from gamecwm.games import get_pack, rules_only_pack
from gamecwm.prompts import build_messages
from gamecwm.runtime import Draft, GenerateConfig, extract_code, generate, repair_messages
from gamecwm.verifier import VerifyConfig, verify


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("```python\nx = 1\n```", "x = 1\n"),
        ("intro\n```py\nx = 1\n```\noutro", "x = 1\n"),
        ("```\nx = 1\n```", "x = 1\n"),  # unlabelled fence
        ("```python\na = 1\n```\ntext\n```python\nb = 2\nc = 3\n```", "b = 2\nc = 3\n"),  # the longest block
        ("```text\nnot code at all here\n```\n```python\nx = 1\n```", "x = 1\n"),  # python blocks first
        ("```python\ndef f():\n    return 1", "def f():\n    return 1\n"),  # unterminated (token budget)
        ("def f():\n    return 1\n", "def f():\n    return 1\n"),  # no fence, but Python
        ("I cannot write that game.", None),  # no fence, not Python
        ("", None),
    ],
)
def test_extract_code(text, expected):
    assert extract_code(text) == expected


class ScriptedGenerator:
    """Replies from a list, recording what it was asked."""

    def __init__(self, replies: list[str]) -> None:
        self.replies, self.calls = list(replies), []

    def stream(self, messages, temperature=0.3, max_tokens=4096, seed=0):
        self.calls.append(SimpleNamespace(messages=messages, seed=seed))
        reply = self.replies.pop(0)
        yield from (reply[i : i + 50] for i in range(0, len(reply), 50))


def fenced(source: str) -> str:
    return f"Here is the module.\n```python\n{source}```\n"


PACK = get_pack("tic_tac_toe")
BROKEN = PACK.reference_source.replace("winner = player if _completes_line(board, row, col) else None", "winner = None")


def test_best_of_n_ranks_by_the_verifiers_reward():
    generator = ScriptedGenerator(["no code, sorry", fenced(BROKEN), fenced(PACK.reference_source)])
    drafts = generate(PACK, generator, GenerateConfig(samples=3))
    assert [d.label for d in drafts] == ["sample 3", "sample 2", "sample 1"]
    assert drafts[0].reward == 1.0 and 0 < drafts[1].reward < 1.0 and drafts[2].code is None
    assert [call.seed for call in generator.calls] == [0, 1, 2]  # one seed per reply


def test_repair_feeds_the_failing_checks_back_and_keeps_the_better_module():
    generator = ScriptedGenerator([fenced(BROKEN), fenced(PACK.reference_source)])
    streamed = []
    drafts = generate(PACK, generator, GenerateConfig(samples=1, repair=2), on_text=lambda _, c: streamed.append(c))
    assert len(generator.calls) == 2  # the repair reached reward 1.0, so no third round
    repair_prompt = generator.calls[1].messages[-1]["content"]
    assert "A verifier ran your module and these checks failed" in repair_prompt
    assert "scenarios/x wins on the top row" in repair_prompt and "expected True, got False" in repair_prompt
    assert generator.calls[1].messages[-2] == {"role": "assistant", "content": f"```python\n{BROKEN}```"}
    assert drafts[0].label == "repair 1" and drafts[0].reward == 1.0
    assert "".join(streamed).count("Here is the module.") == 2


def test_repair_prompt_without_code_asks_for_a_code_block():
    messages = repair_messages(PACK, Draft("sample", 1, 0, "I will not.", None))
    assert messages[-1]["content"].startswith("Your answer contained no Python code block.")


def test_a_bare_rules_file_is_a_pack_without_scenarios_or_reference(tmp_path):
    rules = tmp_path / "rules.md"
    rules.write_text(PACK.rules)
    pack = rules_only_pack(rules, "perfect")
    assert pack.name == "Tic-Tac-Toe" and not pack.has_reference and pack.scenarios == []
    report = verify(PACK.reference_source, pack, VerifyConfig(fuzz_games=5))
    assert set(report.tiers) == {"static", "dynamics"} and report.overall == 1.0


@pytest.fixture(scope="module")
def embedded():
    from gamecwm.runtime import LlamaGenerator

    return LlamaGenerator(n_ctx=2048)


def test_generation_with_the_embedded_model_is_deterministic(embedded):
    messages = [{"role": "user", "content": "Write a Python function that adds two numbers."}]
    # a cold cache evaluates the prompt's last token in a batch, a warm one alone: with the shipped LoRA
    # the logits differ in their last bits, so determinism holds for a given cache state (LlamaGenerator.stream)
    "".join(embedded.stream(messages, temperature=0.7, max_tokens=40, seed=3))
    first = "".join(embedded.stream(messages, temperature=0.7, max_tokens=40, seed=3))
    second = "".join(embedded.stream(messages, temperature=0.7, max_tokens=40, seed=3))
    assert first == second and len(first) > 20
    assert embedded.count_tokens(first) <= 41


def test_generate_command_writes_the_best_module(tmp_path, capsys):
    out = tmp_path / "generated.py"
    args = ["generate", "tic_tac_toe", "--samples", "1", "--max-tokens", "64", "--quiet", "-o", str(out)]
    assert main(args) in (0, 1)  # 1 when the small model wrote no code at all
    err = capsys.readouterr().err
    assert "Tic-Tac-Toe with SmolLM2-135M-Instruct.Q4_1.gguf + gamecwm-smollm2-135m.lora.gguf: 1 samples" in err
    assert "sample 1:" in err


def test_missing_model_file_is_a_clear_error(capsys):
    assert main(["generate", "tic_tac_toe", "--model", "runs/none.gguf"]) == 2
    assert (
        "model file not found: runs/none.gguf; build one with `make export-gguf` or pass --model"
        in capsys.readouterr().err
    )


class FakeLlama:
    """Streams a reply in pieces like `Llama.create_chat_completion(stream=True)`, counting what it sent."""

    def __init__(self, pieces: list[str]) -> None:
        self.pieces, self.sent, self.stream = pieces, 0, None

    def create_chat_completion(self, **kwargs):
        def chunks():
            for piece in self.pieces:
                self.sent += 1
                yield {"choices": [{"delta": {"content": piece}}]}

        self.stream = chunks()
        return self.stream


def generator_with(llm):
    from gamecwm.runtime import LlamaGenerator

    generator = LlamaGenerator.__new__(LlamaGenerator)  # no model file: the fake stands in for llama.cpp
    generator.llm = llm
    return generator


def test_generation_stops_once_the_code_block_closes():
    pieces = ["Sure.\n```py", "thon\nx = 1\n", "```", "\n", "This module ", "implements ", "the game."]
    llm = FakeLlama(pieces)
    text = "".join(generator_with(llm).stream([]))
    assert text == "Sure.\n```python\nx = 1\n```\n" and extract_code(text) == "x = 1\n"
    assert llm.sent == 4 and llm.stream.gi_frame is None  # llama.cpp's loop was closed, not drained
    llm = FakeLlama(pieces)
    assert "".join(generator_with(llm).stream([], stop_after_code=False)).endswith("the game.")


def test_samples_of_one_game_reuse_the_prompts_kv_cache(embedded):
    # llama-cpp-python keeps the last sequence's KV cache: a new sample of the same prompt, or a repair
    # round that extends it, evaluates only the tokens it does not share
    llm, evaluated = embedded.llm, []
    original = llm.eval
    llm.eval = lambda tokens: (evaluated.append(len(tokens)), original(tokens))[1]
    try:
        messages = build_messages(PACK)
        llm.reset()
        "".join(embedded.stream(messages, max_tokens=4, seed=1))
        first = evaluated[0]
        evaluated.clear()
        "".join(embedded.stream(messages, max_tokens=4, seed=2))
        again = evaluated[0]
        evaluated.clear()
        repair = messages + [{"role": "assistant", "content": "x = 1"}, {"role": "user", "content": "Fix it."}]
        "".join(embedded.stream(repair, max_tokens=4, seed=3))
        extended = evaluated[0]
    finally:
        del llm.eval
    assert first > 500  # the whole prompt: rules, contract, action specification
    assert again <= 2 and extended < 40
