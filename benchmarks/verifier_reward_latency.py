"""Reward latency: one GRPO group (8 candidates, 10 fuzz games) per reference, verified in parallel.

    python benchmarks/verifier_reward_latency.py [--jobs 2] [--repeats 3] [--isolation off,auto]

Prints, per game and isolation level, the median wall time of a group and its ratio to the one-second
budget, and what the strongest level adds per group over the first.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

from gamecwm.games import get_pack
from gamecwm.sandbox import resolve
from gamecwm.verifier import VerifyConfig, verify_many

SIX = "tic_tac_toe,connect4,gen_tic_tac_toe,kuhn_poker,leduc_poker,quadranto"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--games", default=SIX, help="comma-separated game ids (default: the foundation's six)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--group", type=int, default=8)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--isolation", default="off,auto", help="comma-separated isolation modes to time")
    args = parser.parse_args()
    modes = args.isolation.split(",")
    print(f"| game | isolation | group of {args.group}, {args.jobs} jobs (s) | per candidate (s) | ratio to 1 s |")
    print("|---|---|---:|---:|---:|")
    added = []
    for pack in map(get_pack, args.games.split(",")):
        items = [(pack.reference_source, pack, f"candidate_{i}") for i in range(args.group)]
        medians = []
        for mode in modes:
            config = VerifyConfig.for_reward(isolation=mode)
            list(verify_many(items[:1], config, jobs=1))  # warm the reference-facts cache and the zygote
            times = []
            for _ in range(args.repeats):
                start = time.perf_counter()
                rewards = [r.reward for r in verify_many(items, config, jobs=args.jobs)]
                times.append(time.perf_counter() - start)
                assert rewards == [1.0] * args.group, rewards
            medians.append(statistics.median(times))
            level = resolve(mode).level
            print(f"| {pack.id} | {level} | {medians[-1]:.3f} | {medians[-1] / args.group:.3f} | {medians[-1]:.2f}x |")
        added.append(medians[-1] - medians[0])
    if len(modes) > 1:
        print(
            f"\n{modes[-1]} over {modes[0]}: {statistics.mean(added):+.3f} s per group on average, "
            f"{max(added):+.3f} s at most"
        )


if __name__ == "__main__":
    main()
