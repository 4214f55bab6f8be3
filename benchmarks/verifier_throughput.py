"""Verifier throughput: sandboxed parallel workers against a plain sequential in-process verifier.

    python benchmarks/verifier_throughput.py [--fuzz-games 100] [--jobs 2] [--isolation off,auto]

Candidates are the catalog's references and generic mutants of each (rewards negated, a legal action
dropped, state mutated in place, observations leaking the opponent's view). The plain baseline runs
the very same probes and checks in this process, one candidate after another; the verdicts of all
runs must be identical. The sandboxed runs go once per isolation level (`off`: a worker process with
the in-process layers and seccomp unavailable to it; `auto`: bubblewrap namespaces and seccomp where
the machine has them). Prints candidates per second and the ratios.
"""

from __future__ import annotations

import argparse
import os
import time

from gamecwm.games import get_pack
from gamecwm.sandbox import resolve
from gamecwm.verifier import VerifyConfig, verify_many

SIX = "tic_tac_toe,connect4,gen_tic_tac_toe,kuhn_poker,leduc_poker,quadranto"
WRAPPERS = {
    "rewards_negated": "_original_rewards = get_rewards\n\n\ndef get_rewards(state):\n"
    "    return [-r for r in _original_rewards(state)]\n",
    "legal_action_dropped": "_original_legal = get_legal_actions\n\n\ndef get_legal_actions(state):\n"
    "    legal = _original_legal(state)\n    return legal[:-1] if len(legal) > 1 else legal\n",
    "observations_leak": "_original_observations = get_observations\n\n\ndef get_observations(state):\n"
    "    mine, theirs = _original_observations(state)\n"
    "    return [dict(mine, leak=theirs), dict(theirs, leak=mine)]\n",
}


def candidates(game_ids: list[str]) -> list[tuple[str, object, str]]:
    items = []
    for pack in map(get_pack, game_ids):
        source = pack.reference_source
        items.append((source, pack, f"{pack.id}/reference"))
        for name, wrapper in WRAPPERS.items():
            items.append((source + "\n\n" + wrapper, pack, f"{pack.id}/{name}"))
        if "copy.deepcopy(state)" in source:
            items.append((source.replace("copy.deepcopy(state)", "state", 1), pack, f"{pack.id}/in_place"))
    return items


def timed(items, config: VerifyConfig, jobs: int) -> tuple[float, list[dict]]:
    start = time.perf_counter()
    reports = [r.to_json() for r in verify_many(items, config, jobs=jobs)]
    elapsed = time.perf_counter() - start
    for report in reports:
        report.pop("elapsed_s")
        report.pop("isolation")
    return elapsed, reports


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fuzz-games", type=int, default=100)
    parser.add_argument("--games", default=SIX, help="comma-separated game ids (default: the foundation's six)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--isolation", default="off,auto", help="comma-separated isolation modes to time")
    args = parser.parse_args()
    items = candidates(args.games.split(","))
    plain = VerifyConfig(fuzz_games=args.fuzz_games, sandbox=False)
    timed(items[:1], plain, 1)  # warm caches shared by all runs (reference trajectories)
    base_time, base = timed(items, plain, 1)
    rows = [("plain in-process, sequential", base_time)]
    for isolation in args.isolation.split(","):
        config = VerifyConfig(fuzz_games=args.fuzz_games, isolation=isolation)
        level = resolve(isolation).level
        for jobs in sorted({1, args.jobs}):
            elapsed, reports = timed(items, config, jobs)
            assert reports == base, "sandboxed verdicts differ from the in-process baseline"
            rows.append((f"sandboxed ({level}), --jobs {jobs}", elapsed))
    print(
        f"{len(items)} candidates ({sum('/reference' in i[2] for i in items)} references), "
        f"{args.fuzz_games} fuzz games each, {os.cpu_count()} cores; identical verdicts in every run\n"
    )
    print("| verifier | wall (s) | candidates/s | speed vs plain |")
    print("|---|---:|---:|---:|")
    for name, elapsed in rows:
        print(f"| {name} | {elapsed:.2f} | {len(items) / elapsed:.2f} | {base_time / elapsed:.2f}x |")


if __name__ == "__main__":
    main()
