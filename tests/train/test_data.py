import json

import pytest

from gamecwm.games import catalog
from gamecwm.prompts import build_prompt
from gamecwm.train.data import DataConfig, build_datasets, read_jsonl, training_packs


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    # one repair row per training game: every file, repair rows included, is checked for leakage below
    return build_datasets(DataConfig(out=tmp_path_factory.mktemp("data"), valid_games=2, seed=42, repair_rows=1))


def test_training_games_come_in_curriculum_order():
    packs = training_packs()
    assert [p.tier for p in packs] == sorted(p.tier for p in packs)
    assert {p.split for p in packs} == {"train"} and len(packs) == 23


def test_sft_chat_rows_hold_the_prompt_and_the_reference(files):
    rows = read_jsonl(files["sft/train"]) + read_jsonl(files["sft/valid"])
    assert len(rows) == 23
    by_prompt = {p.id: p for p in training_packs()}
    for row in rows:
        roles = [m["role"] for m in row["messages"]]
        assert roles == ["system", "user", "assistant"]
        answer = row["messages"][2]["content"]
        assert answer.startswith("```python\n") and answer.endswith("\n```")
        pack = next(p for p in by_prompt.values() if build_prompt(p) == row["messages"][1]["content"])
        assert pack.reference_source.strip() in answer


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

    rows = read_jsonl(files["sft/repair/train"])
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
    assert isinstance(train, ChatDataset) and len(train) == 21 and len(valid) == 2
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
