"""Reward latency: one GRPO group (8 candidates, 10 fuzz games) per reference, verified in parallel.

    python benchmarks/verifier_reward_latency.py [--jobs 2] [--repeats 3]

Prints, per game, the median wall time of a group and its ratio to the one-second budget.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

from gamecwm.games import get_pack
from gamecwm.verifier import VerifyConfig, verify_many

SIX = "tic_tac_toe,connect4,gen_tic_tac_toe,kuhn_poker,leduc_poker,quadranto"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--games", default=SIX, help="comma-separated game ids (default: the foundation's six)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--group", type=int, default=8)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    config = VerifyConfig.for_reward()
    print(f"| game | group of {args.group}, {args.jobs} jobs (s) | per candidate (s) | ratio to 1 s |")
    print("|---|---:|---:|---:|")
    for pack in map(get_pack, args.games.split(",")):
        items = [(pack.reference_source, pack, f"candidate_{i}") for i in range(args.group)]
        list(verify_many(items[:1], config, jobs=1))  # warm the reference-facts cache
        times = []
        for _ in range(args.repeats):
            start = time.perf_counter()
            rewards = [r.reward for r in verify_many(items, config, jobs=args.jobs)]
            times.append(time.perf_counter() - start)
            assert rewards == [1.0] * args.group, rewards
        median = statistics.median(times)
        print(f"| {pack.id} | {median:.3f} | {median / args.group:.3f} | {median:.2f}x |")


if __name__ == "__main__":
    main()
