"""Run a pack's scenarios against a GameCWM module.

    >>> from gamecwm.games import get_pack, run_scenario
    >>> pack = get_pack("tic_tac_toe")
    >>> [run_scenario(pack.reference, s).passed for s in pack.scenarios]
    [True, True, True, True, True, True]

Each scenario replays its actions from the initial state, then evaluates its checks (DESIGN §3). The
result names the first failing check with the expected and actual values.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from gamecwm.api import TERMINAL
from gamecwm.games.pack import Scenario


@dataclass(frozen=True)
class ScenarioResult:
    name: str
    passed: bool
    detail: str


def _sign(x: float) -> int:
    return (x > 0) - (x < 0)


def _rejects(game: Any, state: dict, action: str) -> bool:
    """True if `action` is absent from the legal actions or `apply_action` raises on it."""
    if action not in game.get_legal_actions(state):
        return True
    try:
        game.apply_action(state, action)
    except Exception:
        return True
    return False


def _check(game: Any, state: dict, key: str, expected: Any) -> str | None:
    """Return a failure message, or None if the check holds."""
    if key == "terminal":
        actual = game.get_current_player(state) == TERMINAL
        return None if actual == expected else f"terminal: expected {expected}, got {actual}"
    if key == "current_player":
        actual = game.get_current_player(state)
        return None if actual == expected else f"current_player: expected {expected}, got {actual}"
    if key in ("rewards", "rewards_sign", "winner"):
        rewards = list(game.get_rewards(state))
        if key == "rewards":
            ok = len(rewards) == len(expected) and all(abs(a - b) < 1e-9 for a, b in zip(rewards, expected))
            return None if ok else f"rewards: expected {expected}, got {rewards}"
        if key == "rewards_sign":
            actual = [_sign(r) for r in rewards]
            return None if actual == expected else f"rewards_sign: expected {expected}, got {actual} ({rewards})"
        best = max(rewards) if rewards else None
        winners = [i for i, r in enumerate(rewards) if r == best]
        ok = winners == [expected]
        return None if ok else f"winner: expected player {expected}, rewards are {rewards}"
    if key in ("legal_include", "legal_exclude"):
        legal = set(game.get_legal_actions(state))
        wrong = [a for a in expected if (a in legal) != (key == "legal_include")]
        verb = "missing from" if key == "legal_include" else "present in"
        return None if not wrong else f"{key}: {wrong} {verb} the legal actions"
    if key == "illegal":
        return None if _rejects(game, state, expected) else f"illegal: action {expected!r} was accepted"
    raise ValueError(f"unknown scenario check {key!r}")


def run_scenario(game: Any, scenario: Scenario) -> ScenarioResult:
    """Replay `scenario.actions` on `game`, then evaluate every check."""
    state = game.get_initial_state()
    for step, action in enumerate(scenario.actions):
        if action not in game.get_legal_actions(state):
            detail = f"step {step}: action {action!r} is not legal (player {game.get_current_player(state)})"
            return ScenarioResult(scenario.name, False, detail)
        state = game.apply_action(state, action)
    failures = [msg for key, value in scenario.checks.items() if (msg := _check(game, state, key, value))]
    detail = "; ".join(failures) if failures else f"{len(scenario.checks)} checks hold"
    return ScenarioResult(scenario.name, not failures, f"after {len(scenario.actions)} actions: {detail}")
