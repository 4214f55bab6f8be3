"""`gamecwm train-mlx`: LoRA with `mlx_lm lora` on the SFT data, then `mlx_lm fuse` into a Hugging Face folder.

    gamecwm train-mlx --config configs/mlx_lora.yaml                  # `make train-mlx` (Apple silicon)
    gamecwm train-mlx --config configs/mlx_lora.yaml --set base_model=tiny --set iters=4 --set max_seq_length=512 \
        --set mask_prompt=false --set learning_rate=1e-3 --set grad_accumulation_steps=1   # smoke run, any CPU

A run folder `runs/<name>/` holds config.yaml (the resolved MLXLoraConfig), mlx_lora.yaml (what mlx_lm was
given; `mlx_lm lora -c` repeats the run from it), base/ (only when the base needed the rope_theta patch, see
`prepare_base`), adapters/ (mlx_lm's), metrics.jsonl (train loss, learning rate, it/s, tokens/s and peak memory
per report; val loss), train.log (all the output) and fused/ (for `gamecwm export all --model runs/<name>/fused`).

Training runs in a child process (`python -m gamecwm.train.mlx RUN_DIR`), so mlx's memory, compiled graphs and
patched classes go with it. The child runs mlx_lm's own steps (load, load_dataset, train_model) with a
TrainingCallback writing metrics.jsonl, rather than parsing the console: mlx_lm 0.32 prints no learning rate,
it/s or memory, and its format changed between releases. (`mlx_lm.lora.run` swaps any callback it is given for
its wandb/swanlab reporters, hence train_model.) Fusing is the `mlx_lm fuse` command without --export-gguf,
whose GGUF llama.cpp rejects; `gamecwm export` converts the fused folder.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import math
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from gamecwm.train.common import cached_hub_model
from gamecwm.train.config import (
    DEFAULT_BASE_MODEL,
    TINY_MODEL,
    add_config_arguments,
    load_config,
    save_config,
    to_dict,
)
from gamecwm.train.data import DataConfig, build_datasets

INSTALL_HINT = "install it with `pip install 'gamecwm[mlx]'` (on Linux that brings `mlx[cpu]`, mlx's CPU backend)"
SCHEDULES = {"cosine": "cosine_decay", "linear": "linear_schedule", "constant": "linear_schedule"}
TOKENIZER_FILES = (
    "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "added_tokens.json", "chat_template.jinja",
    "chat_template.json", "vocab.json", "merges.txt", "tokenizer.model",
)  # fmt: skip
PASSED_AS_IS = (
    "seed", "num_layers", "optimizer", "learning_rate", "batch_size", "grad_accumulation_steps", "max_seq_length",
    "mask_prompt", "grad_checkpoint", "steps_per_report", "steps_per_eval", "val_batches", "save_every",
)  # fmt: skip
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


class MLXLoraError(RuntimeError):
    """A step of the MLX run cannot go on; the message names it and the fix."""


@dataclass
class MLXLoraConfig:
    base_model: str = field(default=DEFAULT_BASE_MODEL, metadata={"help": f"hub id, local HF folder or '{TINY_MODEL}'"})
    data_dir: str = field(
        default="data/sft", metadata={"help": "train.jsonl + valid.jsonl (data/sft: made if missing)"}
    )
    valid_games: int = field(default=2, metadata={"help": "games held back for validation when writing the data"})
    runs_dir: str = field(default="runs", metadata={"help": "where run folders are created"})
    run_name: str | None = field(default=None, metadata={"help": "run folder name (default: mlx-lora-<time>)"})
    seed: int = field(default=42, metadata={"help": "seed for data order, LoRA init and dropout"})
    lora_rank: int = field(default=16, metadata={"help": "LoRA rank r"})
    lora_scale: float = field(default=2.0, metadata={"help": "LoRA scale = alpha / r (mlx_lm takes the scale)"})
    lora_dropout: float = field(default=0.05, metadata={"help": "dropout on the LoRA input"})
    lora_keys: list[str] = field(
        default_factory=lambda: [f"self_attn.{p}_proj" for p in "qkvo"], metadata={"help": "[]: all linear layers"}
    )
    num_layers: int = field(default=-1, metadata={"help": "adapt the last N blocks (-1: all)"})
    optimizer: str = field(default="adamw", metadata={"help": "adam, adamw, sgd, adafactor or muon"})
    weight_decay: float = field(default=0.0, metadata={"help": "AdamW weight decay"})
    learning_rate: float = field(default=1e-5, metadata={"help": "peak learning rate"})
    lr_schedule: str = field(default="cosine", metadata={"help": "cosine, linear or constant, after the warmup"})
    warmup_ratio: float = field(default=0.03, metadata={"help": "share of optimizer updates spent warming up"})
    epochs: float = field(default=2.0, metadata={"help": "passes over train.jsonl (used when iters is -1)"})
    iters: int = field(default=-1, metadata={"help": "micro-batches to train on (-1: from epochs)"})
    batch_size: int = field(default=1, metadata={"help": "examples per micro-batch"})
    grad_accumulation_steps: int = field(default=4, metadata={"help": "effective batch = batch_size x this"})
    max_seq_length: int = field(default=8192, metadata={"help": "tokens per example; longer ones are cut"})
    mask_prompt: bool = field(default=True, metadata={"help": "loss on the assistant turn only"})
    grad_checkpoint: bool = field(default=True, metadata={"help": "trade compute for memory"})
    steps_per_report: int = field(default=10, metadata={"help": "log the train loss every N iterations"})
    steps_per_eval: int = field(default=50, metadata={"help": "validation loss every N iterations"})
    val_batches: int = field(default=-1, metadata={"help": "validation batches per eval (-1: all of valid.jsonl)"})
    save_every: int = field(default=100, metadata={"help": "checkpoint the adapter every N iterations"})
    fuse: bool = field(default=True, metadata={"help": "fuse the adapter into <run>/fused after training"})


def say(message: str) -> None:
    print(f"[gamecwm train-mlx] {message}", file=sys.stderr, flush=True)


def require_mlx() -> None:
    try:
        import mlx.core  # noqa: F401
    except ImportError as exc:
        raise MLXLoraError(f"mlx cannot be imported ({exc}); {INSTALL_HINT}") from None
    if importlib.util.find_spec("mlx_lm") is None:
        raise MLXLoraError(f"mlx_lm is not installed; {INSTALL_HINT}")


def check_config(config: MLXLoraConfig) -> None:
    if config.lr_schedule not in SCHEDULES:
        raise ValueError(f"lr_schedule must be one of {', '.join(SCHEDULES)}, got {config.lr_schedule!r}")
    if config.iters <= 0 and config.epochs <= 0:
        raise ValueError(f"set iters or epochs above 0 (iters={config.iters}, epochs={config.epochs})")
    for key in ("lora_rank", "batch_size", "grad_accumulation_steps", "max_seq_length", "steps_per_report"):
        if getattr(config, key) < 1:
            raise ValueError(f"{key} must be at least 1, got {getattr(config, key)}")


def with_top_level_rope(config: dict[str, Any]) -> dict[str, Any]:
    """`config` with rope_theta (and, for scaled RoPE, rope_scaling) copied out of transformers 5's rope_parameters."""
    params = config.get("rope_parameters")
    if not isinstance(params, dict) or "rope_theta" not in params or "rope_theta" in config:
        return config
    fixed = dict(config, rope_theta=params["rope_theta"])
    if params.get("rope_type", "default") != "default" and config.get("rope_scaling") is None:
        fixed["rope_scaling"] = {k: v for k, v in params.items() if k != "rope_theta"}
    return fixed


def read_json(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def write_json(path: Path, data: dict[str, Any]) -> None:
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


def prepare_base(config: MLXLoraConfig, run_dir: Path) -> str:
    """The base model location handed to mlx_lm, patched so that mlx_lm reads its real RoPE base.

    transformers 5 saves the RoPE base only inside `rope_parameters` ({"rope_theta": ..., "rope_type": ...}).
    mlx_lm's Llama and Qwen2 read only a top-level `rope_theta` and otherwise silently take their class default
    (10000 for Llama, 1e6 for Qwen2): the model loads and trains with every rotary angle wrong. A local folder
    without the key is therefore mirrored into <run>/base/ (symlinks to its files and a config.json with
    rope_theta, and rope_scaling for scaled RoPE, copied out of rope_parameters); `tiny` is built there. A hub id
    is looked up in the local cache and treated alike; one not cached is left to mlx_lm to fetch, and the child
    refuses to train if what it fetched has the same gap.
    """
    run_dir = run_dir.resolve()
    if config.base_model == TINY_MODEL:
        from gamecwm.train.tiny import build_tiny_model

        folder = build_tiny_model(run_dir / "base")
        write_json(folder / "config.json", with_top_level_rope(read_json(folder / "config.json")))
        return str(folder)
    folder = Path(config.base_model).expanduser()
    if not folder.exists():
        if config.base_model.startswith((".", "/", "~")):
            raise FileNotFoundError(f"base model folder not found: {folder}")
        folder = cached_hub_model(config.base_model)
        if folder is None:
            return config.base_model
    if not (folder / "config.json").is_file():
        raise FileNotFoundError(f"base model folder {folder} has no config.json; pass a Hugging Face model folder")
    original = read_json(folder / "config.json")
    fixed = with_top_level_rope(original)
    if fixed is original:
        return str(folder.resolve())
    mirror = run_dir / "base"
    mirror.mkdir(parents=True)
    for entry in folder.iterdir():
        if entry.name != "config.json":
            (mirror / entry.name).symlink_to(entry.resolve())
    write_json(mirror / "config.json", fixed)
    say(f"{folder}/config.json has no top-level rope_theta (mlx_lm would use its default); patched copy in {mirror}")
    return str(mirror)


def ensure_data(config: MLXLoraConfig) -> Path:
    data = Path(config.data_dir)
    if (data / "train.jsonl").is_file():
        return data
    if data.name != "sft":
        raise FileNotFoundError(
            f"no train.jsonl in {data}; point data_dir at a folder with train.jsonl and valid.jsonl, "
            "or at <folder>/sft to have `gamecwm data` write it there"
        )
    say(f"writing the SFT data (`gamecwm data --out {data.parent}`)")
    build_datasets(DataConfig(out=data.parent, valid_games=config.valid_games, seed=config.seed))
    return data


def lr_schedule(config: MLXLoraConfig, iters: int) -> dict[str, Any]:
    """mlx_lm's lr_schedule: linear warmup from 0, then the schedule; steps count optimizer updates."""
    updates = max(1, iters // config.grad_accumulation_steps)
    warmup = math.ceil(config.warmup_ratio * updates)
    steps, lr = max(1, updates - warmup), config.learning_rate
    end = lr if config.lr_schedule == "constant" else 0.0
    arguments = [lr, steps, end] if config.lr_schedule == "cosine" else [lr, end, steps]
    return {"name": SCHEDULES[config.lr_schedule], "arguments": arguments, "warmup": warmup, "warmup_init": 0.0}


def mlx_arguments(config: MLXLoraConfig, model: str, data: Path, run_dir: Path) -> dict[str, Any]:
    """The `mlx_lm lora -c` config for this run (keys as in mlx_lm.lora.CONFIG_DEFAULTS)."""
    examples = sum(1 for line in (data / "train.jsonl").open(encoding="utf-8") if line.strip())
    iters = config.iters if config.iters > 0 else math.ceil(config.epochs * examples / config.batch_size)
    lora = {"rank": config.lora_rank, "scale": config.lora_scale, "dropout": config.lora_dropout}
    if config.lora_keys:
        lora["keys"] = list(config.lora_keys)
    same = {key: getattr(config, key) for key in PASSED_AS_IS}
    return {"model": model, "train": True, "data": str(data.resolve()), "fine_tune_type": "lora",
            "adapter_path": str((run_dir / "adapters").resolve()), "iters": iters, "lora_parameters": lora,
            "optimizer_config": {"adamw": {"weight_decay": config.weight_decay}},
            "lr_schedule": lr_schedule(config, iters), **same}  # fmt: skip


def stream(command: list[str], log: Path, what: str) -> None:
    """Run `command`, echoing its output to the terminal and (without colour codes) to `log`."""
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    last = ""
    with log.open("a", encoding="utf-8") as out:
        out.write(f"$ {' '.join(command)}\n")
        with subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, errors="replace", env=env
        ) as proc:
            for line in proc.stdout:
                sys.stdout.write(line)
                sys.stdout.flush()
                out.write(ANSI.sub("", line))
                last = ANSI.sub("", line).strip() or last
    if proc.returncode != 0:
        raise MLXLoraError(f"{what} failed (exit code {proc.returncode}): {last}; full output in {log}")


def finish_fused(fused: Path, base: str) -> None:
    """Make mlx_lm's fused folder read the same in transformers, mlx_lm and llama.cpp's converter.

    config.json gets the top-level rope_theta mlx_lm needs, beside transformers 5's rope_parameters. The tokenizer
    files are the base's, byte for byte: mlx_lm re-saves the tokenizer through whatever class transformers picks
    for the model type (SmolLM2's tokenizer in a tiny Qwen2 comes back as Qwen2Tokenizer, with Qwen2's
    pre-tokenizer written into tokenizer.json), and fusing must not change how text is tokenized.
    """
    write_json(fused / "config.json", with_top_level_rope(read_json(fused / "config.json")))
    base_dir = Path(base) if Path(base).is_dir() else cached_hub_model(base)
    if base_dir is None or not any((base_dir / name).is_file() for name in TOKENIZER_FILES):
        say(f"kept mlx_lm's re-saved tokenizer in {fused}: the base's tokenizer files were not found locally")
        return
    for name in TOKENIZER_FILES:
        (fused / name).unlink(missing_ok=True)
        if (base_dir / name).is_file():
            shutil.copyfile(base_dir / name, fused / name)


def new_run_dir(config: MLXLoraConfig) -> Path:
    run_dir = Path(config.runs_dir) / (config.run_name or f"mlx-lora-{time.strftime('%Y%m%d-%H%M%S')}")
    if run_dir.exists() and any(run_dir.iterdir()):
        raise ValueError(f"run folder {run_dir} already exists and is not empty; choose another run_name")
    return run_dir


def run_mlx_lora(config: MLXLoraConfig) -> Path:
    """Train, log and fuse; return the run folder."""
    check_config(config)
    require_mlx()
    data = ensure_data(config)
    run_dir = new_run_dir(config)
    model = prepare_base(config, run_dir)  # first, so that a missing base leaves no run folder behind
    save_config(config, run_dir / "config.yaml")
    arguments = mlx_arguments(config, model, data, run_dir)
    (run_dir / "mlx_lora.yaml").write_text(yaml.safe_dump(arguments, sort_keys=False), encoding="utf-8")
    say(f"run folder {run_dir}: {arguments['iters']} iterations of LoRA on {model}")
    log, started = run_dir / "train.log", time.perf_counter()
    stream([sys.executable, "-m", "gamecwm.train.mlx", str(run_dir)], log, "mlx_lm LoRA training")
    say(f"trained in {time.perf_counter() - started:.1f}s; adapters in {run_dir / 'adapters'}")
    if config.fuse:
        fused = run_dir / "fused"
        fuse = [sys.executable, "-m", "mlx_lm", "fuse", "--model", model, "--dequantize"]
        stream(fuse + ["--adapter-path", str(run_dir / "adapters"), "--save-path", str(fused)], log, "mlx_lm fuse")
        finish_fused(fused, model)
        say(f"fused model in {fused}; to GGUF: gamecwm export all --model {fused} --out {run_dir / 'export'}")
    return run_dir


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


def add_parsers(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "train-mlx",
        help="LoRA with mlx_lm on the SFT data, then fuse (Apple silicon; Linux via mlx[cpu])",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_config_arguments(parser, "configs/mlx_lora.yaml", "iters=100")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    config = load_config(MLXLoraConfig, args.config, args.overrides)
    if args.dry_run:
        print(yaml.safe_dump(to_dict(config), sort_keys=False), end="")
        return 0
    try:
        print(run_mlx_lora(config))
    except MLXLoraError as exc:
        print(f"gamecwm train-mlx: error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(child_main(*sys.argv[1:]))
