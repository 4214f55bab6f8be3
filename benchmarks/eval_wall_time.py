"""Wall time of `gamecwm eval` on the embedded GGUF, split into generation and verification.

    python benchmarks/eval_wall_time.py [--samples 5] [--max-tokens 1024] [--out results/eval-wall-time]

Runs the command exactly as a user would (7 held-out games x `--samples`, llama.cpp on the CPU, the
evaluation verifier setting of 100 fuzz games, verification on all cores) into a fresh output folder,
then prints the run's own timings from `results.json`: generation (model load included), verification,
and the rest (start-up, bootstrap, tables and plots), with per-sample figures.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=5, help="samples per held-out game")
    parser.add_argument("--max-tokens", type=int, default=1024, help="token budget per reply")
    parser.add_argument("--out", type=Path, default=Path("results/eval-wall-time"))
    parser.add_argument("--keep", action="store_true", help="resume from --out instead of starting fresh")
    args = parser.parse_args()
    if args.out.exists() and not args.keep:
        shutil.rmtree(args.out)
    command = [
        str(Path(sys.executable).with_name("gamecwm")),
        "eval",
        "--games",
        "eval",
        "--samples",
        str(args.samples),
        "--max-tokens",
        str(args.max_tokens),
        "--out",
        str(args.out),
    ]
    print("$ " + " ".join(command), flush=True)
    start = time.perf_counter()
    subprocess.run(command, check=True)
    total = time.perf_counter() - start
    saved = json.loads((args.out / "results.json").read_text(encoding="utf-8"))
    timings, n = saved["timings"], saved["models"][0]["n"]
    rest = total - timings["generation_s"] - timings["verification_s"] - timings["arena_s"]
    print(f"\n{len(saved['games'])} games x {args.samples} samples = {n} samples, max tokens {args.max_tokens}")
    print(f"total wall time   {total:8.1f} s")
    print(
        f"  generation      {timings['generation_s']:8.1f} s  ({timings['generation_s'] / max(n, 1):.1f} s/sample, "
        f"{timings['generated']} generated, model load included)"
    )
    print(
        f"  verification    {timings['verification_s']:8.1f} s  ({timings['verified']} distinct modules; "
        f"{n - saved['models'][0]['no_code']} samples had code)"
    )
    print(f"  rest            {rest:8.1f} s  (start-up, bootstrap, report, plots)")
    print(f"mean overall {saved['models'][0]['overall']['mean']:.3f}")


if __name__ == "__main__":
    main()
