"""The MLX LoRA run's settings (MLXLoraConfig, read like `gamecwm train`'s configs) and the checks before a run."""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass, field

from gamecwm.train.config import DEFAULT_BASE_MODEL, TINY_MODEL

INSTALL_HINT = "install it with `pip install 'gamecwm[mlx]'` (on Linux that brings `mlx[cpu]`, mlx's CPU backend)"
SCHEDULES = {"cosine": "cosine_decay", "linear": "linear_schedule", "constant": "linear_schedule"}


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


def check_config(config: MLXLoraConfig) -> None:
    if config.lr_schedule not in SCHEDULES:
        raise ValueError(f"lr_schedule must be one of {', '.join(SCHEDULES)}, got {config.lr_schedule!r}")
    if config.iters <= 0 and config.epochs <= 0:
        raise ValueError(f"set iters or epochs above 0 (iters={config.iters}, epochs={config.epochs})")
    for key in ("lora_rank", "batch_size", "grad_accumulation_steps", "max_seq_length", "steps_per_report"):
        if getattr(config, key) < 1:
            raise ValueError(f"{key} must be at least 1, got {getattr(config, key)}")


def require_mlx() -> None:
    try:
        import mlx.core  # noqa: F401
    except ImportError as exc:
        raise MLXLoraError(f"mlx cannot be imported ({exc}); {INSTALL_HINT}") from None
    if importlib.util.find_spec("mlx_lm") is None:
        raise MLXLoraError(f"mlx_lm is not installed; {INSTALL_HINT}")
