"""`--scoring published`: the published evaluator's quirks, one small module each.

Every module below is a catalog reference (tic_tac_toe or kuhn_poker) with an exact text edit or an
appended override. For each, the expected published tier scores are worked out by hand from the
published evaluator (evaluation/run_behavioral_metrics.py and scenario_runner.py of
tktserapio/internalizing-cwm-sft-grpo; the arithmetic is in each case's comment), and the strict
verifier must score the module differently. The published half runs in-process
(`published_facts` on a trusted `load_module`, then `published_tiers`); the strict half through
`verify` in the sandbox.

Scenario numbering below follows the packs' scenarios.json. tic_tac_toe: s1 x wins top row (terminal,
winner 0, rewards), s2 o wins anti-diagonal (terminal, winner 1, rewards_sign), s3 draw (terminal,
rewards), s4 occupied cells (terminal False, current_player 0, illegal, legal_*), s5 no moves after a
win (terminal, winner 0, legal_exclude, illegal), s6 opening (terminal False, current_player 0,
rewards, legal_include). The published runner reads only terminal, current_player, rewards_sign and
winner, in that order, and stops at the first that fails.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction as F

import pytest

from gamecwm.api import load_module
from gamecwm.games import get_pack
from gamecwm.verifier import VerifyConfig, verify
from gamecwm.verifier.pipeline import seeds_for
from gamecwm.verifier.published import (
    DYNAMICS_CHECKS,
    INFORMATION_CHECKS,
    SANDBOX_OPS,
    STATIC_CHECKS,
    published_facts,
    published_load_failure_tiers,
    published_overall,
    published_requests,
    published_tiers,
    published_timeout_tiers,
)

SEEDS = seeds_for(7, 20)  # 20 games per tier (the published setting is 100; no count below depends on it)
STRICT = VerifyConfig(fuzz_games=20)
# What the published generator writes for a reply without code: its standard imports and nothing else.
STANDARD_IMPORTS = (
    "import copy\nimport random\nfrom copy import deepcopy\n"
    "from typing import List, Dict, Any, Optional, Tuple\nfrom collections import defaultdict, Counter\n"
)


def edit(source: str, old: str, new: str) -> str:
    assert source.count(old) == 1, f"{old!r} occurs {source.count(old)} times"
    return source.replace(old, new)


def ttt() -> str:
    return get_pack("tic_tac_toe").reference_source


def kuhn() -> str:
    return get_pack("kuhn_poker").reference_source


@dataclass(frozen=True)
class Case:
    name: str
    game: str
    build: object  # () -> source
    published: dict[str, F]  # expected published tier scores
    strict: dict[str, F] = field(default_factory=dict)  # strict tier scores we are sure of
    dead: bool = False  # the published evaluator's process dies: every check fails


CASES = [
    # A reply without code: the published generator still writes its imports, and the file loads.
    # static: syntax ok, api_complete fails, the 5 type checks fail "api incomplete" -> 1/7.
    # dynamics: get_initial_state is missing, so every game crashes: no_crash 0/n fails; immutable,
    # determinism and terminal_empty count only the games that did not crash (0 == 0) -> 3/4.
    # scenarios: every replay raises AttributeError -> 0/6. overall (1/7 + 3/4 + 0) / 3 = 25/84.
    # strict: static 1/7, dynamics 0/4 (nothing was exercised), scenarios 0/6.
    Case("no_code", "tic_tac_toe", lambda: STANDARD_IMPORTS,
         {"static": F(1, 7), "dynamics": F(3, 4), "scenarios": F(0)},
         {"static": F(1, 7), "dynamics": F(0), "scenarios": F(0)}),
    # Same in a hidden-information game: information fails its 4 checks ("not implemented").
    # overall (1/7 + 3/4 + 0 + 0) / 4 = 25/112.
    Case("no_code_kuhn", "kuhn_poker", lambda: STANDARD_IMPORTS,
         {"static": F(1, 7), "dynamics": F(3, 4), "scenarios": F(0), "information": F(0)},
         {"static": F(1, 7), "dynamics": F(0), "information": F(0)}),
    # Crash-only denominators with a complete API. static: syntax, api ok; get_initial_state raises, so
    # initial_state_type fails and the 4 others fail "no state" -> 2/7. dynamics 3/4 as above;
    # scenarios 0/6. overall (2/7 + 3/4) / 3 = 29/84. strict: static 2/7, dynamics 0/4.
    Case("initial_state_raises", "tic_tac_toe",
         lambda: ttt() + "\n\ndef get_initial_state():\n    raise RuntimeError('no state')\n",
         {"static": F(2, 7), "dynamics": F(3, 4), "scenarios": F(0)},
         {"static": F(2, 7), "dynamics": F(0), "scenarios": F(0)}),
    # apply_action writes into its input's board, and get_current_player raises once the game is over:
    # every game mutates its input, then crashes. published dynamics: no_crash fails, and the mutation
    # is not counted (crashed games are left out) -> 3/4. static 7/7 (the initial state is not over).
    # scenarios: s1, s2, s3, s5 reach a finished game and raise on `terminal`; s4, s6 pass -> 2/6.
    # overall (1 + 3/4 + 1/3) / 3 = 25/36. strict: dynamics 2/4 (no_crash and immutable fail).
    Case("mutates_then_crashes", "tic_tac_toe",
         lambda: edit(edit(ttt(), 'board = [cells[:] for cells in state["board"]]', 'board = state["board"]'),
                      'return TERMINAL if _is_over(state) else state["player"]',
                      'if _is_over(state):\n        raise RuntimeError("game over")\n    return state["player"]'),
         {"static": F(1), "dynamics": F(3, 4), "scenarios": F(1, 3)},
         {"static": F(1), "dynamics": F(1, 2), "scenarios": F(1, 3)}),
    # terminal_empty only asks that a terminal state has no legal actions; a game whose player is never
    # -4 but whose legal actions run out just stops. published dynamics 4/4; scenarios: s1, s2, s3, s5
    # expect terminal -> 2/6. overall (1 + 1 + 1/3) / 3 = 7/9. strict: terminal_iff fails -> 3/4.
    Case("terminal_never_reported", "tic_tac_toe",
         lambda: edit(ttt(), 'return TERMINAL if _is_over(state) else state["player"]', 'return state["player"]'),
         {"static": F(1), "dynamics": F(1), "scenarios": F(1, 3)},
         {"static": F(1), "dynamics": F(3, 4), "scenarios": F(1, 3)}),
    # Legal actions as a tuple. published static: actions_type fails -> 6/7. dynamics: random play works
    # on a tuple, but at every terminal state `() != []` holds, so terminal_empty fails -> 3/4.
    # scenarios never look at legal actions -> 6/6. overall (6/7 + 3/4 + 1) / 3 = 73/84.
    # strict: the probes refuse a non-list (every game crashes at once) -> dynamics 0/4, scenarios 6/6.
    Case("legal_actions_tuple", "tic_tac_toe",
         lambda: ttt() + "\n\n_legal = get_legal_actions\n\n\ndef get_legal_actions(state):\n"
                         "    return tuple(_legal(state))\n",
         {"static": F(6, 7), "dynamics": F(3, 4), "scenarios": F(1)},
         {"static": F(6, 7), "dynamics": F(0), "scenarios": F(1)}),
    # The published runner ignores the `rewards` key: doubled rewards keep their signs and winner.
    # published: everything passes -> 1. strict: s1 expects rewards [1, -1] -> scenarios 5/6.
    Case("rewards_doubled", "tic_tac_toe",
         lambda: edit(ttt(), "[1.0, -1.0] if winner == 0 else [-1.0, 1.0]",
                      "[2.0, -2.0] if winner == 0 else [-2.0, 2.0]"),
         {"static": F(1), "dynamics": F(1), "scenarios": F(1)},
         {"static": F(1), "dynamics": F(1), "scenarios": F(5, 6)}),
    # `winner` is the first index of the maximum: with rewards always [0, 0] it is player 0. published:
    # s1 (terminal, winner 0) and s5 pass, s2 fails on rewards_sign [0, 0] != [-1, 1], s3, s4, s6 pass ->
    # 5/6; overall (1 + 1 + 5/6) / 3 = 17/18. strict: s1, s2 and s5 fail (a tie has no winner) -> 3/6.
    Case("rewards_always_zero", "tic_tac_toe",
         lambda: ttt() + "\n\ndef get_rewards(state):\n    return [0.0, 0.0]\n",
         {"static": F(1), "dynamics": F(1), "scenarios": F(5, 6)},
         {"static": F(1), "dynamics": F(1), "scenarios": F(1, 2)}),
    # Scenario actions are applied without asking whether they are legal. The legal actions never list
    # "2,2" (apply_action still accepts it). published: static 7/7; dynamics 4/4 (a full-but-one board
    # with no legal action just ends the game); every scenario passes, since those playing "2,2"
    # (s2, s3, s5) replay anyway and legal_include is ignored -> 1. strict: s2, s3, s5 replay an
    # illegal action and s4, s6 miss "2,2" in legal_include -> scenarios 1/6.
    Case("legal_actions_miss_a_cell", "tic_tac_toe",
         lambda: edit(ttt(), "if board[r][c] == EMPTY]", 'if board[r][c] == EMPTY and name != "2,2"]'),
         {"static": F(1), "dynamics": F(1), "scenarios": F(1)},
         {"static": F(1), "scenarios": F(1, 6)}),
    # The published API is six functions, by hasattr: get_player_name is not one of them.
    # published 1 everywhere. strict: api_complete fails -> static 6/7.
    Case("no_player_name", "tic_tac_toe", lambda: ttt() + "\n\ndel get_player_name\n",
         {"static": F(1), "dynamics": F(1), "scenarios": F(1)},
         {"static": F(6, 7), "dynamics": F(1), "scenarios": F(1)}),
    # ... but a missing published function fails all five type checks too: static 1/7 (strict 5/7).
    # dynamics never calls get_rewards -> 4/4 (strict: it does at the end of each game -> crash, 3/4).
    # scenarios: s1, s2, s5 fail on `winner`; s3 (terminal + ignored rewards), s4, s6 pass -> 3/6
    # (strict: each reads the rewards -> 0/6). overall (1/7 + 1 + 1/2) / 3 = 23/42.
    Case("no_get_rewards", "tic_tac_toe", lambda: ttt() + "\n\ndel get_rewards\n",
         {"static": F(1, 7), "dynamics": F(1), "scenarios": F(1, 2)},
         {"static": F(5, 7), "dynamics": F(3, 4), "scenarios": F(0)}),
    # The type checks use isinstance: an OrderedDict state is a dict. published 1; strict 6/7.
    Case("ordered_dict_state", "tic_tac_toe",
         lambda: ttt() + "\n\nimport collections\n\n_initial = get_initial_state\n\n\n"
                         "def get_initial_state():\n    return collections.OrderedDict(_initial())\n",
         {"static": F(1), "dynamics": F(1), "scenarios": F(1)},
         {"static": F(6, 7), "dynamics": F(1), "scenarios": F(1)}),
    # Determinism is Python equality of the legal actions and observations: observations whose keys
    # come in a different order on every other call are equal dicts. published 1; strict sees two
    # different answers to the same question -> determinism fails, dynamics 3/4.
    Case("observation_key_order_flips", "tic_tac_toe",
         lambda: ttt() + "\n\n_calls = [0]\n_observe = get_observations\n\n\ndef get_observations(state):\n"
                         "    _calls[0] += 1\n    observations = _observe(state)\n    if _calls[0] % 2:\n"
                         "        return [dict(reversed(list(o.items()))) for o in observations]\n"
                         "    return observations\n",
         {"static": F(1), "dynamics": F(1), "scenarios": F(1)},
         {"static": F(1), "dynamics": F(3, 4), "scenarios": F(1)}),
    # SystemExit where the published code catches only Exception (its static safe_call) kills its
    # process: the comparison script scores the sample 0. strict: static 6/7, dynamics 3/4, scenarios 0.
    Case("rewards_exit", "tic_tac_toe", lambda: ttt() + "\n\ndef get_rewards(state):\n    raise SystemExit(3)\n",
         {"static": F(0), "dynamics": F(0), "scenarios": F(0)},
         {"static": F(6, 7), "dynamics": F(3, 4), "scenarios": F(0)}, dead=True),
    # A fatal call the published runner never reaches does not kill it: the player is never -4 (as in
    # terminal_never_reported) and get_rewards exits once there is a winner; every scenario with a
    # winner fails its `terminal` check first, so the rewards are never read. The static, dynamics
    # (never reads rewards) and scenarios scores are those of terminal_never_reported: 7/9 overall.
    # strict: the probes read the rewards at the end of every game and in every scenario.
    Case("unreached_exit", "tic_tac_toe",
         lambda: edit(ttt(), 'return TERMINAL if _is_over(state) else state["player"]', 'return state["player"]')
         + "\n\n_rewards = get_rewards\n\n\ndef get_rewards(state):\n    if state['winner'] is not None:\n"
           "        raise SystemExit(3)\n    return _rewards(state)\n",
         {"static": F(1), "dynamics": F(1), "scenarios": F(1, 3)},
         {"static": F(1), "scenarios": F(1, 3)}),
    # No stochasticity rule: a resample_history that always deals the same hidden card (it reseeds the
    # generator) is consistent with every history, so it passes all four published checks -> 1.
    # strict: it never varies, so it is a stand-in -> information 0/4, overall 3/4.
    Case("resample_deterministic", "kuhn_poker",
         lambda: kuhn() + "\n\n_resample = resample_history\n\n\ndef resample_history(history, player_id):\n"
                          "    random.seed(0)\n    return _resample(history, player_id)\n",
         {"static": F(1), "dynamics": F(1), "scenarios": F(1), "information": F(1)},
         {"static": F(1), "dynamics": F(1), "scenarios": F(1), "information": F(0)}),
    # `return []`: nothing is replayed, so nothing is illegal (resample_legal holds) but the history is
    # not consumed (the three others fail) -> 1/4; overall (1 + 1 + 1 + 1/4) / 4 = 13/16.
    # strict: a stub -> 0/4.
    Case("resample_empty", "kuhn_poker",
         lambda: kuhn() + "\n\ndef resample_history(history, player_id):\n    return []\n",
         {"static": F(1), "dynamics": F(1), "scenarios": F(1), "information": F(1, 4)},
         {"static": F(1), "dynamics": F(1), "scenarios": F(1), "information": F(0)}),
    # resample_history is not part of the published API check: static 7/7, information 0/4 -> 3/4.
    # strict: api_complete fails too -> static 6/7.
    Case("no_resample", "kuhn_poker", lambda: kuhn() + "\n\ndel resample_history\n",
         {"static": F(1), "dynamics": F(1), "scenarios": F(1), "information": F(0)},
         {"static": F(6, 7), "dynamics": F(1), "scenarios": F(1), "information": F(0)}),
]  # fmt: skip


def published(source: str, pack, seeds=SEEDS):
    facts = published_facts(load_module(source), pack.info, published_requests(pack), seeds, 500)
    return facts, published_tiers(facts, pack, seeds)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_published_scores_match_the_hand_worked_numbers(case):
    pack = get_pack(case.game)
    facts, tiers = published(case.build(), pack)
    assert bool(facts["escaped"]) == case.dead
    assert {name: tier.score for name, tier in tiers.items()} == pytest.approx(
        {name: float(value) for name, value in case.published.items()}
    )
    expected = sum(case.published.values()) / len(case.published)
    assert published_overall(tiers) == pytest.approx(float(expected))


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_strict_scores_differ(case):
    pack = get_pack(case.game)
    report = verify(case.build(), pack, STRICT)
    strict = {name: report.tiers[name].score for name in case.strict}
    assert strict == pytest.approx({name: float(value) for name, value in case.strict.items()})
    _, tiers = published(case.build(), pack)
    assert report.overall != pytest.approx(published_overall(tiers))


@pytest.mark.parametrize("game", ["tic_tac_toe", "kuhn_poker"])
def test_references_score_one_with_the_published_checks(game):
    pack = get_pack(game)
    _, tiers = published(pack.reference_source, pack)
    assert all(c.passed for tier in tiers.values() for c in tier.checks)
    assert [c.name for c in tiers["static"].checks] == list(STATIC_CHECKS)
    assert [c.name for c in tiers["dynamics"].checks] == list(DYNAMICS_CHECKS)
    assert [c.name for c in tiers["scenarios"].checks] == [s.name for s in pack.scenarios]
    if pack.info == "imperfect":
        assert [c.name for c in tiers["information"].checks] == list(INFORMATION_CHECKS)
    else:
        assert "information" not in tiers
    assert published_overall(tiers) == 1.0


def test_facts_follow_the_seeds_and_are_plain():
    import json

    pack = get_pack("kuhn_poker")
    first, _ = published(pack.reference_source, pack)
    again, _ = published(pack.reference_source, pack)
    assert first == again == json.loads(json.dumps(first))
    other, _ = published(pack.reference_source, pack, seeds_for(8, 20))
    assert [g["choices"] for g in other["dynamics"]] != [g["choices"] for g in first["dynamics"]]
    assert SANDBOX_OPS == {"published": published_facts}


def test_requests_carry_no_expected_values():
    pack = get_pack("tic_tac_toe")
    requests = published_requests(pack)
    assert all(set(r) == {"actions", "keys"} for r in requests)
    assert requests[0] == {"actions": pack.scenarios[0].actions, "keys": ["terminal", "winner"]}


@pytest.mark.parametrize("tier", ["dynamics", "information"])
def test_forged_moves_fail_the_tier_with_the_reason(tier):
    pack = get_pack("kuhn_poker")
    facts, _ = published(pack.reference_source, pack)
    games = facts["dynamics"] if tier == "dynamics" else facts["information"]["games"]
    n, index = games[3]["choices"][-1]
    games[3]["choices"][-1] = [n, (index + 1) % n]
    tiers = published_tiers(facts, pack, SEEDS)
    assert tiers[tier].score == 0.0
    assert all("do not follow the verifier's draws" in c.detail for c in tiers[tier].checks)
    assert all(tiers[t].score == 1.0 for t in tiers if t != tier)


def test_malformed_facts_cost_only_their_tier():
    pack = get_pack("tic_tac_toe")
    facts, _ = published(pack.reference_source, pack)
    facts["dynamics"] = "nonsense"
    tiers = published_tiers(facts, pack, SEEDS)
    assert tiers["dynamics"].score == 0.0 and "malformed facts" in tiers["dynamics"].checks[0].detail
    assert tiers["static"].score == tiers["scenarios"].score == 1.0
    assert published_overall(published_tiers("nonsense", pack, SEEDS)) == 0.0


def test_timeouts_and_load_failures_score_as_published():
    # Timed out: static is scored again (7/7), dynamics gets one failing `timeout` check, every
    # scenario fails; information too for a hidden-information game. (1 + 0 + 0) / 3 and (1 + 0 + 0 + 0) / 4.
    for game, overall in (("tic_tac_toe", 1 / 3), ("kuhn_poker", 1 / 4)):
        pack = get_pack(game)
        static = published_facts(load_module(pack.reference_source), pack.info, [], SEEDS, stages=("static",))
        assert set(static) == {"escaped", "static"}
        tiers = published_timeout_tiers(static, pack)
        assert [c.name for c in tiers["dynamics"].checks] == ["timeout"]
        assert published_overall(tiers) == pytest.approx(overall)
        assert published_overall(published_timeout_tiers(None, pack)) == 0.0
        assert published_overall(published_load_failure_tiers(pack, "SyntaxError")) == 0.0


def test_a_published_time_out_through_the_sandbox(monkeypatch):
    """Past the published time limit the worker is killed, static is scored again in a fresh worker,
    dynamics gets one failing `timeout` check and every scenario fails: (1 + 0 + 0) / 3."""
    from gamecwm.verifier import published as module

    monkeypatch.setattr(module, "TIMEOUT_S", 2)
    pack = get_pack("tic_tac_toe")
    source = edit(
        ttt(),
        "def get_legal_actions(state):",
        "def get_legal_actions(state):\n    while state['board'][1][1] != '.':\n        pass",
    )
    report = verify(source, pack, VerifyConfig(fuzz_games=5, scoring="published"))
    assert [c.name for c in report.published["dynamics"].checks] == ["timeout"]
    assert report.published["static"].score == 1.0 and report.published["scenarios"].score == 0.0
    assert report.published_overall == pytest.approx(1 / 3)
