"""What the CPU recipe's SFT settings cost: tokens/s and peak memory of a few real LoRA steps of the
embedded SmolLM2-135M per setting, on the recipe's own data (configs/embedded_cpu.yaml).

    python benchmarks/embedded_sft_settings.py --steps 3 --out benchmarks/results/embedded_sft_settings.json

Each setting is one `gamecwm train` process (so peak RSS is its own), reading the same first rows in the
same order; tokens/s is TRL's token count over wall time, from metrics.jsonl, the first step (warm-up)
left out. Peak RSS includes loading and dequantizing the GGUF and merging the adapter at the end.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

SETTINGS = {
    "fp32, LoRA q,k,v,o": ["cpu_bf16=false", "sft.lora.target_modules=[q_proj,k_proj,v_proj,o_proj]"],
    "fp32, LoRA all-linear": ["cpu_bf16=false", "sft.lora.target_modules=[all-linear]"],
    "bf16 autocast, LoRA q,k,v,o": ["cpu_bf16=true", "sft.lora.target_modules=[q_proj,k_proj,v_proj,o_proj]"],
    "fp32, all-linear, gradient checkpointing": ["cpu_bf16=false", "sft.gradient_checkpointing=true"],
}


def run_setting(name: str, overrides: list[str], steps: int, data: Path, work: Path, timeout: float) -> dict:
    run = work / "runs"
    command = [
        str(Path(sys.executable).with_name("gamecwm")), "train", "--config", "configs/embedded_cpu.yaml",
        "--set", f"runs_dir={run}", "--set", f"run_name={len(list(work.glob('runs/*')))}",
        "--set", f"data_dir={data}", "--set", f"sft.max_steps={steps}",
        "--set", "sft.gradient_accumulation_steps=1", "--set", "sft.eval_steps=100000",  # no eval
        *(arg for override in overrides for arg in ("--set", override)),
    ]  # fmt: skip
    try:
        timed = subprocess.run(["/usr/bin/time", "-f", "%M", *command], capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"setting": name, "tokens_per_second": None, "note": f"{steps} steps did not finish in {timeout:.0f} s"}
    if timed.returncode:
        raise SystemExit(f"{name}: exit {timed.returncode}\n{timed.stderr[-3000:]}")
    peak_kib = int(timed.stderr.strip().splitlines()[-1])
    folder = max(run.iterdir(), key=lambda p: p.stat().st_mtime)
    rows = [json.loads(line) for line in (folder / "metrics.jsonl").read_text().splitlines()]
    speeds = [r["tokens_per_second"] for r in rows if "tokens_per_second" in r]
    losses = [r["loss"] for r in rows if "loss" in r]
    return {
        "setting": name,
        "tokens_per_second": round(statistics.median(speeds), 1),
        "steps_timed": len(speeds),
        "first_losses": losses,
        "peak_rss_gib": round(peak_kib / 2**20, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=600, help="seconds a setting may take (load included)")
    parser.add_argument("--data", type=Path, default=None, help="dataset folder (default: written to a temp dir)")
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results/embedded_sft_settings.json"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="gamecwm-sft-settings-") as tmp:
        data = args.data or Path(tmp) / "data"
        results = []
        for name, overrides in SETTINGS.items():
            results.append(run_setting(name, overrides, args.steps, data, Path(tmp), args.timeout))
            print(json.dumps(results[-1]), flush=True)
    base = results[0]["tokens_per_second"]
    for row in results:
        speed = row["tokens_per_second"]
        row["speed_vs_fp32_qkvo"] = round(speed / base, 2) if speed and base else None
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"{'setting':48} {'tok/s':>7} {'x fp32':>7} {'peak RSS':>9}")
    for row in results:
        if row["tokens_per_second"] is None:
            print(f"{row['setting']:48} {row['note']}")
            continue
        print(f"{row['setting']:48} {row['tokens_per_second']:7.1f} {row['speed_vs_fp32_qkvo']:7.2f} "
              f"{row['peak_rss_gib']:7.2f} G")  # fmt: skip


if __name__ == "__main__":
    main()
