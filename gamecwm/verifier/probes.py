"""Probes: exercise a GameCWM and record raw facts, never verdicts.

Probes run in the caller, out of the candidate's reach, against a `RemoteGame` (the candidate in its
sandboxed worker, or a trusted module hosted in-process): every random choice is drawn here from a
generator the candidate cannot touch, and every comparison is made here. Everything they return is
JSON-compatible; `gamecwm.verifier.checks` turns the facts into pass/fail checks. A `SandboxError`
(the worker hung or died) passes through and ends the stage; anything else the candidate caused is a
fact about it.
"""

from __future__ import annotations

import copy
import hashlib
import json
import random
from typing import Any

from gamecwm.api import TERMINAL, observation_history
from gamecwm.sandbox import SandboxError

MAX_DETAIL = 300


def short(value: Any, limit: int = MAX_DETAIL) -> str:
    """A bounded text for details: strings as they are, anything else as its repr."""
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def canonical(value: Any) -> str:
    """A stable text form of a state or observation, for equality across processes."""
    try:
        return json.dumps(value, sort_keys=True, default=repr)
    except (TypeError, ValueError):
        return repr(value)


def _digest(value: Any) -> str:
    return hashlib.sha1(canonical(value).encode()).hexdigest()[:16]


def _error(exc: BaseException) -> str:
    name = type(exc).__name__
    return short(str(exc) if name == "CandidateError" else f"{name}: {exc}")


def fuzz(game: Any, num_games: int, seed: int, max_steps: int = 500) -> list[dict[str, Any]]:
    """Play `num_games` random games; per game, the first violation of each dynamics property."""
    rng = random.Random(seed)
    return [_fuzz_one(game, rng, max_steps) for _ in range(num_games)]


def _fuzz_one(game: Any, rng: random.Random, max_steps: int) -> dict[str, Any]:
    result: dict[str, Any] = {
        "steps": 0,
        "crash": None,
        "mutation": None,
        "nondeterminism": None,
        "terminal": None,
    }
    actions: list[str] = []
    try:
        state = game.get_initial_state()
        for step in range(max_steps):
            where = f"step {step} after {short(actions[-5:], 120)}"
            player = game.get_current_player(state)
            legal = game.get_legal_actions(state)
            observations = game.get_observations(state)
            if result["nondeterminism"] is None:
                again = (
                    game.get_legal_actions(state),
                    game.get_observations(state),
                    game.get_current_player(state),
                )
                if canonical(again) != canonical((legal, observations, player)):
                    result["nondeterminism"] = f"{where}: repeated calls on one state disagree"
            is_terminal = player == TERMINAL
            if result["terminal"] is None and is_terminal != (len(legal) == 0):
                result["terminal"] = f"{where}: current player {player} with {len(legal)} legal actions"
            if is_terminal or not legal:
                game.get_rewards(state)
                break
            action = rng.choice(sorted(legal))  # sorted: the same game whatever order the candidate lists
            new_state = game.apply_action(state, action)
            if result["mutation"] is None and state.changed:
                changed = state.changed
                result["mutation"] = f"{where}: apply_action({action!r}) changed the input's keys {short(changed, 80)}"
            state = new_state
            actions.append(action)
            result["steps"] = step + 1
    except SandboxError:
        raise
    except Exception as exc:  # noqa: BLE001 - whatever the candidate's answers made go wrong
        result["crash"] = f"step {len(actions)} after {short(actions[-5:], 120)}: {_error(exc)}"
    return result


def _along(game: Any, trajectories: list[list[str]], record: Any) -> list[list[Any]]:
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
        except SandboxError:
            raise
        except Exception as exc:  # noqa: BLE001
            steps.append({"error": _error(exc)})
        out.append(steps)
    return out


def trajectory_facts(game: Any, trajectories: list[list[str]]) -> list[list[Any]]:
    """Per trajectory and step: (player, sorted legal actions, rewards)."""
    return _along(
        game,
        trajectories,
        lambda state: [
            game.get_current_player(state),
            sorted(game.get_legal_actions(state)),
            [float(r) for r in game.get_rewards(state)],
        ],
    )


def observation_keys(game: Any, trajectories: list[list[str]]) -> list[list[Any]]:
    """Per trajectory and step, a digest of each player's observation, to compare which histories
    look alike to a player without shipping whole observations between processes."""
    return _along(game, trajectories, lambda state: [_digest(o) for o in game.get_observations(state)][:2])


def resample_trials(game: Any, num_games: int, seed: int, max_steps: int = 500) -> list[dict[str, Any]]:
    """Play random games, cut each at a random point and ask `resample_history` for both players.

    Per trial: whether the returned sequence replays legally, reproduces the player's observations
    and actions, and ends exactly where the recorded history does; plus facts for stub detection.
    """
    rng = random.Random(seed)
    game.seed(seed)  # the candidate's own sampling, reproducible too
    trials = []
    for _ in range(num_games):
        try:
            actions = _random_actions(game, rng, max_steps)
        except SandboxError:
            raise
        except Exception as exc:  # noqa: BLE001
            trials.append({"error": f"random play failed: {_error(exc)}"})
            continue
        cut = rng.randrange(len(actions) + 1)
        for player in (0, 1):
            try:
                trial = _resample_trial(game, actions[:cut], player)
            except SandboxError:
                raise
            except Exception as exc:  # noqa: BLE001
                trial = {"player": player, "error": f"replaying the recorded history raised {_error(exc)}"}
            if trial is not None:
                trials.append(trial)
    return trials


def _random_actions(game: Any, rng: random.Random, max_steps: int) -> list[str]:
    state, actions = game.get_initial_state(), []
    for _ in range(max_steps):
        legal = game.get_legal_actions(state)
        if game.get_current_player(state) == TERMINAL or not legal:
            break
        actions.append(rng.choice(sorted(legal)))
        state = game.apply_action(state, actions[-1])
    return actions


def _resample_trial(game: Any, prefix: list[str], player: int) -> dict[str, Any] | None:
    history = observation_history(game, prefix, player)
    if not history:
        return None
    observations, taken = [o for o, _ in history], [a for _, a in history]
    trial: dict[str, Any] = {"player": player, "decisions": len(taken), "true_length": len(prefix)}
    try:
        # Three draws from the same history (each on a fresh copy: the candidate may modify its input);
        # the first is replayed, and how many differ tells a sampler from a deterministic stand-in.
        draws = [game.resample_history(copy.deepcopy(history), player) for _ in range(3)]
    except SandboxError:
        raise
    except Exception as exc:  # noqa: BLE001
        trial["error"] = f"resample_history raised {_error(exc)}"
        return trial
    sampled = draws[0]
    if not all(isinstance(d, list) and all(isinstance(a, str) for a in d) for d in draws):
        trial["error"] = f"resample_history returned {short(sampled, 100)}, not a list of action strings"
        return trial
    trial["length"] = len(sampled)
    trial["distinct"] = len({tuple(d) for d in draws})
    state, legal_ok = game.get_initial_state(), True
    try:
        for step, action in enumerate(sampled):
            if action not in game.get_legal_actions(state):
                trial["legal_detail"] = f"action {action!r} at step {step} of the resampled history is not legal"
                legal_ok = False
                break
            state = game.apply_action(state, action)
        got = observation_history(game, sampled, player) if legal_ok else []
        got_obs, got_actions = [o for o, _ in got], [a for _, a in got]
    except SandboxError:
        raise
    except Exception as exc:  # noqa: BLE001
        trial["legal_detail"] = f"replaying the resampled history raised {_error(exc)}"
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
            trial["actions_detail"] = f"decision {bad_act}: expected {taken[bad_act]!r}, got {got_actions[bad_act]!r}"
        if not trial["consumed"]:
            trial["consumed_detail"] = f"the player has {len(got_actions)} decisions in it, recorded {len(taken)}"
    return trial
