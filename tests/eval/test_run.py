"""`run_eval` with a fake backend of known proportions: means, tiers and intervals equal hand computations,
and a second run (or an interrupted one) redoes nothing it had written."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from statistics import mean

import pytest

from gamecwm.eval.config import EvalConfig
from gamecwm.eval.report import write_report
from gamecwm.eval.run import run_eval
from gamecwm.games import get_pack
from gamecwm.verifier import verify
from tests.eval.fakes import BOOTSTRAP, CONFIG, GAMES, KINDS, CountingVerify, FakeBackend, code_of, numpy_interval

SAMPLES = 8  # two of each kind per game


def config(tmp_path, **overrides) -> EvalConfig:
    settings = {
        "name": "fake",
        "games": ",".join(GAMES),
        "samples": SAMPLES,
        "out": tmp_path / "out",
        "bootstrap": BOOTSTRAP,
        "jobs": 2,
    } | overrides
    return EvalConfig(**settings)


@pytest.fixture(scope="module")
def expected() -> dict[tuple[str, str], dict]:
    """Each (game, kind)'s verdict from a direct `verify` call: overall, reward and tier scores."""
    table = {}
    for game in GAMES:
        for kind in KINDS:
            code = code_of(game, kind)
            if code is None:
                table[game, kind] = None
                continue
            report = verify(code, get_pack(game), CONFIG)
            table[game, kind] = {
                "overall": report.overall,
                "reward": report.reward,
                "tiers": {t: tier.score for t, tier in report.tiers.items()},
            }
    return table


def test_the_fake_proportions_are_what_they_claim(expected):
    for game in GAMES:
        assert expected[game, "reference"]["overall"] == 1.0
        assert 0.0 < expected[game, "mutant"]["overall"] < 1.0
        assert expected[game, "broken"]["overall"] == 0.0
    assert expected["tic_tac_toe", "mutant"]["tiers"]["scenarios"] < 1.0
    assert expected["kuhn_poker", "mutant"]["tiers"]["information"] < 1.0
    assert "information" not in expected["tic_tac_toe", "reference"]["tiers"]


def hand_values(expected, metric: str) -> list[float]:
    """Per-sample values in the report's order (games in catalog order, samples by k)."""
    values = []
    for game in GAMES:
        for k in range(SAMPLES):
            verdict = expected[game, KINDS[k % 4]]
            if metric in ("overall", "reward"):
                values.append(verdict[metric] if verdict else 0.0)
            elif verdict is None:  # no code: 0 on each tier the game has
                values += [0.0] if metric in expected[game, "reference"]["tiers"] else []
            elif metric in verdict["tiers"]:
                values.append(verdict["tiers"][metric])
    return values


def test_report_equals_hand_computation(tmp_path, expected):
    backend = FakeBackend()
    run = run_eval(config(tmp_path), backend=backend, verify_config=CONFIG)
    report, paths = write_report(run, plots=False)
    assert backend.conversations == len(GAMES) * SAMPLES
    assert len(report["models"]) == 1
    model = report["models"][0]
    assert model["n"] == 16 and model["no_code"] == 4
    for metric in ("overall", "reward"):
        values = hand_values(expected, metric)
        assert model[metric]["mean"] == pytest.approx(mean(values))
        assert model[metric]["ci90"] == pytest.approx(numpy_interval(values, 0.90, BOOTSTRAP))
        assert model[metric]["ci95"] == pytest.approx(numpy_interval(values, 0.95, BOOTSTRAP))
    for tier in ("static", "dynamics", "scenarios", "information", "trajectory", "information_sets"):
        values = hand_values(expected, tier)
        assert model["tiers"][tier]["n"] == len(values)
        assert model["tiers"][tier]["mean"] == pytest.approx(mean(values)), tier
        assert model["tiers"][tier]["ci95"] == pytest.approx(numpy_interval(values, 0.95, BOOTSTRAP))
    # information exists only for Kuhn poker: its mean is over those 8 samples, not 16 with zeros
    assert model["tiers"]["information"]["n"] == SAMPLES
    per_game = report["per_game"]["fake"]
    ttt = expected["tic_tac_toe", "mutant"]
    assert per_game["tic_tac_toe"]["overall"]["mean"] == pytest.approx((2 * 1.0 + 2 * ttt["overall"]) / SAMPLES)
    assert per_game["tic_tac_toe"]["tiers"]["scenarios"]["mean"] == pytest.approx(
        (2 * 1.0 + 2 * ttt["tiers"]["scenarios"]) / SAMPLES
    )
    assert "information" not in per_game["tic_tac_toe"]["tiers"]

    rows = list(csv.DictReader((run.out / "results.csv").open()))
    assert [(r["model"], r["game"]) for r in rows] == [("fake", "all"), ("fake", "tic_tac_toe"), ("fake", "kuhn_poker")]
    assert float(rows[0]["overall"]) == pytest.approx(model["overall"]["mean"]) and rows[1]["information"] == ""
    saved = json.loads((run.out / "results.json").read_text())
    assert saved["models"] == report["models"] and len(saved["samples"]) == 16
    assert saved["timings"]["generated"] == 16 and saved["timings"]["verified"] == 6  # 3 distinct modules a game


def test_samples_are_stored_with_their_raw_replies(tmp_path):
    run = run_eval(config(tmp_path, games="tic_tac_toe", samples=4), backend=FakeBackend(), verify_config=CONFIG)
    folder = run.out / "samples"
    assert (folder / "tic_tac_toe_0.py").read_text() == get_pack("tic_tac_toe").reference_source
    assert not (folder / "tic_tac_toe_3.py").exists()  # no code in the reply ...
    assert "not able" in (folder / "tic_tac_toe_3.txt").read_text()  # ... but the reply is kept
    meta = json.loads((folder / "tic_tac_toe_2.json").read_text())
    assert meta["has_code"] and meta["settings"]["seed"] == 2 and meta["settings"]["temperature"] == 0.3
    last = run.results[-1]
    assert (last.sample, last.has_code, last.overall, last.reason) == (
        "3",
        False,
        0.0,
        "the reply contained no Python code",
    )
    assert json.loads((run.out / "run.json").read_text())["config"]["samples"] == 4


def test_resume_skips_generation_and_verification(tmp_path):
    first = run_eval(config(tmp_path), backend=FakeBackend(), verify_config=CONFIG)
    backend, counting = FakeBackend(), CountingVerify()
    again = run_eval(config(tmp_path), backend=backend, verify_fn=counting, verify_config=CONFIG)
    assert backend.calls == [] and counting.calls == 0
    assert [r.to_json() for r in again.results] == [r.to_json() for r in first.results]
    assert (again.timings.generated, again.timings.verified) == (0, 0)

    # Two more samples per game: only those are generated; their modules were verified already.
    more = run_eval(config(tmp_path, samples=SAMPLES + 2), backend=backend, verify_fn=counting, verify_config=CONFIG)
    assert sorted(backend.calls[0] + backend.calls[1]) == [
        ("kuhn_poker", 8),
        ("kuhn_poker", 9),
        ("tic_tac_toe", 8),
        ("tic_tac_toe", 9),
    ]
    assert counting.calls == 0 and len(more.results) == 20

    # Other generation settings regenerate; other verifier settings re-verify.
    backend = FakeBackend()
    run_eval(config(tmp_path, temperature=0.7), backend=backend, verify_fn=counting, verify_config=CONFIG)
    assert backend.conversations == 16 and counting.calls == 0
    other = type(CONFIG)(fuzz_games=6, reference_games=3)
    run_eval(config(tmp_path, temperature=0.7), backend=FakeBackend(), verify_fn=counting, verify_config=other)
    assert counting.calls == 6


def test_best_of_keeps_the_best_rewarded_candidate_of_each_group(tmp_path, expected):
    # Candidates 0-2 are reference, mutant, broken; 3-5 are no code, reference, mutant: both groups keep
    # a reference, the second one its candidate 4.
    backend = FakeBackend()
    run = run_eval(config(tmp_path, samples=2, best_of=3), backend=backend, verify_config=CONFIG)
    assert backend.conversations == len(GAMES) * 6
    assert [(r.game, r.sample, r.overall) for r in run.results] == [
        (game, str(i), 1.0) for game in GAMES for i in range(2)
    ]
    assert [Path(r.file).name for r in run.results[:2]] == ["tic_tac_toe_0.py", "tic_tac_toe_4.py"]
    reference = get_pack("kuhn_poker").reference_source
    assert (run.out / "best" / "kuhn_poker_1.py").read_text() == reference
    report, _ = write_report(run, plots=False)
    assert report["models"][0]["n"] == 4 and "Best of 3 by reward" in (run.out / "report.md").read_text()

    # A tie keeps the first candidate: broken code (2) and no code (3) both earn 0.
    run = run_eval(config(tmp_path, samples=2, best_of=2), backend=FakeBackend(), verify_config=CONFIG)
    assert [Path(r.file).name for r in run.results[:2]] == ["tic_tac_toe_0.py", "tic_tac_toe_2.py"]
    assert expected["tic_tac_toe", "broken"]["reward"] == 0.0 and run.results[1].reward == 0.0
    assert sorted(p.name for p in (run.out / "best").iterdir()) == [
        "kuhn_poker_0.py", "kuhn_poker_1.py", "tic_tac_toe_0.py", "tic_tac_toe_1.py"
    ]  # fmt: skip


def test_best_of_needs_new_samples(tmp_path):
    with pytest.raises(ValueError, match="best-of"):
        EvalConfig(samples_dir=tmp_path, best_of=2)


def test_an_interrupted_run_loses_nothing_it_wrote(tmp_path):
    with pytest.raises(KeyboardInterrupt):
        run_eval(config(tmp_path), backend=FakeBackend(batch_size=3, fail_after=2), verify_config=CONFIG)
    folder = tmp_path / "out" / "samples"
    assert len(list(folder.glob("*.json"))) == 6  # two batches of three were complete
    # A verdict log cut off mid-line: the broken line is ignored, the rest is reused.
    first = run_eval(config(tmp_path, games="tic_tac_toe", samples=4), backend=FakeBackend(), verify_config=CONFIG)
    log = first.out / "verdicts.jsonl"
    lines = log.read_text().splitlines()
    log.write_text("\n".join(lines[:-1]) + "\n" + lines[-1][:40])
    backend, counting = FakeBackend(), CountingVerify()
    resumed = run_eval(config(tmp_path), backend=backend, verify_fn=counting, verify_config=CONFIG)
    assert backend.conversations == 16 - 6 and counting.calls == 6 - 2
    assert len(resumed.results) == 16


def test_arena_plays_only_samples_that_pass_dynamics(tmp_path):
    run = run_eval(
        config(tmp_path, games="tic_tac_toe", samples=4, arena=True, arena_games=2, arena_sims=5),
        backend=FakeBackend(),
        verify_config=CONFIG,
    )
    played = {r.sample: r.arena for r in run.results}
    assert played["0"]["games"] == 2 and played["1"]["games"] == 2  # the reference and the mutant
    assert played["2"] is None and played["3"] is None  # broken, no code
    report, _ = write_report(run, plots=False)
    arena = report["arena"]["fake"]["tic_tac_toe"]
    assert (arena["samples"], arena["played"], arena["games"]) == (4, 2, 4)
    assert arena["wins"] + arena["draws"] + arena["losses"] == 4
    assert "## Arena" in (run.out / "report.md").read_text()
    counting = CountingVerify()
    again = run_eval(
        config(tmp_path, games="tic_tac_toe", samples=4, arena=True, arena_games=2, arena_sims=5),
        backend=FakeBackend(),
        verify_fn=counting,
        verify_config=CONFIG,
    )
    assert again.timings.arena_matches == 0 and [r.arena for r in again.results] == [r.arena for r in run.results]
