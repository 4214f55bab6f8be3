import json

import pytest

from gamecwm.games import catalog
from gamecwm.prompts import build_prompt
from gamecwm.train.data import DataConfig, build_datasets, read_jsonl, training_packs


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    # every kind of row: every file is checked for leakage below
    config = DataConfig(out=tmp_path_factory.mktemp("data"), valid_games=2, seed=42, phrasings=3, function_rows=2,
                        repair_rows=1)  # fmt: skip
    return build_datasets(config)


def rows_by_kind(rows):
    """Module, function and repair rows told apart by their shape."""
    kinds = {"module": [], "function": [], "repair": []}
    for row in rows:
        messages = row["messages"]
        kind = "repair" if len(messages) == 5 else "function" if "Write only `" in messages[1]["content"] else "module"
        kinds[kind].append(row)
    return kinds


def test_training_games_come_in_curriculum_order():
    packs = training_packs()
    assert [p.tier for p in packs] == sorted(p.tier for p in packs)
    assert {p.split for p in packs} == {"train"} and len(packs) == 23


def test_module_rows_hold_each_phrasing_and_the_reference(files):
    train = rows_by_kind(read_jsonl(files["sft/train"]))
    valid = read_jsonl(files["sft/valid"])
    manifest = json.loads(files["manifest"].read_text())
    assert manifest["sft_rows"] == {"train": 21 * (3 + 2 + 1), "valid": 2}
    assert [len(rows) for rows in train.values()] == [21 * 3, 21 * 2, 21]
    prompts = {(build_prompt(p, k), k): p for p in training_packs() for k in range(3)}
    seen = set()
    for row in train["module"] + valid:
        assert [m["role"] for m in row["messages"]] == ["system", "user", "assistant"]
        answer = row["messages"][2]["content"]
        assert answer.startswith("```python\n") and answer.endswith("\n```")
        ((pack, phrasing),) = [(p, k) for (text, k), p in prompts.items() if text == row["messages"][1]["content"]]
        assert answer == f"```python\n{pack.reference_source.rstrip()}\n```"
        seen.add((pack.id, phrasing))
    assert {k for _, k in seen} == {0, 1, 2} and len(seen) == 21 * 3 + 2  # valid games: phrasing 0 only


def test_function_rows_ask_for_one_function_and_answer_with_the_references_code(files):
    import ast

    from gamecwm.train.functions import contract_functions, reassemble
    from gamecwm.verifier import VerifyConfig, verify

    packs = {p.id: p for p in training_packs()}
    rows = rows_by_kind(read_jsonl(files["sft/train"]))["function"]
    asked = {}
    for row in rows:
        system, prompt, reply = row["messages"]
        name = prompt["content"].split("Write only `")[1].split("`")[0]
        pack = next(p for p in packs.values() if prompt["content"].startswith(build_prompt(p).rsplit("\n", 2)[0]))
        assert name in contract_functions(pack)
        asked.setdefault(pack.id, []).append(name)
        code = reply["content"].removeprefix("```python\n").removesuffix("```")
        reference = {ast.dump(node) for node in ast.parse(pack.reference_source).body}
        assert {ast.dump(node) for node in ast.parse(code).body} <= reference  # the reference's own statements
        assert any(getattr(node, "name", None) == name for node in ast.parse(code).body)
        if pack.id in ("tic_tac_toe", "kuhn_poker"):  # put back into the reference, it still verifies at 1.0
            assert verify(reassemble(pack.reference_source, code), pack, VerifyConfig.for_reward()).overall == 1.0
    assert len(asked) == 21 and all(len(set(names)) == 2 for names in asked.values())


def test_prompt_completion_rows_match_the_chat_rows(files):
    chat = read_jsonl(files["sft/train"])
    pc = read_jsonl(files["sft/prompt_completion/train"])
    assert [r["prompt"] + r["completion"] for r in pc] == [r["messages"] for r in chat]


def test_valid_games_are_training_games_kept_out_of_train(files):
    manifest = json.loads(files["manifest"].read_text())
    train, valid = set(manifest["sft"]["train"]), set(manifest["sft"]["valid"])
    assert len(valid) == 2 and not train & valid
    assert train | valid == {p.id for p in training_packs()}
    assert len({next(p.tier for p in training_packs() if p.id == g) for g in valid}) == 2  # spread over tiers


def test_grpo_rows_per_tier_in_order(files):
    rows = read_jsonl(files["grpo/train"])
    assert [r["tier"] for r in rows] == sorted(r["tier"] for r in rows)
    assert all([m["role"] for m in r["prompt"]] == ["system", "user"] for r in rows)
    for tier in (1, 2, 3, 4):
        tier_rows = read_jsonl(files[f"grpo/tier{tier}"])
        assert tier_rows == [r for r in rows if r["tier"] == tier] and tier_rows


def test_held_out_games_never_appear_in_training_files(files):
    held_out = [p for p in catalog() if p.split == "eval"]
    assert len(held_out) == 7
    texts = {name: path.read_text() for name, path in files.items() if name != "manifest"}
    for pack in held_out:
        rules_line = next(line for line in pack.rules.splitlines() if len(line) > 60)
        for name, text in texts.items():
            assert f'"game_id": "{pack.id}"' not in text, (pack.id, name)
            assert json.dumps(rules_line)[1:-1] not in text, (pack.id, name)
            assert json.dumps(pack.reference_source.strip()[:200])[1:-1] not in text, (pack.id, name)


def test_repair_rows_show_a_verified_bug_and_end_in_the_reference(files):
    from gamecwm.verifier import VerifyConfig, verify

    rows = rows_by_kind(read_jsonl(files["sft/train"]))["repair"]
    manifest = json.loads(files["manifest"].read_text())
    packs = {p.id: p for p in training_packs()}
    assert len(rows) == len(manifest["sft"]["train"]) == 21  # one per training game, none from valid games
    seen = set()
    for row in rows:
        system, prompt, buggy, feedback, target = row["messages"]
        assert [m["role"] for m in row["messages"]] == ["system", "user", "assistant", "user", "assistant"]
        pack = next(p for p in packs.values() if build_prompt(p) == prompt["content"])
        seen.add(pack.id)
        assert pack.id in manifest["sft"]["train"]
        assert target["content"] == f"```python\n{pack.reference_source.rstrip()}\n```"
        assert buggy["content"].startswith("```python\n") and pack.reference_source not in buggy["content"]
        assert feedback["content"].startswith("A verifier ran your module and these checks failed:\n- ")
    assert len(seen) == 21
    # the targets are the references, which verify at 1.0 (checked here on two of them; all in tests/games)
    for game in ("tic_tac_toe", "kuhn_poker"):
        assert verify(packs[game].reference_source, packs[game], VerifyConfig.for_reward()).overall == 1.0


def test_mutants_edit_only_their_site_and_compile():
    import ast

    from gamecwm.train.mutants import mutation_sites

    source = training_packs()[0].reference_source
    for site in mutation_sites(source):
        mutant = site.apply(source)
        ast.parse(mutant)
        lines = zip(source.splitlines(), mutant.splitlines(), strict=False)  # a dropped branch is shorter
        changed = [i for i, (a, b) in enumerate(lines) if a != b]
        assert changed and changed[0] == site.start[0] - 1, site.name


def test_trl_reads_both_forms_as_conversational(files):
    from datasets import load_dataset
    from trl.data_utils import is_conversational

    chat = load_dataset("json", data_files=str(files["sft/train"]), split="train")
    pc = load_dataset("json", data_files=str(files["sft/prompt_completion/train"]), split="train")
    assert is_conversational(chat[0]) and is_conversational(pc[0])
    assert set(pc.column_names) == {"prompt", "completion"}


def test_mlx_lm_reads_the_chat_files(files):
    pytest.importorskip("mlx.core", reason="mlx does not install on this platform")
    from mlx_lm.tuner.datasets import ChatDataset, load_local_dataset

    from gamecwm.train.tiny import load_embedded_tokenizer

    train, valid, _ = load_local_dataset(files["sft/train"].parent, load_embedded_tokenizer(), _mlx_args())
    assert isinstance(train, ChatDataset) and len(train) == 21 * 6 and len(valid) == 2
    tokens, offset = train.process(train[0])
    assert 0 < offset < len(tokens)  # with mask_prompt, the loss starts after the prompt


def _mlx_args():
    from types import SimpleNamespace

    return SimpleNamespace(mask_prompt=True, chat_feature="messages", text_feature="text",
                           prompt_feature="prompt", completion_feature="completion")  # fmt: skip


def test_cli_writes_the_files(tmp_path, capsys):
    from gamecwm.cli import main

    assert main(["data", "--out", str(tmp_path / "d"), "--valid-games", "1"]) == 0
    out = capsys.readouterr().out
    assert "21" not in out.split("\n")[0] and "22 train, 1 valid" in out
    assert (tmp_path / "d" / "sft" / "valid.jsonl").read_text().count("\n") == 1


def test_too_many_valid_games_is_an_error(tmp_path):
    with pytest.raises(ValueError, match="valid_games"):
        build_datasets(DataConfig(out=tmp_path, valid_games=23))
