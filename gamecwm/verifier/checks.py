"""Turn probe facts into named pass/fail checks, tier by tier (docs/architecture.md §4). Runs in the caller.

Every function here takes the raw facts a probe returned (plain JSON values) and returns `Check`s
with a detail a person can act on: the step, the action, the expected and actual values.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from typing import Any

from gamecwm.api import TERMINAL
from gamecwm.games import Scenario
from gamecwm.games.scenarios import judge_scenario
from gamecwm.sandbox.codec import short
from gamecwm.verifier.probes import draws, pick
from gamecwm.verifier.report import Check

STATIC_CHECKS = (
    "compiles",
    "api_complete",
    "initial_state_is_dict",
    "legal_actions_are_strings",
    "rewards_are_numbers",
    "observations_are_list",
    "current_player_is_int",
)
DYNAMICS_CHECKS = ("no_crash", "immutable", "deterministic", "terminal_iff_no_legal_actions")
INFORMATION_CHECKS = ("resample_legal", "resample_observations", "resample_actions", "resample_consumed")
TRAJECTORY_CHECKS = ("legal_actions_agree", "current_player_agrees", "terminal_agrees", "rewards_agree")
# A sampler that gave one answer to each of this many histories (3 draws each) is not sampling.
MIN_TRIALS_FOR_VARIATION = 4
INFOSET_CHECKS = ("same_information_same_observation", "different_information_different_observation")


def not_run(names: tuple[str, ...] | list[str], reason: str) -> list[Check]:
    return [Check(name, False, f"not run: {reason}", 0.0) for name in names]


def static_checks(
    load: dict[str, Any], api: dict[str, Any] | None, injected: list[str], api_failure: str = ""
) -> list[Check]:
    note = f" (imports injected: {'; '.join(injected)})" if injected else ""
    if not load.get("compiled"):
        return [Check("compiles", False, f"does not compile: {load.get('error')}")] + not_run(
            STATIC_CHECKS[1:], "the module does not compile"
        )
    if load.get("error"):
        return [Check("compiles", False, f"compiles but fails on import: {load['error']}{note}")] + not_run(
            STATIC_CHECKS[1:], "the module fails on import"
        )
    if api is None:
        return [Check("compiles", True, f"compiles and imports{note}")] + not_run(STATIC_CHECKS[1:], api_failure)
    missing = api["missing"]
    checks = [
        Check("compiles", True, f"compiles and imports{note}"),
        Check(
            "api_complete",
            not missing,
            f"missing: {', '.join(missing)}" if missing else "all functions defined",
        ),
    ]

    def typed(name: str, key: str, ok: Any, want: str) -> Check:
        fact = api[key]
        if "error" in fact:
            return Check(name, False, f"{key.replace('_', ' ')} on the initial state raised {fact['error']}")
        if ok(fact):
            size = f" of {fact['shape']['len']}" if "len" in fact["shape"] else ""
            return Check(name, True, f"{fact['type']}{size}")
        return Check(name, False, f"expected {want}, got {fact['type']} {fact['repr']}")

    checks += [
        typed("initial_state_is_dict", "initial_state", lambda f: f["type"] == "dict", "a dict"),
        typed("legal_actions_are_strings", "legal_actions", lambda f: f["type"] == "list" and f["shape"]["all_str"],
              "a list of strings"),
        typed("rewards_are_numbers", "rewards", lambda f: f["type"] == "list" and f["shape"]["all_number"],
              "a list of numbers"),
        typed("observations_are_list", "observations", lambda f: f["type"] == "list" and f["shape"]["len"] > 0,
              "a non-empty list"),
        typed("current_player_is_int", "current_player", lambda f: f["shape"].get("is_int"), "an int"),
    ]  # fmt: skip
    return checks


def choices_problem(seeds: list[int], moves: list[list[Any]]) -> str | None:
    """Why these games' moves ([legal count, index] each) are not the ones the verifier's `seeds`
    draw, or None: a worker that steered its own random games is caught here."""
    if len(moves) != len(seeds):
        return f"the worker reported {len(moves)} games for {len(seeds)} seeds"
    for game, (seed, played) in enumerate(zip(seeds, moves, strict=True)):
        stream = draws(seed)
        for step, (n, index) in enumerate(played):
            if type(n) is not int or n < 1 or index != pick(next(stream), n):
                return f"game {game}, step {step}: move {index!r} of {n!r} is not the one the verifier drew"
    return None


def forged_checks(names: tuple[str, ...] | list[str], problem: str) -> list[Check]:
    """Every check of a tier failing because the worker's random games did not follow the draws."""
    reason = f"the worker's games do not follow the verifier's draws: {problem}"
    return [Check(name, False, reason, 0.0) for name in names]


def _dynamics_facts(record: dict[str, Any]) -> dict[str, Any]:
    """The first violation of each dynamics property in one game's raw steps."""
    facts: dict[str, Any] = {"steps": 0, "crash": None, "mutation": None, "nondeterminism": None, "terminal": None}
    actions: list[str] = []
    for step, (player, n, index, action, agree, changed, applied) in enumerate(record["steps"]):
        where = f"step {step} after {short(actions[-5:], 120)}"
        if facts["nondeterminism"] is None and agree is not True:
            facts["nondeterminism"] = f"{where}: repeated calls on one state disagree"
        if facts["terminal"] is None and (player == TERMINAL) != (n == 0):
            facts["terminal"] = f"{where}: current player {short(player, 40)} with {n} legal actions"
        if index is None or applied is not True:  # no move, or apply_action raised on it
            continue
        if facts["mutation"] is None and changed:
            facts["mutation"] = (
                f"{where}: apply_action({short(action, 60)!r}) changed the input's keys {short(changed, 80)}"
            )
        actions.append(action)
        facts["steps"] = len(actions)
    if record.get("crash"):
        facts["crash"] = f"step {len(actions)} after {short(actions[-5:], 120)}: {short(record['crash'])}"
    return facts


def dynamics_checks(seeds: list[int], records: list[dict[str, Any]]) -> list[Check]:
    moves = [[[n, index] for _, n, index, *_ in record["steps"] if index is not None] for record in records]
    forged = choices_problem(seeds, moves)
    if forged:
        return forged_checks(DYNAMICS_CHECKS, forged)
    games = [_dynamics_facts(record) for record in records]
    n = len(games)
    steps = sum(g["steps"] for g in games)
    checks = []
    for name, key in zip(DYNAMICS_CHECKS, ("crash", "mutation", "nondeterminism", "terminal"), strict=True):
        bad = [(i, g[key]) for i, g in enumerate(games) if g[key]]
        if bad:
            index, first = bad[0]
            checks.append(Check(name, False, f"violated in {len(bad)}/{n} games, first in game {index} at {first}",
                                (n - len(bad)) / n))  # fmt: skip
        elif key != "crash" and not steps:  # nothing was exercised, so nothing held
            checks.append(Check(name, False, f"not exercised: no action was applied in {n} games", 0.0))
        else:
            checks.append(Check(name, True, f"held in all {n} games ({steps} steps)", 1.0 if n else 0.0))
    return checks


def scenario_checks(scenarios: list[Scenario], facts: list[dict[str, Any]]) -> list[Check]:
    results = [judge_scenario(s, f) for s, f in zip(scenarios, facts, strict=True)]
    return [Check(r.name, r.passed, r.detail) for r in results]


def is_stub(source: str, trials: list[dict[str, Any]]) -> str | None:
    """Why `resample_history` looks like a stub, or None. Checks its body, then its behaviour."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return None
    functions = [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "resample_history"]
    if not functions:
        return "resample_history is not defined"
    body = [s for s in functions[0].body if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
    trivial = (ast.Pass, ast.Raise)
    if not body or (len(body) == 1 and (isinstance(body[0], trivial) or _returns_constant(body[0]))):
        return "resample_history has a placeholder body"
    answered = [t for t in trials if "length" in t and t["true_length"] > 0]
    if answered and all(t["length"] == 0 for t in answered):
        return "resample_history always returns an empty history"
    if len(answered) >= MIN_TRIALS_FOR_VARIATION and all(t["distinct"] == 1 for t in answered):
        return (
            f"resample_history never varied: {len(answered)} histories drawn 3 times each gave one answer each; "
            "it must sample the hidden information at random"
        )
    return None


def _returns_constant(statement: ast.stmt) -> bool:
    if not isinstance(statement, ast.Return):
        return False
    value = statement.value
    return value is None or isinstance(value, ast.Constant) or (isinstance(value, ast.List) and not value.elts)


def resample_choices_problem(seeds: list[int], trials: list[dict[str, Any]]) -> str | None:
    """`choices_problem` for the random games the resample trials were cut from, and their cut points."""
    by_seed: dict[Any, dict[str, Any]] = {}
    for trial in trials:
        by_seed.setdefault(trial.get("seed"), trial)
    unknown = set(by_seed) - set(seeds)
    if unknown:
        return f"trials for seeds the verifier never gave: {short(sorted(map(str, unknown)), 80)}"
    played = [s for s in seeds if s in by_seed]
    moves: list[Any] = [by_seed[s].get("choices") for s in played]  # untrusted: choices_problem checks them
    problem = choices_problem(played, moves)
    if problem:
        return problem
    for seed in played:
        trial = by_seed[seed]
        if "cut" in trial:
            stream = draws(seed)
            for _ in trial["choices"]:
                next(stream)
            if trial["cut"] != pick(next(stream), len(trial["choices"]) + 1):
                return f"the history of seed {seed} was cut at {trial['cut']!r}, not where the verifier drew"
    return None


def information_checks(trials: list[dict[str, Any]], stub: str | None, forged: str | None = None) -> list[Check]:
    if forged:
        return forged_checks(INFORMATION_CHECKS, forged)
    if stub:
        return [Check(name, False, stub, 0.0) for name in INFORMATION_CHECKS]
    if not trials:
        return not_run(INFORMATION_CHECKS, "no resample trial could run")
    checks = []
    for name, key in zip(INFORMATION_CHECKS, ("legal", "observations", "actions", "consumed"), strict=True):
        failed = [t for t in trials if not t.get(key, False)]
        if failed:
            first = failed[0]
            # An error or an illegal replay fails every later property too; show the earliest cause.
            why = first.get("error") or first.get("legal_detail") or first.get(f"{key}_detail", "failed")
            detail = f"failed in {len(failed)}/{len(trials)} trials; first (player {first.get('player')}): {why}"
        else:
            detail = f"held in all {len(trials)} trials"
        checks.append(Check(name, not failed, detail, 1 - len(failed) / len(trials)))
    return checks


def trajectory_checks(reference: list[list[Any]], candidate: list[list[Any]]) -> list[Check]:
    """Compare per-step (player, sorted legal actions, rewards) of reference replays in the candidate."""
    firsts: dict[str, str] = {}
    counts: dict[str, int] = defaultdict(int)
    total = 0
    for t, (ref_steps, cand_steps) in enumerate(zip(reference, candidate, strict=True)):
        for step, ref in enumerate(ref_steps):
            total += 1
            cand = cand_steps[step] if step < len(cand_steps) else {"error": "replay stopped early"}
            where = f"trajectory {t}, step {step}"
            if isinstance(cand, dict):
                for name in TRAJECTORY_CHECKS:
                    counts[name] += 1
                    firsts.setdefault(name, f"{where}: the candidate raised {cand['error']}")
                break
            diffs = {
                "legal_actions_agree": ref[1] != cand[1],
                "current_player_agrees": ref[0] != cand[0],
                "terminal_agrees": (ref[0] == TERMINAL) != (cand[0] == TERMINAL),
                "rewards_agree": len(ref[2]) != len(cand[2])
                or any(abs(a - b) > 1e-6 for a, b in zip(ref[2], cand[2], strict=False)),
            }
            shown = {
                "legal_actions_agree": 1,
                "current_player_agrees": 0,
                "terminal_agrees": 0,
                "rewards_agree": 2,
            }
            for name, differs in diffs.items():
                if differs:
                    counts[name] += 1
                    i = shown[name]
                    firsts.setdefault(name, f"{where}: expected {ref[i]!r:.150}, got {cand[i]!r:.150}")
    return [
        Check(
            name,
            not counts[name],
            firsts.get(name, f"agreed at all {total} steps"),
            1 - counts[name] / max(total, 1),
        )
        for name in TRAJECTORY_CHECKS
    ]


def infoset_checks(
    trajectories: list[list[str]],
    players: list[list[int]],
    reference: list[list[Any]],
    candidate: list[list[Any]],
) -> list[Check]:
    """Partition decision points by the reference's observation and by the candidate's; they must match."""
    cand_by_ref: dict[tuple[int, str], set[str]] = defaultdict(set)
    ref_by_cand: dict[tuple[int, str], set[str]] = defaultdict(set)
    where: dict[tuple[int, str], str] = {}
    for t, (ref_steps, cand_steps, movers) in enumerate(zip(reference, candidate, players, strict=True)):
        for step, player in enumerate(movers):
            if player not in (0, 1) or step >= len(cand_steps) or not isinstance(cand_steps[step], list):
                continue
            ref_key, cand_key = ref_steps[step][player], cand_steps[step][player]
            cand_by_ref[(player, ref_key)].add(cand_key)
            ref_by_cand[(player, cand_key)].add(ref_key)
            where.setdefault(
                (player, ref_key), f"trajectory {t}, step {step} ({' '.join(trajectories[t][:step])!r:.120})"
            )
    merged = [k for k, v in cand_by_ref.items() if len(v) > 1]
    split = [k for k, v in ref_by_cand.items() if len(v) > 1]
    n_ref, n_cand = len(cand_by_ref), len(ref_by_cand)
    if not n_cand:  # the candidate produced no observation at any decision point: nothing to compare
        detail = "not exercised: the candidate gave no observations on the reference trajectories"
        return [Check(name, False, detail, 0.0) for name in INFOSET_CHECKS]
    return [
        Check(
            INFOSET_CHECKS[0],
            not merged,
            f"{len(merged)}/{n_ref} reference information sets get different candidate observations; e.g. player "
            f"{merged[0][0]} at {where[merged[0]]}"
            if merged
            else f"consistent over {n_ref} information sets",
            1 - len(merged) / max(n_ref, 1),
        ),
        Check(
            INFOSET_CHECKS[1],
            not split,
            f"{len(split)}/{n_cand} candidate observations merge distinct reference information sets (player "
            f"{split[0][0]})"
            if split
            else f"consistent over {n_cand} candidate observations",
            1 - len(split) / max(n_cand, 1),
        ),
    ]
