"""Does quantization change what the model writes? The verifier's reward of generated GameCWMs for
the same prompts and seeds, from the embedded model and its F16 / Q8_0 / Q4_K_M exports.

    python benchmarks/runtime_quantization_reward.py [--games tic_tac_toe,kuhn_poker] [--seeds 0,1]

Each file generates one sample per (game, seed) with `gamecwm generate`'s engine, temperature 0.3,
`--tokens` new tokens at most, and the sample is scored with the GRPO reward (10 fuzz games).
The exports come from `export_quantization.export_all` (dequantized embedded weights -> F16 -> Q8_0, Q4_K_M).
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from export_quantization import export_all

from gamecwm.games import get_pack
from gamecwm.runtime import GenerateConfig, LlamaGenerator, generate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--games", default="tic_tac_toe,kuhn_poker")
    parser.add_argument("--seeds", default="0,1")
    parser.add_argument("--tokens", type=int, default=768)
    parser.add_argument("--workdir", type=Path, help="keep the exports here (default: a temporary folder)")
    args = parser.parse_args()
    games, seeds = args.games.split(","), [int(s) for s in args.seeds.split(",")]
    with tempfile.TemporaryDirectory(prefix="gamecwm-bench-") as tmp:
        work = args.workdir or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        files = export_all(work)
        print(f"{len(games)} games x seeds {seeds}, {args.tokens} tokens, temperature 0.3, reward with 10 fuzz games\n")
        print(
            "| file | code extracted | mean reward | rewards ("
            + ", ".join(f"{g}/{s}" for g in games for s in seeds)
            + ") |"
        )
        print("|---|---:|---:|---|")
        for label, path in files.items():
            generator = LlamaGenerator(path, n_ctx=4096)
            samples = [
                generate(get_pack(game), generator, GenerateConfig(samples=1, max_tokens=args.tokens, seed=seed))[0]
                for game in games
                for seed in seeds
            ]
            rewards = [s.reward for s in samples]
            extracted = sum(s.code is not None for s in samples)
            print(f"| {label} | {extracted}/{len(samples)} | {sum(rewards) / len(rewards):.3f} | "
                  f"{', '.join(f'{r:.2f}' for r in rewards)} |", flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
