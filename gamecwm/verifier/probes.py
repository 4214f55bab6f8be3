"""Probes: exercise a GameCWM and record raw facts, never verdicts.

Probes run next to the candidate, in its sandboxed worker (a `gamecwm.sandbox` plugin: `SANDBOX_OPS`),
or in-process for trusted code. They hold no random generator: every move of a random game is
`pick(draw, len(legal))` over the candidate's sorted legal actions, where the draws come from `draws`
(SplitMix64 in plain integer arithmetic) seeded by the caller. Each game's record carries the number
of legal actions and the index taken at every step, so the caller recomputes the draws from its own
seeds and refuses a record whose moves do not follow them (`checks.choices_problem`). Everything
returned is JSON-compatible; `gamecwm.verifier.checks` turns the facts into pass/fail checks in the
caller. Legal actions count only as exact `str` objects, so a candidate cannot reorder its own
actions with a string subclass.
"""

from __future__ import annotations

import copy
import hashlib
import json
import marshal
import random
from collections.abc import Callable, Iterator
from typing import Any

from gamecwm.api import TERMINAL, Action, GameCWM, HiddenInformationGameCWM, State, observation_history
from gamecwm.games.scenarios import scenario_facts
from gamecwm.sandbox.codec import encode_value, error_text, short

MASK = (1 << 64) - 1


def draws(seed: int) -> Iterator[int]:
    """64-bit draws from `seed` (SplitMix64): the same in the worker and the caller, and made of integer
    operations only, which nothing a candidate can reach is able to change."""
    x = seed & MASK
    while True:
        x = (x + 0x9E3779B97F4A7C15) & MASK
        z = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        yield z ^ (z >> 31)


def pick(draw: int, n: int) -> int:
    """The index in `range(n)` that a 64-bit draw selects."""
    return (draw * n) >> 64


def canonical(value: Any) -> str:
    """A stable text form of a state or observation, for equality across processes."""
    try:
        return json.dumps(value, sort_keys=True, default=repr)
    except (TypeError, ValueError, RecursionError):
        return short(value, 100_000)


def _digest(value: Any) -> str:
    return hashlib.sha1(canonical(value).encode()).hexdigest()[:16]


def _snapshot(state: Any) -> bytes | str:
    """Bytes that change whenever the state does; exact built-in types only (a subclass cannot hide)."""
    try:
        return marshal.dumps(state, 2)  # version 2: no back-references, so sharing does not change it
    except (ValueError, RecursionError):  # subclasses and other types: read through the built-in methods
        return json.dumps(encode_value(state), sort_keys=True)


def _sorted_actions(legal: Any) -> list[str]:
    if type(legal) is not list or not all(type(a) is str for a in legal):
        raise TypeError(f"legal actions must be a list of str, got {short(legal, 100)}")
    return sorted(legal)


def _player(value: Any) -> int | str:
    return value if type(value) is int else short(value, 60)


def fuzz(game: GameCWM, seeds: list[int], max_steps: int = 500) -> list[dict[str, Any]]:
    """One random game per seed; per game, each step's raw facts and how the game ended."""
    return [_fuzz_one(game, int(seed), int(max_steps)) for seed in seeds]


def _fuzz_one(game: GameCWM, seed: int, max_steps: int) -> dict[str, Any]:
    """Per step `[player, number of legal actions, index drawn, action, repeated calls agree, keys of the
    input apply_action changed, whether apply_action returned]`; then `crash` (text or None)."""
    steps: list[list[Any]] = []
    record: dict[str, Any] = {"steps": steps, "crash": None}
    stream = draws(seed)
    try:
        state = game.get_initial_state()
        for _ in range(max_steps):
            player = game.get_current_player(state)
            listed = game.get_legal_actions(state)
            legal = _sorted_actions(listed)
            first = _snapshot((listed, game.get_observations(state), player))
            again = (game.get_legal_actions(state), game.get_observations(state), game.get_current_player(state))
            step: list[Any] = [_player(player), len(legal), None, None, _snapshot(again) == first, None, False]
            steps.append(step)
            if player == TERMINAL or not legal:
                game.get_rewards(state)
                break
            step[2] = pick(next(stream), len(legal))
            step[3] = action = legal[step[2]]
            before = _snapshot(state)
            new_state = game.apply_action(state, action)
            if _snapshot(state) != before:
                step[5] = _changed_keys(before, state)
            step[6] = True  # applied: the move is taken only once apply_action returned
            state = new_state
    except BaseException as exc:  # noqa: BLE001 - a candidate may raise anything, SystemExit included
        record["crash"] = error_text(exc)
    return record


def _changed_keys(before: bytes | str, state: Any) -> list[str]:
    """Which keys of `state` differ from its `_snapshot` taken before (both in the strict encoding)."""
    old = encode_value(marshal.loads(before)) if isinstance(before, bytes) else json.loads(before)  # our bytes
    new = encode_value(state)
    if not isinstance(old, dict) or not isinstance(new, dict):
        return ["<state>"]
    keys = [k for k in old if k not in new or old[k] != new[k]]
    return [short(k, 40) for k in keys][:20] or ["<order>"]


def _along(game: GameCWM, trajectories: list[list[Action]], record: Callable[[State], Any]) -> list[list[Any]]:
    """Replay each action sequence; `record(state)` at every step (initial state included), and an
    {"error": ...} entry where the candidate raised, which ends that trajectory."""
    out = []
    for actions in trajectories:
        steps: list[Any] = []
        try:
            state = game.get_initial_state()
            steps.append(record(state))
            for action in actions:
                state = game.apply_action(state, action)
                steps.append(record(state))
        except BaseException as exc:  # noqa: BLE001
            steps.append({"error": error_text(exc)})
        out.append(steps)
    return out


def trajectory_facts(game: GameCWM, trajectories: list[list[Action]]) -> list[list[Any]]:
    """Per trajectory and step: (player, sorted legal actions, rewards)."""
    return _along(
        game,
        trajectories,
        lambda state: [
            _player(game.get_current_player(state)),
            _sorted_actions(game.get_legal_actions(state)),
            [float(r) for r in game.get_rewards(state)],
        ],
    )


def observation_keys(game: GameCWM, trajectories: list[list[Action]]) -> list[list[Any]]:
    """Per trajectory and step, a digest of each player's observation, to compare which histories
    look alike to a player without shipping whole observations between processes."""
    return _along(game, trajectories, lambda state: [_digest(o) for o in game.get_observations(state)][:2])


def scenarios(game: GameCWM, requests: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each scenario's facts (`gamecwm.games.scenarios.scenario_facts`), made plain. A request holds the
    actions and the action that must be refused, never the expected values: those stay in the caller."""
    out = []
    for request in requests:
        illegal = request.get("illegal")
        facts = scenario_facts(game, request["actions"], {} if illegal is None else {"illegal": illegal})
        for key in ("legal", "rewards"):
            if key in facts:
                facts[key] = json.loads(canonical(facts[key]))
        if "current_player" in facts:
            facts["current_player"] = _player(facts["current_player"])
        out.append(facts)
    return out


def resample_trials(game: HiddenInformationGameCWM, seeds: list[int], max_steps: int = 500) -> list[dict[str, Any]]:
    """Per seed, play a random game, cut it at a drawn point and ask `resample_history` for both
    players: whether the returned sequence replays legally, reproduces the player's observations and
    actions, and ends exactly where the recorded history does; plus facts for stub detection. Each game
    also reports its `choices` ([legal count, index] per move) and `cut`, for the caller to check."""
    random.seed(int(seeds[0]) if seeds else 0)  # the candidate's own sampling, reproducible too
    trials = []
    for seed in seeds:
        stream = draws(int(seed))
        choices: list[list[int]] = []
        try:
            actions = _random_actions(game, stream, int(max_steps), choices)
        except BaseException as exc:  # noqa: BLE001
            trials.append({"error": f"random play failed: {error_text(exc)}", "seed": seed, "choices": choices})
            continue
        cut = pick(next(stream), len(actions) + 1)
        for player in (0, 1):
            try:
                trial = _resample_trial(game, actions[:cut], player)
            except BaseException as exc:  # noqa: BLE001
                trial = {"player": player, "error": f"replaying the recorded history raised {error_text(exc)}"}
            if trial is not None:
                trials.append({**trial, "seed": seed, "choices": choices, "cut": cut})
    return trials


def _random_actions(game: GameCWM, stream: Iterator[int], max_steps: int, choices: list[list[int]]) -> list[Action]:
    state, actions = game.get_initial_state(), []
    for _ in range(max_steps):
        legal = _sorted_actions(game.get_legal_actions(state))
        if game.get_current_player(state) == TERMINAL or not legal:
            break
        index = pick(next(stream), len(legal))
        choices.append([len(legal), index])
        actions.append(legal[index])
        state = game.apply_action(state, actions[-1])
    return actions


def _resample_trial(game: HiddenInformationGameCWM, prefix: list[Action], player: int) -> dict[str, Any] | None:
    history = observation_history(game, prefix, player)
    if not history:
        return None
    observations, taken = [o for o, _ in history], [a for _, a in history]
    trial: dict[str, Any] = {"player": player, "decisions": len(taken), "true_length": len(prefix)}
    try:
        # Three draws from the same history (each on a fresh copy: the candidate may modify its input);
        # the first is replayed, and how many differ tells a sampler from a deterministic stand-in.
        draws_ = [game.resample_history(copy.deepcopy(history), player) for _ in range(3)]
    except BaseException as exc:  # noqa: BLE001
        trial["error"] = f"resample_history raised {error_text(exc)}"
        return trial
    sampled = draws_[0]
    if not all(type(d) is list and all(type(a) is str for a in d) for d in draws_):
        trial["error"] = f"resample_history returned {short(sampled, 100)}, not a list of action strings"
        return trial
    trial["length"] = len(sampled)
    trial["distinct"] = len({tuple(d) for d in draws_})
    state, legal_ok = game.get_initial_state(), True
    try:
        for step, action in enumerate(sampled):
            if action not in _sorted_actions(game.get_legal_actions(state)):
                trial["legal_detail"] = (
                    f"action {short(action, 60)!r} at step {step} of the resampled history is illegal"
                )
                legal_ok = False
                break
            state = game.apply_action(state, action)
        got = observation_history(game, sampled, player) if legal_ok else []
        got_obs, got_actions = [o for o, _ in got], [a for _, a in got]
    except BaseException as exc:  # noqa: BLE001
        trial["legal_detail"] = f"replaying the resampled history raised {error_text(exc)}"
        legal_ok, got_obs, got_actions = False, [], []
    trial["legal"] = legal_ok
    if legal_ok:
        pairs = list(zip(got_obs, observations, strict=False))
        bad_obs = next((i for i, (g, w) in enumerate(pairs) if canonical(g) != canonical(w)), None)
        bad_act = next((i for i, (g, w) in enumerate(zip(got_actions, taken, strict=False)) if g != w), None)
        trial["observations"] = bad_obs is None
        trial["actions"] = bad_act is None
        trial["consumed"] = len(got_actions) == len(taken) and got_actions[-1:] == taken[-1:]
        if bad_obs is not None:
            trial["observations_detail"] = (
                f"decision {bad_obs}: expected {short(observations[bad_obs], 120)}, got {short(got_obs[bad_obs], 120)}"
            )
        if bad_act is not None:
            trial["actions_detail"] = (
                f"decision {bad_act}: expected {short(taken[bad_act], 60)!r}, got {short(got_actions[bad_act], 60)!r}"
            )
        if not trial["consumed"]:
            trial["consumed_detail"] = f"the player has {len(got_actions)} decisions in it, recorded {len(taken)}"
    return trial


SANDBOX_OPS: dict[str, Callable[..., Any]] = {
    "fuzz": fuzz,
    "trajectories": trajectory_facts,
    "observations": observation_keys,
    "scenarios": scenarios,
    "resample": resample_trials,
}
