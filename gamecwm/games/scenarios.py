"""Run a pack's scenarios against a GameCWM module.

    >>> from gamecwm.games import get_pack, run_scenario
    >>> pack = get_pack("tic_tac_toe")
    >>> [run_scenario(pack.reference, s).passed for s in pack.scenarios]
    [True, True, True, True, True, True]

A scenario replays its actions from the initial state, then evaluates its checks (docs/architecture.md §3). The
work is split in two so the verifier can run the first half next to untrusted code and the second
half where that code cannot reach: `scenario_facts` records plain facts about the reached state,
`judge_scenario` decides, naming each failing check with the expected and actual values.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from gamecwm.api import TERMINAL, Action, GameCWM, State
from gamecwm.games.pack import Scenario


@dataclass(frozen=True)
class ScenarioResult:
    name: str
    passed: bool
    detail: str


def scenario_facts(game: GameCWM, actions: list[Action], checks: dict[str, Any]) -> dict[str, Any]:
    """Replay `actions` and record what the checks ask about, as JSON-compatible values."""
    facts: dict[str, Any] = {"failed_step": None}
    try:
        state = game.get_initial_state()
        for step, action in enumerate(actions):
            if action not in game.get_legal_actions(state):
                facts["failed_step"] = f"step {step}: action {action!r} is not legal"
                return facts
            state = game.apply_action(state, action)
        facts["current_player"] = game.get_current_player(state)
        facts["rewards"] = [float(r) for r in game.get_rewards(state)]
        facts["legal"] = list(game.get_legal_actions(state))
        if "illegal" in checks:
            facts["illegal_rejected"] = _rejects(game, state, checks["illegal"])
    except BaseException as exc:  # noqa: BLE001 - a candidate may raise anything, SystemExit included
        facts["failed_step"] = f"raised {type(exc).__name__}: {str(exc)[:200]}"
    return facts


def _rejects(game: GameCWM, state: State, action: Action) -> bool:
    """True if `action` is absent from the legal actions or `apply_action` raises on it."""
    if action not in game.get_legal_actions(state):
        return True
    try:
        game.apply_action(state, action)
    except Exception:
        return True
    return False


def _sign(x: float) -> int:
    return (x > 0) - (x < 0)


def _failure(key: str, expected: Any, facts: dict[str, Any]) -> str | None:
    """The failure message of one check, or None if it holds."""
    player, rewards, legal = facts["current_player"], facts["rewards"], facts["legal"]
    if key == "terminal" and (player == TERMINAL) != expected:
        return f"terminal: expected {expected}, got {player == TERMINAL} (current player {player})"
    if key == "current_player" and player != expected:
        return f"current_player: expected {expected}, got {player}"
    if key == "rewards" and (
        len(rewards) != len(expected) or any(abs(a - b) > 1e-9 for a, b in zip(rewards, expected, strict=True))
    ):
        return f"rewards: expected {expected}, got {rewards}"
    if key == "rewards_sign" and [_sign(r) for r in rewards] != expected:
        return f"rewards_sign: expected {expected}, got rewards {rewards}"
    if key == "winner" and [i for i, r in enumerate(rewards) if r == max(rewards, default=None)] != [expected]:
        return f"winner: expected player {expected}, got rewards {rewards}"
    if key == "legal_include" and (missing := [a for a in expected if a not in legal]):
        return f"legal_include: {missing} not legal"
    if key == "legal_exclude" and (present := [a for a in expected if a in legal]):
        return f"legal_exclude: {present} legal"
    if key == "illegal" and not facts.get("illegal_rejected"):
        return f"illegal: {expected!r} was accepted"
    return None


def judge_scenario(scenario: Scenario, facts: dict[str, Any]) -> ScenarioResult:
    """Decide every check of `scenario` from the facts `scenario_facts` recorded."""
    if facts.get("failed_step"):
        return ScenarioResult(scenario.name, False, f"replay failed at {facts['failed_step']}")
    failures = [msg for key, value in scenario.checks.items() if (msg := _failure(key, value, facts))]
    where = f"after {len(scenario.actions)} actions"
    if failures:
        return ScenarioResult(scenario.name, False, f"{where}: " + "; ".join(failures))
    return ScenarioResult(scenario.name, True, f"{where}: {len(scenario.checks)} checks hold")


def run_scenario(game: GameCWM, scenario: Scenario) -> ScenarioResult:
    """Replay `scenario` on `game` (trusted code, in this process) and judge it."""
    return judge_scenario(scenario, scenario_facts(game, scenario.actions, scenario.checks))
