"""The training child, `python -m gamecwm.train.mlx RUN_DIR`: mlx_lm's own steps, metrics.jsonl by callback.

It reads <run>/mlx_lora.yaml (written by `run_mlx_lora`), loads the model, checks the data against
max_seq_length and trains with mlx_lm's train_model; mlx and mlx_lm are imported here only.
"""

from __future__ import annotations

import json
import math
import sys
import time
from pathlib import Path
from typing import Any

import yaml

from gamecwm.train.mlx.config import INSTALL_HINT, MLXLoraError
from gamecwm.train.mlx.run import say


def check_lengths(splits: dict[str, Any], max_seq_length: int) -> None:
    """Refuse examples with nothing left to learn once cut to max_seq_length (mlx_lm would log nan and train on it)."""
    for split, data in splits.items():
        items = [data.process(data[i]) for i in range(len(data))]
        sizes = [(len(item[0]), item[1]) if isinstance(item, tuple) else (len(item), 0) for item in items]
        empty = [offset for n, offset in sizes if offset >= min(n, max_seq_length)]
        if empty:
            raise MLXLoraError(
                f"{len(empty)} of {len(sizes)} {split} examples have no token to train on: their prompts "
                f"(up to {max(empty)} tokens, masked by mask_prompt) fill max_seq_length={max_seq_length}; "
                f"raise max_seq_length above {max(empty)} or set mask_prompt=false"
            )
        cut = sum(n > max_seq_length for n, _ in sizes)
        if cut:
            say(f"{cut} of {len(sizes)} {split} examples are longer than max_seq_length={max_seq_length} and are cut")


def train_child(run_dir: Path) -> None:
    """Load, check and train as `mlx_lm lora` does, with a callback writing metrics.jsonl."""
    from types import SimpleNamespace

    import numpy as np
    from mlx_lm.lora import CONFIG_DEFAULTS, train_model
    from mlx_lm.tuner.callbacks import TrainingCallback
    from mlx_lm.tuner.datasets import load_dataset
    from mlx_lm.utils import load

    settings = yaml.safe_load((run_dir / "mlx_lora.yaml").read_text(encoding="utf-8"))
    args = SimpleNamespace(**{**CONFIG_DEFAULTS, **settings})
    np.random.seed(args.seed)
    model, tokenizer, model_config = load(args.model, return_config=True)
    expected = (model_config.get("rope_parameters") or {}).get("rope_theta")
    used = getattr(getattr(model, "args", None), "rope_theta", None)
    if expected is not None and used is not None and float(expected) != float(used):
        raise MLXLoraError(
            f"mlx_lm built {args.model} with rope_theta={used} but its config says {expected} (in rope_parameters "
            "only); run again now that it is downloaded (gamecwm patches cached models) or pass a local folder"
        )
    train_set, valid_set, _ = load_dataset(args, tokenizer)
    check_lengths({"train": train_set, "valid": valid_set}, args.max_seq_length)
    metrics, started = run_dir / "metrics.jsonl", time.perf_counter()

    class MetricsFile(TrainingCallback):
        def on_train_loss_report(self, info: dict) -> None:
            row = self.write("train", info)
            done = row["iteration"] / args.iters
            eta = (time.perf_counter() - started) * (1 - done) / done
            say(f"iter {row['iteration']}/{args.iters} loss {row['train_loss']:.4f} lr {row['learning_rate']:.2e} "
                f"{row['iterations_per_second']:.2f} it/s {row['tokens_per_second']:.0f} tok/s "
                f"peak {row['peak_memory']:.2f} GB, eta {eta:.0f}s")  # fmt: skip
            if not math.isfinite(row["train_loss"]):
                raise MLXLoraError(f"train loss is {row['train_loss']} at iteration {row['iteration']}; "
                                   "lower learning_rate or check the data")  # fmt: skip

        def on_val_loss_report(self, info: dict) -> None:
            row = self.write("val", info)
            say(f"iter {row['iteration']}/{args.iters} val loss {row['val_loss']:.4f} ({row['val_time']:.1f}s)")

        def write(self, kind: str, info: dict) -> dict:
            row = {"kind": kind, "time": round(time.time(), 3)}
            row.update({k: v.item() if hasattr(v, "item") else v for k, v in info.items()})
            with metrics.open("a", encoding="utf-8") as f:
                f.write(json.dumps(row) + "\n")
            return row

    train_model(args, model, train_set, valid_set, MetricsFile())


def child_main(run_dir: str) -> int:
    """`python -m gamecwm.train.mlx RUN_DIR`, started by run_mlx_lora."""
    try:
        train_child(Path(run_dir))
    except (MLXLoraError, ImportError) as exc:
        print(f"error: {exc}" + (f"; {INSTALL_HINT}" if isinstance(exc, ImportError) else ""), file=sys.stderr)
        return 2
    return 0
