"""`--scoring published`: the scoring of the paper's published evaluator, quirks included.

`strict` (the rest of `gamecwm.verifier`) is our own score. `published` reproduces how the evaluator
published with the SFT+GRPO paper (`evaluation/run_behavioral_metrics.py`, `scenario_runner.py` and
`eval_comparison.py` of tktserapio/internalizing-cwm-sft-grpo) scores a sample, so that numbers can
be compared with its tables. docs/scoring.md lists its checks and, check by check, how they differ
from ours.

Two halves, like `probes.py` and `checks.py`:

- worker side, next to the untrusted module: `published_facts` calls the module exactly as the
  published evaluator does and returns raw JSON-compatible facts. It holds no random generator of its
  own: every random choice is `pick(draw, n)` over the sorted legal actions, the draws coming from the
  caller's seeds, and each game records the `[n, index]` pairs it used.
- caller side: `published_tiers` checks those pairs (`checks.choices_problem`) and turns the facts
  into the published evaluator's checks; `published_overall` is its per-sample mean.

Seeding. The published evaluator draws from Python's global, unseeded `random`. Here game `i` of the
dynamics tier draws from `draws(seeds[i])` and game `i` of the information tier from
`draws(information_seeds(seeds)[i])`; the published evaluator plays 100 games per tier, so pass 100
seeds for its setting.

Where the published evaluator's process would die (a candidate raising `SystemExit` or another
`BaseException` where it only catches `Exception`, or an exception escaping its own code), its
comparison script scores the sample 0.0: here every check then fails with that reason.
"""

from __future__ import annotations

import copy
import math
import random
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, cast

from gamecwm.api import TERMINAL, GameCWM, HiddenInformationGameCWM, State
from gamecwm.sandbox.codec import error_text, short
from gamecwm.verifier.checks import choices_problem, forged_checks
from gamecwm.verifier.probes import MASK, draws, pick
from gamecwm.verifier.report import Check, Tier

if TYPE_CHECKING:
    from gamecwm.games import GamePack
from gamecwm.verifier.report import published_overall as published_overall  # re-exported: the published score

# The functions the published static tier asks for (`hasattr`): neither get_player_name nor
# resample_history is among them.
PUBLISHED_FUNCTIONS = (
    "get_initial_state",
    "apply_action",
    "get_current_player",
    "get_legal_actions",
    "get_rewards",
    "get_observations",
)
STATIC_CHECKS = (
    "syntax",
    "api_complete",
    "initial_state_type",
    "actions_type",
    "rewards_type",
    "observations_type",
    "player_type",
)
DYNAMICS_CHECKS = ("no_crash", "immutable", "determinism", "terminal_empty")
INFORMATION_CHECKS = ("resample_legal", "obs_reconstruction", "action_consistency", "resample_complete")
# The only scenario check keys the published runner reads, in the order it reads them; it ignores
# every other key (rewards, legal_include, legal_exclude, illegal).
SCENARIO_KEYS = ("terminal", "current_player", "rewards_sign", "winner")
STAGES = ("static", "dynamics", "information", "scenarios")

GAMES = 100  # random games per tier in the published setting
# What the published generator writes before every reply's code: its standard imports.
STANDARD_IMPORTS = (
    "import copy\nimport random\nfrom copy import deepcopy\n"
    "from typing import List, Dict, Any, Optional, Tuple\nfrom collections import defaultdict, Counter\n"
)
DYNAMICS_STEPS = 500  # the published dynamics step cap (the `max_steps` default)
INFORMATION_STEPS = 200  # the published information tier's own step cap
TIMEOUT_S = 60  # the published comparison script's wall-clock limit per sample
INFORMATION_SALT = 0x5DEECE66D1F0B7A3  # information game i draws from draws(seeds[i] ^ INFORMATION_SALT)


def information_seeds(seeds: list[int]) -> list[int]:
    """The seeds of the information tier's games, derived from the dynamics tier's."""
    return [(int(seed) ^ INFORMATION_SALT) & MASK for seed in seeds]


# -- worker side ------------------------------------------------------------------------------


class _Escape(BaseException):
    """The published evaluator's process would die here (what it does not catch, it does not survive)."""


def _printable(value: Any) -> bool:
    """Whether `str(value)` works: the published evaluator formats some values and exceptions into its
    messages, outside any handler, and dies when that raises."""
    try:
        str(value)
        return True
    except BaseException:  # noqa: BLE001
        return False


def _caught(exc: BaseException, where: str) -> str:
    """An exception the published code catches with `except Exception` and then formats with `str`."""
    if not _printable(exc):
        raise _Escape(f"{where}: formatting the candidate's {type(exc).__name__} raised")
    return error_text(exc)


def _safe_call(where: str, function: Any, *args: Any) -> tuple[Any, str | None]:
    """The published `safe_call`: (value, None) or (None, error text); it catches `Exception` only."""
    try:
        return function(*args), None
    except Exception as exc:  # noqa: BLE001
        return None, _caught(exc, where)
    except BaseException as exc:  # noqa: BLE001 - SystemExit and the like: the published process dies
        raise _Escape(f"{where}: {error_text(exc)}") from None


def _plain(value: Any) -> Any:
    """A candidate's value as JSON for comparisons in the caller: numbers and strings as they are
    (int and float subclasses as their built-in value), non-finite floats and anything else as a dict,
    which equals no number."""
    if value is None or type(value) in (bool, int, str):
        return value
    try:
        if isinstance(value, int):
            return int(value)
        if isinstance(value, float):
            number = float(value)
            return number if math.isfinite(number) else {"float": repr(number)}
    except BaseException:  # noqa: BLE001
        pass
    return {"type": type(value).__name__, "repr": short(value, 120)}


def _choose(actions: Any, stream: Iterator[int], choices: list[list[int]]) -> Any:
    """`random.choice(actions)` with the caller's draws: over the sorted actions when they are a list
    or tuple of strings (the candidate cannot steer the draw by ordering them), else in the
    candidate's order, with the same `len` and indexing as `random.choice` (so what fails there fails
    here)."""
    if type(actions) in (list, tuple) and all(type(a) is str for a in actions):
        actions = sorted(actions)
    n = len(actions)
    if type(n) is not int or n < 1:
        raise IndexError("Cannot choose from an empty sequence")
    index = pick(next(stream), n)
    choices.append([n, index])
    return actions[index]


def _static(game: GameCWM) -> dict[str, Any]:
    """What the published static tier sees, in its order; it stops where it stops."""
    has = {}
    for name in PUBLISHED_FUNCTIONS:
        try:
            has[name] = hasattr(game, name)
        except BaseException as exc:  # noqa: BLE001 - hasattr only swallows AttributeError
            raise _Escape(f"static: hasattr({name}) raised {error_text(exc)}") from None
    facts: dict[str, Any] = {"has": has}
    if not all(has.values()):
        return facts
    state, error = _safe_call("static: get_initial_state", game.get_initial_state)
    facts["initial_state"] = {"error": error} if error is not None else {
        "is_dict": isinstance(state, dict), "type": type(state).__name__}  # fmt: skip
    if state is None:  # raised, or returned None: the published tier stops here
        return facts
    try:
        actions, error = _safe_call("static: get_legal_actions", game.get_legal_actions, state)
        facts["actions"] = {"error": error} if error is not None else {
            "list_of_str": isinstance(actions, list) and all(isinstance(a, str) for a in actions),
            "type": type(actions).__name__}  # fmt: skip
        rewards, error = _safe_call("static: get_rewards", game.get_rewards, state)
        if error is not None:
            facts["rewards"] = {"error": error}
        else:
            ok = isinstance(rewards, list) and all(isinstance(r, (int, float)) for r in rewards)
            if not ok and not _printable(rewards):  # its message is str(rewards)
                raise _Escape("static: formatting the rewards raised")
            facts["rewards"] = {"list_of_numbers": ok, "repr": short(rewards, 120)}
        observations, error = _safe_call("static: get_observations", game.get_observations, state)
        facts["observations"] = {"error": error} if error is not None else {
            "nonempty_list": isinstance(observations, list) and len(observations) >= 1,
            "type": type(observations).__name__}  # fmt: skip
        player, error = _safe_call("static: get_current_player", game.get_current_player, state)
        facts["player"] = {"error": error} if error is not None else {
            "is_int": isinstance(player, int), "type": type(player).__name__}  # fmt: skip
    except _Escape:
        raise
    except BaseException as exc:  # noqa: BLE001 - the type tests run candidate code outside any handler
        raise _Escape(f"static: inspecting a returned value raised {error_text(exc)}") from None
    return facts


def _dynamics_game(game: GameCWM, seed: int, max_steps: int) -> dict[str, Any]:
    """One published dynamics game: per property, the first step that broke it; `crash` ends the game
    (and takes it out of every count)."""
    stream = draws(seed)
    choices: list[list[int]] = []
    record: dict[str, Any] = {"choices": choices, "steps": 0, "crash": None, "mutated": None,
                              "nondeterministic": None, "terminal_with_actions": None, "capped": False}  # fmt: skip
    try:
        state = game.get_initial_state()
        for step in range(max_steps):
            player = game.get_current_player(state)
            if player == TERMINAL:
                if game.get_legal_actions(state) != []:
                    record["terminal_with_actions"] = step
                break
            actions = game.get_legal_actions(state)
            if not actions:
                break
            again = game.get_legal_actions(state)
            first, second = game.get_observations(state), game.get_observations(state)
            if (actions != again or first != second) and record["nondeterministic"] is None:
                record["nondeterministic"] = step
            action = _choose(actions, stream, choices)
            before = copy.deepcopy(state)
            new_state = game.apply_action(state, action)
            if state != before and record["mutated"] is None:
                record["mutated"] = step
            state = new_state
            record["steps"] = step + 1
        else:
            record["capped"] = True
    except BaseException as exc:  # noqa: BLE001 - the published dynamics loop has a bare `except:`
        record["crash"] = error_text(exc)
    return record


def _information_game(game: HiddenInformationGameCWM, seed: int) -> dict[str, Any]:
    """One published information game: a random player, a whole random game (its observations and
    actions), then `resample_history` on that history, replayed and compared."""
    stream = draws(seed)
    choices: list[list[int]] = []
    pid = pick(next(stream), 2)
    choices.append([2, pid])
    record: dict[str, Any] = {"choices": choices, "pid": pid, "play_error": None, "decisions": 0, "outcome": None}
    history: list[tuple[Any, Any]] = []
    try:
        state = game.get_initial_state()
        for _ in range(INFORMATION_STEPS):
            player = game.get_current_player(state)
            if player == TERMINAL:
                break
            actions = game.get_legal_actions(state)
            if not actions:
                break
            action = _choose(actions, stream, choices)
            if player == pid:
                observations = game.get_observations(state)
                if isinstance(observations, list) and len(observations) > pid:
                    history.append((copy.deepcopy(observations[pid]), action))
            state = game.apply_action(state, action)
    except Exception as exc:  # noqa: BLE001 - the game is skipped, not counted
        record["play_error"] = error_text(exc)
        return record
    except BaseException as exc:  # noqa: BLE001
        raise _Escape(f"information: random play raised {error_text(exc)}") from None
    record["decisions"] = len(history)
    if not history:
        return record
    try:
        resampled = game.resample_history(copy.deepcopy(history), pid)
        if not isinstance(resampled, list):
            record["outcome"] = {"not_list": type(resampled).__name__}
            return record
        state = game.get_initial_state()
        expected = iter(history)
        want_obs, want_action = next(expected, (None, None))
        legal = obs_match = actions_match = True
        detail = None
        replayed = 0
        for action in resampled:
            if game.get_current_player(state) == TERMINAL:
                break
            if action not in game.get_legal_actions(state):
                legal = obs_match = actions_match = False
                detail = f"action {short(action, 120)} at step {replayed} is not legal"
                break
            if game.get_current_player(state) == pid:
                if want_obs is None:
                    actions_match = False
                    detail = f"a decision of player {pid} at step {replayed} beyond the recorded history"
                    break
                if game.get_observations(state)[pid] != want_obs:
                    obs_match = False
                    detail = detail or f"observation differs at step {replayed}"
                if action != want_action:
                    actions_match = False
                    detail = detail or f"action {short(action, 120)} at step {replayed} differs from the record"
                want_obs, want_action = next(expected, (None, None))
            state = game.apply_action(state, action)
            replayed += 1
        record["outcome"] = {"legal": legal, "obs": obs_match, "actions": actions_match,
                             "exhausted": want_obs is None, "detail": detail}  # fmt: skip
    except Exception as exc:  # noqa: BLE001 - the published code passes: no count for this game
        record["outcome"] = {"error": error_text(exc)}
    except BaseException as exc:  # noqa: BLE001
        raise _Escape(f"information: resample_history raised {error_text(exc)}") from None
    return record


def _information(game: GameCWM, seeds: list[int]) -> dict[str, Any]:
    try:
        has = hasattr(game, "resample_history")
    except BaseException as exc:  # noqa: BLE001
        raise _Escape(f"information: hasattr(resample_history) raised {error_text(exc)}") from None
    if not has:
        return {"has_resample": False, "games": []}
    hidden = cast(HiddenInformationGameCWM, game)  # as published: `hasattr`, not `callable`
    return {"has_resample": True, "games": [_information_game(hidden, seed) for seed in information_seeds(seeds)]}


def _scenario_call(game: GameCWM, state: State, key: str) -> dict[str, Any]:
    """One call the published runner makes for a check key, and what it computes from the answer."""
    try:
        if key in ("terminal", "current_player"):
            player = game.get_current_player(state)
            return {"value": _plain(player), "printable": _printable(player)}
        rewards = game.get_rewards(state)
        if key == "rewards_sign":  # a list of exact ints, plain as it is
            value: Any = [int(math.copysign(1, r)) if r != 0.0 else 0 for r in rewards]
        else:
            value = _plain(rewards.index(max(rewards)))
        return {"value": value, "printable": _printable(rewards), "rewards": short(rewards, 120)}
    except Exception as exc:  # noqa: BLE001
        return {"error": error_text(exc), "printable": _printable(exc)}
    except BaseException as exc:  # noqa: BLE001 - fatal only if the runner gets this far (the caller knows)
        return {"escaped": error_text(exc)}


def _scenarios(game: GameCWM, requests: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each scenario replayed as the published runner does: its actions applied without asking whether
    they are legal, then the calls its check keys need. A request holds the actions and the names of
    the check keys, never their expected values."""
    out: list[dict[str, Any]] = []
    for request in requests:
        keys = request.get("keys", SCENARIO_KEYS)
        try:
            state = game.get_initial_state()
            for action in request["actions"]:
                state = game.apply_action(state, action)
        except Exception as exc:  # noqa: BLE001
            out.append({"error": _caught(exc, "scenarios")})
            continue
        except BaseException as exc:  # noqa: BLE001
            raise _Escape(f"scenarios: replay raised {error_text(exc)}") from None
        out.append({"calls": {key: _scenario_call(game, state, key) for key in SCENARIO_KEYS if key in keys}})
    return out


def published_facts(
    game: GameCWM,
    info: str,
    scenarios: list[dict[str, Any]],
    seeds: list[int],
    max_steps: int = DYNAMICS_STEPS,
    stages: list[str] | tuple[str, ...] = STAGES,
) -> dict[str, Any]:
    """Exercise `game` as the published evaluator does and return raw facts (worker side).

    `scenarios`: one request per scenario, `{"actions": [...], "keys": [check key names]}`
    (`published_requests` builds them); `seeds`: one per random game of each of the dynamics and
    information tiers; `max_steps`: the dynamics step cap (the information tier keeps its own 200);
    `stages`: which of static, dynamics, information, scenarios to run (all by default; static alone
    rebuilds a timed-out sample as the published script does). `info` is kept for the sandbox op's
    signature: the information stage runs whenever the module has `resample_history`, as published,
    and the caller decides whether it counts.
    """
    del info
    random.seed(int(seeds[0]) if seeds else 0)  # the candidate's own sampling, reproducible too
    facts: dict[str, Any] = {"escaped": None}
    try:
        if "static" in stages:
            facts["static"] = _static(game)
        if "dynamics" in stages:
            facts["dynamics"] = [_dynamics_game(game, int(seed), int(max_steps)) for seed in seeds]
        if "information" in stages:
            facts["information"] = _information(game, seeds)
        if "scenarios" in stages:
            facts["scenarios"] = _scenarios(game, scenarios)
    except _Escape as exc:
        facts["escaped"] = short(str(exc))
    return facts


SANDBOX_OPS: dict[str, Callable[..., Any]] = {"published": published_facts}


# -- caller side ------------------------------------------------------------------------------


def published_requests(pack: GamePack) -> list[dict[str, Any]]:
    """The scenario requests for `published_facts`: actions and check key names only."""
    return [{"actions": list(s.actions), "keys": [k for k in SCENARIO_KEYS if k in s.checks]} for s in pack.scenarios]


def _failing(names: tuple[str, ...] | list[str], reason: str) -> Tier:
    return Tier([Check(name, False, reason) for name in names])


def _scenario_names(pack: GamePack) -> list[str]:
    return [s.name for s in pack.scenarios]


def published_load_failure_tiers(pack: GamePack, reason: str) -> dict[str, Tier]:
    """A module that does not compile or import: the published evaluator fails every check it would
    have run (information only where it counts); the sample scores 0."""
    tiers = {"static": _failing(STATIC_CHECKS, reason), "dynamics": _failing(DYNAMICS_CHECKS, reason)}
    if pack.scenarios:
        tiers["scenarios"] = _failing(_scenario_names(pack), reason)
    if pack.info == "imperfect":
        tiers["information"] = _failing(INFORMATION_CHECKS, reason)
    return tiers


def _dead(pack: GamePack, reason: str) -> dict[str, Tier]:
    """The published evaluator's process died: its comparison script scores the sample 0.0 (and reports
    no tier). Every check fails with the reason, so the overall is 0 here too."""
    return published_load_failure_tiers(pack, f"the published evaluator would die here, scoring 0: {reason}")


def published_timeout_tiers(facts: dict[str, Any] | None, pack: GamePack) -> dict[str, Tier]:
    """A sample that ran past the published time limit (`TIMEOUT_S`): the published script scores
    static again (here from `published_facts(..., stages=("static",))`), gives dynamics and information
    one failing `timeout` check each and fails every scenario. `facts` None: the module does not even
    load, and the published script keeps a single failing `syntax` check (overall 0)."""
    if facts is None:
        return {"static": _failing(("syntax",), "the module does not load")}
    try:
        if facts.get("escaped"):
            raise ValueError(facts["escaped"])
        static = Tier(_static_checks(facts["static"]))
    except Exception as exc:  # noqa: BLE001
        static = _failing(STATIC_CHECKS, f"static facts unusable: {short(str(exc), 200)}")
    tiers = {"static": static, "dynamics": _failing(("timeout",), "killed at the time limit")}
    if pack.scenarios:
        tiers["scenarios"] = _failing(_scenario_names(pack), "timeout")
    if pack.info == "imperfect":
        tiers["information"] = _failing(("timeout",), "killed at the time limit")
    return tiers


def _static_checks(facts: dict[str, Any]) -> list[Check]:
    checks = [Check("syntax", True, "compiles")]
    missing = [name for name in PUBLISHED_FUNCTIONS if facts["has"].get(name) is not True]
    checks.append(Check("api_complete", not missing, f"missing: {', '.join(missing)}" if missing else "ok"))
    if missing:
        return checks + [Check(name, False, "api incomplete") for name in STATIC_CHECKS[2:]]
    initial = facts["initial_state"]
    if "error" in initial:
        checks.append(Check("initial_state_type", False, str(initial["error"])))
    else:
        checks.append(Check("initial_state_type", initial["is_dict"] is True, str(initial["type"])))
    if "actions" not in facts:  # get_initial_state raised or returned None
        return checks + [Check(name, False, "no state") for name in STATIC_CHECKS[3:]]

    def typed(name: str, key: str, flag: str, shown: str) -> Check:
        fact = facts[key]
        if "error" in fact:
            return Check(name, False, str(fact["error"]))
        return Check(name, fact[flag] is True, shown if fact[flag] is True else str(fact.get("type", fact.get("repr"))))

    return checks + [
        typed("actions_type", "actions", "list_of_str", "list[str]"),
        typed("rewards_type", "rewards", "list_of_numbers", "list[float]"),
        typed("observations_type", "observations", "nonempty_list", "list"),
        typed("player_type", "player", "is_int", "int"),
    ]


def _dynamics_checks(records: list[dict[str, Any]], seeds: list[int]) -> list[Check]:
    forged = choices_problem(seeds, [record["choices"] for record in records])
    if forged:
        return forged_checks(DYNAMICS_CHECKS, forged)
    n = len(seeds)
    survived = [r for r in records if not r["crash"]]
    ran = len(survived)
    denominator = ran if ran > 0 else n  # the published message's denominator
    crashed = [(i, r) for i, r in enumerate(records) if r["crash"]]
    detail = f"{ran}/{n}"
    if crashed:
        detail += f"; first crash in game {crashed[0][0]}: {short(crashed[0][1]['crash'], 200)}"
    checks = [Check("no_crash", ran == n, detail)]
    # The other three count only the games that did not crash: with none, they all pass.
    for name, key in (("immutable", "mutated"), ("determinism", "nondeterministic"),
                      ("terminal_empty", "terminal_with_actions")):  # fmt: skip
        held = [r for r in survived if r[key] is None]
        broken = [(i, r) for i, r in enumerate(records) if not r["crash"] and r[key] is not None]
        text = f"{len(held)}/{denominator}"
        if broken:
            text += f"; first in game {broken[0][0]} at step {broken[0][1][key]}"
        checks.append(Check(name, len(held) == ran, text))
    return checks


def _information_checks(facts: dict[str, Any], seeds: list[int]) -> list[Check]:
    if facts["has_resample"] is not True:
        return [Check(name, False, "resample_history not implemented") for name in INFORMATION_CHECKS]
    games = facts["games"]
    forged = choices_problem(information_seeds(seeds), [g["choices"] for g in games])
    if not forged and any(g["choices"][0] != [2, g["pid"]] for g in games):
        forged = "a game's player is not the one the verifier drew"
    if forged:
        return forged_checks(INFORMATION_CHECKS, forged)
    runs = [g for g in games if g["play_error"] is None and g["decisions"] >= 1]
    if not runs:
        return [Check("resample_testable", False, "no tests ran")]
    counts = dict.fromkeys(INFORMATION_CHECKS, 0)
    firsts: dict[str, str] = {}
    for index, game in enumerate(runs):
        outcome = game["outcome"] or {}
        if "legal" in outcome:
            legal = outcome["legal"] is True
            complete = legal and outcome["exhausted"] is True
            held = {
                "resample_legal": legal,
                "obs_reconstruction": complete and outcome["obs"] is True,
                "action_consistency": complete and outcome["actions"] is True,
                "resample_complete": complete,
            }
            why = outcome.get("detail") or ("the recorded history was not consumed" if not complete else "")
        else:  # raised, or returned no list: no count for this game
            held = dict.fromkeys(INFORMATION_CHECKS, False)
            why = outcome.get("error") or f"resample_history returned {outcome.get('not_list')}, not a list"
        for name, ok in held.items():
            counts[name] += ok
            if not ok:
                firsts.setdefault(name, f"first in run {index} (player {game['pid']}): {short(why, 200)}")
    checks = []
    for name in INFORMATION_CHECKS:
        detail = f"{counts[name]}/{len(runs)}" + (f"; {firsts[name]}" if name in firsts else "")
        checks.append(Check(name, counts[name] == len(runs), detail))
    return checks


class _Died(Exception):
    """A fatal call was reached in the caller's replay of the published runner's logic."""


def _scenario_check(scenario: Any, fact: dict[str, Any]) -> Check:
    if "error" in fact:
        return Check(scenario.name, False, str(fact["error"]))
    calls = fact["calls"]
    for key in SCENARIO_KEYS:
        if key not in scenario.checks:
            continue
        want, call = scenario.checks[key], calls[key]
        if "escaped" in call:
            raise _Died(f"scenario {scenario.name!r}, {key}: {call['escaped']}")
        if "error" in call:
            if call.get("printable") is not True:
                raise _Died(f"scenario {scenario.name!r}: formatting the candidate's exception raised")
            return Check(scenario.name, False, str(call["error"]))
        value = call["value"]
        got = value == TERMINAL if key == "terminal" else value
        if got != want:
            if key != "terminal" and call.get("printable") is not True:
                raise _Died(f"scenario {scenario.name!r}: formatting the candidate's value raised")
            shown = f" (rewards={call['rewards']})" if "rewards" in call else ""
            return Check(scenario.name, False, f"{key}={short(got, 80)}, want {want}{shown}")
    return Check(scenario.name, True, "ok")


def _guard(judge: Callable[[], list[Check]], names: tuple[str, ...] | list[str]) -> Tier:
    """A tier judged from facts a hostile worker shaped: malformed facts fail its checks, with the reason."""
    try:
        return Tier(judge())
    except _Died:
        raise
    except Exception as exc:  # noqa: BLE001
        return _failing(names, f"malformed facts ({type(exc).__name__}: {short(str(exc), 200)})")


def published_tiers(facts: dict[str, Any], pack: GamePack, seeds: list[int]) -> dict[str, Tier]:
    """The published evaluator's tiers for the facts `published_facts` returned (caller side).

    Tier names as in our reports (static, dynamics, scenarios and, for hidden-information games,
    information), each holding the published tier's own checks. The published evaluator runs its
    information tier on every game but leaves it out of perfect-information games' scores: here it is
    then left out.
    """
    try:
        escaped = facts.get("escaped")
        if escaped:
            return _dead(pack, short(str(escaped), 300))
        tiers = {
            "static": _guard(lambda: _static_checks(facts["static"]), STATIC_CHECKS),
            "dynamics": _guard(lambda: _dynamics_checks(facts["dynamics"], seeds), DYNAMICS_CHECKS),
        }
        if pack.scenarios:

            def scenario_checks() -> list[Check]:
                if len(facts["scenarios"]) != len(pack.scenarios):
                    raise ValueError(f"{len(facts['scenarios'])} scenario facts for {len(pack.scenarios)} scenarios")
                return [_scenario_check(s, f) for s, f in zip(pack.scenarios, facts["scenarios"], strict=True)]

            tiers["scenarios"] = _guard(scenario_checks, _scenario_names(pack))
        if pack.info == "imperfect":
            tiers["information"] = _guard(lambda: _information_checks(facts["information"], seeds),
                                          INFORMATION_CHECKS)  # fmt: skip
        return tiers
    except _Died as exc:
        return _dead(pack, str(exc))
    except Exception as exc:  # noqa: BLE001 - facts that are not even a dict
        return published_load_failure_tiers(pack, f"malformed facts ({type(exc).__name__}: {short(str(exc), 200)})")
