"""`gamecwm eval --samples-dir`: several models side by side, external packs, and the written report."""

from __future__ import annotations

import csv
import json
import shutil

import pytest

from gamecwm.cli import main
from gamecwm.eval.samples import discover, game_of, game_pool
from gamecwm.games import get_pack
from tests.eval.fakes import BROKEN, MUTANTS

PNG = b"\x89PNG\r\n\x1a\n"
FAST = ["--fuzz-games", "5", "--bootstrap", "500", "--jobs", "2"]
LONG_DIR = "a-long-folder-name-" * 8  # 152 characters: printed paths must survive a wrapping console


def write(path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


@pytest.fixture
def two_models(tmp_path):
    """model_a: two references and a broken module; model_b: a mutant, a reference and a reply without code.
    Under a 152-character folder name, so that the paths printed are far longer than 80 columns."""
    root = tmp_path / LONG_DIR / "generated"
    ttt, kuhn = get_pack("tic_tac_toe").reference_source, get_pack("kuhn_poker").reference_source
    write(root / "model_a" / "tic_tac_toe_0.py", ttt)
    write(root / "model_a" / "tic_tac_toe_1.py", BROKEN)
    write(root / "model_a" / "kuhn_poker_0.py", kuhn)
    write(root / "model_b" / "tic_tac_toe_0.py", MUTANTS["tic_tac_toe"])
    write(root / "model_b" / "kuhn_poker_0.py", kuhn)
    write(root / "model_b" / "kuhn_poker_extra.txt", "Sorry, I cannot write this.")
    write(root / "model_b" / "notes.py", "# not a sample\n")
    return root


def test_game_of_takes_the_longest_matching_id():
    pool = game_pool()
    assert game_of("gen_tic_tac_toe_3", pool) == "gen_tic_tac_toe"
    assert game_of("tic_tac_toe_sample_a", pool) == "tic_tac_toe"
    assert game_of("tic_tac_toe_", pool) is None and game_of("notes", pool) is None


def test_discover_reads_each_model_folder(two_models):
    samples, unmatched = discover(two_models, game_pool())
    assert sorted({s.model for s in samples}) == ["model_a", "model_b"]
    assert [p.name for p in unmatched] == ["notes.py"]
    no_code = [s for s in samples if s.code is None]
    assert [(s.model, s.game, s.sample) for s in no_code] == [("model_b", "kuhn_poker", "extra")]
    only_kuhn, _ = discover(two_models, game_pool(), ["kuhn_poker"])
    assert {s.game for s in only_kuhn} == {"kuhn_poker"}


def test_two_models_give_two_rows_tables_and_plots(two_models, tmp_path, capsys):
    out = tmp_path / "report"
    assert main(["eval", "--samples-dir", str(two_models), "--out", str(out), *FAST]) == 0
    printed = capsys.readouterr()
    assert "model_a" in printed.out and "model_b" in printed.out
    notes = two_models / "model_b" / "notes.py"
    assert any(line.startswith(f"skipped {notes}: ") for line in printed.err.splitlines())  # whole, unbroken
    rows = [r for r in csv.DictReader((out / "results.csv").open()) if r["game"] == "all"]
    assert [(r["model"], r["n"], r["no_code"]) for r in rows] == [("model_a", "3", "0"), ("model_b", "3", "1")]
    a, b = json.loads((out / "results.json").read_text())["models"]
    assert a["overall"]["mean"] == pytest.approx(2 / 3)  # two perfect references and a syntax error
    assert b["tiers"]["information"]["n"] == 2  # Kuhn poker's two samples only
    paired = json.loads((out / "results.json").read_text())["paired"]
    assert len(paired) == 1 and paired[0]["overall"]["n"] == 2  # (tic_tac_toe, 0) and (kuhn_poker, 0)
    assert paired[0]["overall"]["mean"] > 0  # model_a's reference against model_b's mutant
    report = (out / "report.md").read_text()
    for heading in ("## Models", "## Tiers", "## Per game: model_a", "## Per game: model_b", "## Paired differences"):
        assert heading in report
    assert "| model | N | no code | overall | 90% CI | 95% CI |" in report
    assert "| model_a - model_b | 2 |" in report and "left out of that tier's mean" in report
    for name in ("means.png", "tiers.png"):
        data = (out / name).read_bytes()
        assert data.startswith(PNG) and len(data) > 5000


def test_an_eval_output_folder_is_read_as_its_model(tmp_path, capsys):
    root = tmp_path / "results"
    write(root / "mine" / "samples" / "tic_tac_toe_0.py", get_pack("tic_tac_toe").reference_source)
    write(root / "mine" / "samples" / "tic_tac_toe_1.txt", "no code here")
    write(root / "mine" / "samples" / "tic_tac_toe_1.json", "{}")
    out = tmp_path / "report"
    assert main(["eval", "--samples-dir", str(root), "--out", str(out), "--no-plots", *FAST]) == 0
    (model,) = json.loads((out / "results.json").read_text())["models"]
    assert (model["model"], model["n"], model["overall"]["mean"]) == ("mine", 2, 0.5)
    assert not (out / "means.png").exists()


def test_external_packs_are_evaluated(tmp_path, capsys):
    pack = tmp_path / "packs" / "my_ttt"
    shutil.copytree(get_pack("tic_tac_toe").path, pack)
    toml = (pack / "game.toml").read_text()
    (pack / "game.toml").write_text(toml.replace('id = "tic_tac_toe"', 'id = "my_ttt"'))
    root = tmp_path / "generated"
    write(root / "m" / "my_ttt_0.py", get_pack("tic_tac_toe").reference_source)
    out = tmp_path / "report"
    args = ["eval", "--samples-dir", str(root), "--packs", str(tmp_path / "packs"), "--out", str(out), "--no-plots"]
    assert main(args + FAST) == 0
    saved = json.loads((out / "results.json").read_text())
    assert saved["games"] == ["my_ttt"] and saved["models"][0]["overall"]["mean"] == 1.0


def test_usage_errors_name_the_problem(tmp_path, capsys):
    assert main(["eval", "--samples-dir", str(tmp_path), "--out", str(tmp_path / "o")]) == 2
    assert "no samples in" in capsys.readouterr().err
    assert main(["eval", "--samples-dir", str(tmp_path), "--model", "x.gguf"]) == 2
    assert "not both" in capsys.readouterr().err
    assert main(["eval", "--games", "tic_tac_two", "--samples-dir", str(tmp_path)]) == 2
    assert "unknown game(s) tic_tac_two" in capsys.readouterr().err


def test_strict_and_published_scores_side_by_side(two_models, tmp_path):
    out = tmp_path / "report"
    assert main(["eval", "--samples-dir", str(two_models), "--out", str(out), *FAST, "--scoring", "both"]) == 0
    saved = json.loads((out / "results.json").read_text())
    a, b = saved["models"]
    assert a["published"]["mean"] == pytest.approx(2 / 3)  # two references and a syntax error, as strict
    # A reply without code: the published pipeline scores its imports-only file, (1/7 + 3/4 + 0 + 0) / 4
    # in a hidden-information game (the dynamics checks of a game that always crashes pass but no_crash).
    kuhn = saved["per_game"]["model_b"]["kuhn_poker"]
    assert kuhn["overall"]["mean"] == pytest.approx(0.5) and kuhn["published"]["mean"] == pytest.approx(
        (1 + 25 / 112) / 2
    )
    assert saved["paired"][0]["published"]["n"] == 2
    rows = list(csv.DictReader((out / "results.csv").open()))
    assert {"published", "published_ci95_low", "published_static", "published_information"} <= set(rows[0])
    report = (out / "report.md").read_text()
    assert "| published | published 95% CI |" in report and "## Published tiers" in report
    strict = tmp_path / "strict"
    assert main(["eval", "--samples-dir", str(two_models), "--out", str(strict), *FAST, "--scoring", "strict"]) == 0
    assert "published" not in json.loads((strict / "results.json").read_text())["models"][0]
