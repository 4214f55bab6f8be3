"""Scores, JSON schema, gating, import injection, determinism and the `gamecwm verify` command."""

from __future__ import annotations

import json

import pytest

from gamecwm.cli import main
from gamecwm.games import catalog, get_pack
from gamecwm.sandbox.screen import inject_imports
from gamecwm.verifier import VerifyConfig, reward, verify, verify_many
from gamecwm.verifier.report import Check, Report, RewardConfig, Tier, compute_reward

PACKS = [p for p in catalog() if p.has_reference]


@pytest.mark.parametrize("pack", PACKS, ids=lambda p: p.id)
def test_every_reference_scores_one_in_every_tier(pack):
    report = verify(pack.reference_source, pack, VerifyConfig(fuzz_games=50))
    failing = [(t, c.name, c.detail) for t, tier in report.tiers.items() for c in tier.checks if not c.passed]
    assert not failing
    assert report.overall == 1.0 and report.reward == 1.0
    expected = {"static", "dynamics", "scenarios", "trajectory", "information_sets"}
    if pack.info == "imperfect":
        expected.add("information")
    assert set(report.tiers) == expected


def test_json_schema_is_exactly_the_design():
    pack = get_pack("kuhn_poker")
    data = json.loads(json.dumps(verify(pack.reference_source, pack, VerifyConfig(fuzz_games=5)).to_json()))
    assert set(data) == {"file", "game", "info", "tiers", "overall", "reward", "isolation", "reason", "elapsed_s"}
    assert isinstance(data["file"], str) and data["game"] == "kuhn_poker" and data["info"] == "imperfect"
    assert all(isinstance(data[k], float) for k in ("overall", "reward", "elapsed_s"))
    for tier in data["tiers"].values():
        assert set(tier) == {"score", "checks"} and isinstance(tier["score"], float)
        for check in tier["checks"]:
            assert set(check) == {"name", "passed", "detail"}
            assert isinstance(check["name"], str) and isinstance(check["passed"], bool)
            assert isinstance(check["detail"], str)
    assert len(data["tiers"]["static"]["checks"]) == 7
    assert len(data["tiers"]["dynamics"]["checks"]) == 4
    assert len(data["tiers"]["information"]["checks"]) == 4


def test_perfect_games_have_no_information_tier():
    pack = get_pack("tic_tac_toe")
    report = verify(pack.reference_source, pack, VerifyConfig(fuzz_games=5, reference_tiers=False))
    assert set(report.tiers) == {"static", "dynamics", "scenarios"}


def test_incomplete_api_scores_the_static_term_only():
    pack = get_pack("tic_tac_toe")
    source = pack.reference_source.replace("def get_player_name", "def player_name")
    report = verify(source, pack, VerifyConfig(fuzz_games=5))
    assert not report.api_complete
    static = report.tiers["static"].graded
    assert report.reward == pytest.approx(0.15 * static / 0.70)  # renormalised: no information tier


def _report(scores: dict[str, float], info: str = "imperfect", **fields) -> Report:
    tiers = {t: Tier([Check("c", s == 1.0, "", s)]) for t, s in scores.items()}
    return Report("f", "g", info, tiers, api_complete=True, **fields)


@pytest.mark.parametrize("game", ["tic_tac_toe", "kuhn_poker"])
def test_properties_that_nothing_exercised_do_not_pass(game):
    """A module that runs no game (empty, or every function missing) gets no credit for 'no mutation seen'."""
    report = verify("x = 1\n", get_pack(game), VerifyConfig(fuzz_games=5, reference_games=3))
    assert report.tiers["dynamics"].score == 0.0
    assert report.tiers["information_sets"].score == 0.0
    assert all("not exercised" in c.detail for c in report.tiers["dynamics"].checks[1:])
    assert report.overall < 0.05


def test_reward_weights_gate_and_stub_penalty():
    full = {"static": 1.0, "dynamics": 1.0, "scenarios": 1.0, "information": 1.0}
    assert compute_reward(_report(full), RewardConfig()) == 1.0
    partial = {**full, "scenarios": 0.5}
    assert compute_reward(_report(partial), RewardConfig()) == pytest.approx(1 - 0.30 * 0.5)
    gated = {**full, "dynamics": 0.4}  # below 0.5: no credit from scenarios and information
    assert compute_reward(_report(gated), RewardConfig()) == pytest.approx(0.15 + 0.25 * 0.4)
    perfect = {"static": 1.0, "dynamics": 1.0, "scenarios": 0.0}  # renormalised over 0.70
    assert compute_reward(_report(perfect, "perfect"), RewardConfig()) == pytest.approx(0.40 / 0.70)
    assert compute_reward(_report(full, stub=True), RewardConfig()) == pytest.approx(0.9)
    custom = RewardConfig(weights={"static": 1.0, "dynamics": 0.0, "scenarios": 1.0, "information": 0.0})
    assert compute_reward(_report(partial), custom) == pytest.approx(0.75)


def test_overall_is_the_unweighted_mean_of_pass_fractions():
    report = _report({"static": 1.0, "dynamics": 0.99, "scenarios": 1.0, "information": 1.0, "trajectory": 0.0})
    assert report.overall == pytest.approx(0.75)  # one dynamics check missing in 1% fails the tier


def test_stub_resample_history_is_detected_and_penalised():
    pack = get_pack("kuhn_poker")
    source = pack.reference_source
    head = source.index("def resample_history")
    stub = source[:head] + "def resample_history(obs_action_history, player_id):\n    return []\n"
    report = verify(stub, pack, VerifyConfig(fuzz_games=10))
    assert report.stub
    assert all("placeholder" in c.detail for c in report.tiers["information"].checks)
    assert report.reward <= 1 - 0.30 / 1.0 - 0.1 + 1e-9


def test_import_injection_is_reported_and_can_be_disabled():
    pack = get_pack("kuhn_poker")
    source = pack.reference_source.replace("import random\n", "")
    assert source != pack.reference_source and inject_imports(source)[1] == ["import random"]
    report = verify(source, pack, VerifyConfig(fuzz_games=5))
    assert report.overall == 1.0
    assert "imports injected: import random" in report.tiers["static"].checks[0].detail
    without = verify(source, pack, VerifyConfig(fuzz_games=5, inject_imports=False))
    assert without.overall < 1.0


def test_syntax_error_fails_compiles():
    pack = get_pack("tic_tac_toe")
    report = verify("def get_initial_state(:\n", pack, VerifyConfig(fuzz_games=5))
    compiles = report.tiers["static"].checks[0]
    assert compiles.name == "compiles" and not compiles.passed and "SyntaxError" in compiles.detail
    assert report.overall == 0.0 and report.reward == 0.0


def test_verdicts_are_deterministic_for_a_seed_and_parallel_matches_sequential():
    pack = get_pack("leduc_poker")
    source = pack.reference_source.replace("MAX_RAISES = 2", "MAX_RAISES = 3")
    assert source != pack.reference_source
    items = [(pack.reference_source, pack, "ref"), (source, pack, "mutant")] * 2
    config = VerifyConfig(fuzz_games=10, seed=7)
    one = [r.to_json() for r in verify_many(items, config, jobs=1)]
    two = [r.to_json() for r in verify_many(items, config, jobs=2)]
    strip = lambda rs: [{k: v for k, v in r.items() if k != "elapsed_s"} for r in rs]  # noqa: E731
    assert strip(one) == strip(two)
    assert [r["file"] for r in two] == ["ref", "mutant", "ref", "mutant"]


def test_in_process_and_sandboxed_verdicts_agree():
    pack = get_pack("leduc_poker")
    sandboxed = verify(pack.reference_source, pack, VerifyConfig(fuzz_games=10)).to_json()
    in_process = verify(pack.reference_source, pack, VerifyConfig(fuzz_games=10, sandbox=False)).to_json()
    assert sandboxed["tiers"] == in_process["tiers"]


def test_reward_helper_uses_ten_fuzz_games():
    pack = get_pack("connect4")
    assert reward(pack.reference_source, pack) == 1.0
    assert VerifyConfig.for_reward().fuzz_games == 10


def test_cli_verify_json_and_table(tmp_path, capsys):
    pack = get_pack("tic_tac_toe")
    good = tmp_path / "good.py"
    good.write_text(pack.reference_source)
    bad = tmp_path / "bad.py"
    bad.write_text(
        pack.reference_source.replace("return [1.0, -1.0] if winner == 0", "return [0.0, 0.0] if winner == 0")
    )
    assert main(["verify", str(good), str(bad), "--game", "tic_tac_toe", "--fuzz-games", "5", "--json"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["file"] for line in lines] == [str(good), str(bad)]
    assert lines[0]["overall"] == 1.0 and lines[1]["overall"] < 1.0
    assert main(["verify", str(bad), "--game", str(pack.path), "--fuzz-games", "5"]) == 0
    out = capsys.readouterr().out
    assert "FAIL" in out and "overall" in out


def test_cli_verify_bad_usage(tmp_path, capsys):
    assert main(["verify", str(tmp_path / "missing.py"), "--game", "tic_tac_toe"]) == 2
    assert "no such file" in capsys.readouterr().err
    (tmp_path / "x.py").write_text("")
    assert main(["verify", str(tmp_path / "x.py"), "--game", "nope"]) == 2
    assert "unknown game 'nope'" in capsys.readouterr().err
    assert main(["verify", str(tmp_path / "x.py"), "--game", str(tmp_path)]) == 2
    assert "missing game.toml" in capsys.readouterr().err


def test_a_candidate_is_compiled_as_a_plain_import():
    """The loader's own `from __future__ import annotations` does not leak into the candidate: an
    annotation naming an undefined type fails at import, as it would in `python -c 'import it'`."""
    pack = get_pack("tic_tac_toe")
    source = pack.reference_source.replace("def get_rewards(state):", "def get_rewards(state) -> Rewards:")
    report = verify(source, pack, VerifyConfig(fuzz_games=5))
    compiles = report.tiers["static"].checks[0]
    assert not compiles.passed and "NameError" in compiles.detail
    assert verify("from __future__ import annotations\n" + source, pack, VerifyConfig(fuzz_games=5)).overall == 1.0


def test_published_scoring_in_the_cli_and_the_json(tmp_path, capsys):
    from gamecwm.cli import main

    path = tmp_path / "garbage.py"
    path.write_text("def get_initial_state():\n    return {}\n")
    assert main(["verify", str(path), "--game", "kuhn_poker", "--scoring", "both", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["overall"] < 0.1 and data["published"]["overall"] == pytest.approx(25 / 112)
    assert set(data["published"]["tiers"]) == {"static", "dynamics", "scenarios", "information"}
    assert main(["verify", str(path), "--game", "kuhn_poker", "--scoring", "published"]) == 0
    shown = capsys.readouterr().out
    assert "published scoring: overall 0.223" in shown and "no_crash" in shown and "deterministic" not in shown
    refused = verify("import os\n" + pack_source(), get_pack("kuhn_poker"), VerifyConfig(scoring="both"))
    assert (
        refused.published_overall == 0.0 and "refused before execution" in refused.published["static"].checks[0].detail
    )


def pack_source() -> str:
    return get_pack("kuhn_poker").reference_source


def test_a_move_whose_apply_action_raises_was_not_played():
    """A module whose apply_action always raises applies no action: the other dynamics properties were
    never exercised, so they do not pass."""
    pack = get_pack("tic_tac_toe")
    source = pack.reference_source + "\n\ndef apply_action(state, action):\n    raise ValueError('no')\n"
    dynamics = {c.name: c for c in verify(source, pack, VerifyConfig(fuzz_games=5)).tiers["dynamics"].checks}
    assert not dynamics["no_crash"].passed
    assert all(not dynamics[n].passed and "not exercised" in dynamics[n].detail for n in list(dynamics)[1:])
