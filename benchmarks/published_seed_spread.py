"""How far apart two seeds put a model's published score (`--scoring published`).

    python benchmarks/published_seed_spread.py SAMPLES_DIR [--seeds 0,1,2] [--jobs 2]

SAMPLES_DIR holds `<model>/<game>_*.py`, as `gamecwm eval --samples-dir` reads it (for instance the
published samples of the GameCWM paper). The published evaluator plays 100 unseeded random games per
tier; our published mode draws them from `--seed`. Prints each model's mean published overall under
every seed and the largest gap between two seeds, in points.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from gamecwm.eval.samples import discover, game_pool
from gamecwm.verifier import VerifyConfig, verify_many


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("samples_dir", type=Path)
    parser.add_argument("--seeds", default="0,1,2")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    samples, _ = discover(args.samples_dir, game_pool())
    models = sorted({s.model for s in samples})
    seeds = [int(seed) for seed in args.seeds.split(",")]
    means: dict[str, list[float]] = {m: [] for m in models}
    for seed in seeds:
        config = VerifyConfig(scoring="published", seed=seed)
        items = [(s.code or "", s.pack, s.file) for s in samples]
        scores = [r.published_overall for r in verify_many(items, config, jobs=args.jobs)]
        for model in models:
            mine = [score for s, score in zip(samples, scores, strict=True) if s.model == model]
            means[model].append(100 * sum(mine) / len(mine))
    print(f"| model | N | {' | '.join(f'seed {s}' for s in seeds)} | largest gap (points) |")
    print("|---|---:|" + "---:|" * len(seeds) + "---:|")
    for model in models:
        n = sum(s.model == model for s in samples)
        cells = " | ".join(f"{m:.1f}" for m in means[model])
        print(f"| {model} | {n} | {cells} | {max(means[model]) - min(means[model]):.1f} |")


if __name__ == "__main__":
    main()
