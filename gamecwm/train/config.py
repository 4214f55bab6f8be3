"""Typed training configs: YAML files whose keys are the field names, overridden from the command line.

    config = load_config(TrainConfig, "configs/sft_grpo.yaml", ["sft.learning_rate=2e-5", "grpo.beta=0.05"])
    save_config(config, run_dir / "config.yaml")

Every default lives once, in a dataclass field; a YAML file sets only what it changes. Unknown keys and
values of the wrong type are errors naming the key and what it expects, so a typo never trains silently
with a default. Defaults follow the published recipe (docs/architecture.md §6).
"""

from __future__ import annotations

import argparse
import dataclasses
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml

T = TypeVar("T")

DEFAULT_BASE_MODEL = "Qwen/Qwen2.5-3B-Instruct"
TINY_MODEL = "tiny"  # base_model value that builds a few-layer Llama locally (smoke runs, tests)
EMBEDDED_MODEL = "embedded"  # base_model value for the runtime's embedded GGUF, dequantized (CPU recipe)


@dataclass
class LoraSettings:
    r: int = field(default=16, metadata={"help": "LoRA rank"})
    alpha: int = field(default=32, metadata={"help": "LoRA alpha (scale = alpha / r)"})
    dropout: float = field(default=0.05, metadata={"help": "dropout on the LoRA input"})
    target_modules: list[str] = field(
        default_factory=lambda: ["q_proj", "k_proj", "v_proj", "o_proj"],
        metadata={"help": "module names to adapt, or ['all-linear']"},
    )


@dataclass
class SFTSettings:
    enabled: bool = field(default=True, metadata={"help": "run the SFT stage"})
    lora: LoraSettings = field(default_factory=LoraSettings)
    learning_rate: float = field(default=1e-5, metadata={"help": "peak learning rate"})
    lr_scheduler_type: str = field(default="cosine", metadata={"help": "transformers scheduler name"})
    warmup_ratio: float = field(default=0.03, metadata={"help": "share of steps spent warming up"})
    epochs: float = field(default=2.0, metadata={"help": "passes over the SFT data"})
    max_steps: int = field(default=-1, metadata={"help": "stop after this many steps (-1: run the epochs)"})
    batch_size: int = field(default=1, metadata={"help": "examples per device per step"})
    gradient_accumulation_steps: int = field(default=4, metadata={"help": "effective batch = batch_size x this"})
    max_length: int = field(default=8192, metadata={"help": "tokens per example (prompt + completion)"})
    gradient_checkpointing: bool = field(default=True, metadata={"help": "trade compute for memory"})
    logging_steps: int = field(default=1, metadata={"help": "log every N steps"})
    eval_steps: int = field(default=0, metadata={"help": "validation loss every N steps (0: after each epoch)"})


@dataclass
class GRPOSettings:
    enabled: bool = field(default=True, metadata={"help": "run the GRPO stage"})
    lora: LoraSettings = field(default_factory=lambda: LoraSettings(alpha=64, target_modules=["all-linear"]))
    learning_rate: float = field(default=2e-5, metadata={"help": "peak learning rate"})
    lr_scheduler_type: str = field(default="constant", metadata={"help": "transformers scheduler name"})
    warmup_ratio: float = field(default=0.0, metadata={"help": "share of steps spent warming up"})
    epochs: float = field(default=1.0, metadata={"help": "passes over each curriculum tier's prompts"})
    max_steps: int = field(default=-1, metadata={"help": "steps per curriculum stage (-1: run the epochs)"})
    num_generations: int = field(default=8, metadata={"help": "completions per prompt (the group)"})
    batch_size: int = field(default=8, metadata={"help": "completions per device per forward/backward"})
    gradient_accumulation_steps: int = field(
        default=1,
        metadata={"help": "forward/backward passes per optimizer update; batch x this is generated at once, "
                  "a multiple of the group"},
    )  # fmt: skip
    beta: float = field(default=0.1, metadata={"help": "KL penalty against the stage's starting model"})
    max_grad_norm: float = field(default=0.1, metadata={"help": "gradient clipping"})
    temperature: float = field(default=0.6, metadata={"help": "sampling temperature of the rollouts"})
    max_prompt_length: int = field(default=4096, metadata={"help": "prompts longer than this are left out"})
    max_completion_length: int = field(default=4096, metadata={"help": "tokens per completion"})
    gradient_checkpointing: bool = field(default=True, metadata={"help": "trade compute for memory"})
    use_vllm: str = field(default="auto", metadata={"help": "vLLM rollouts: auto (when installed), true, false"})
    tiers: list[int] = field(default_factory=lambda: [1, 2, 3, 4], metadata={"help": "curriculum tiers to train on"})
    fuzz_games: int = field(default=10, metadata={"help": "verifier fuzz games per completion"})
    reward_jobs: int = field(default=0, metadata={"help": "parallel sandboxed verifications (0: one per core)"})
    isolation: str = field(
        default="required",
        metadata={"help": "sandbox isolation of the reward: required (refuse without namespaces), auto, off"},
    )
    logging_steps: int = field(default=1, metadata={"help": "log every N steps"})


@dataclass
class TrainConfig:
    base_model: str = field(
        default=DEFAULT_BASE_MODEL,
        metadata={
            "help": f"hub id (from the local cache), model folder, .gguf file, '{EMBEDDED_MODEL}' or '{TINY_MODEL}'"
        },
    )
    run_name: str | None = field(default=None, metadata={"help": "run folder name (default: config name + time)"})
    runs_dir: str = field(default="runs", metadata={"help": "where run folders are created"})
    data_dir: str = field(default="data", metadata={"help": "dataset folder (written by `gamecwm data`)"})
    valid_games: int = field(default=2, metadata={"help": "training games held back for SFT validation"})
    phrasings: int = field(default=1, metadata={"help": "SFT module rows per game, each prompt worded differently"})
    function_rows: int = field(default=0, metadata={"help": "SFT rows per game asking for one contract function"})
    repair_rows: int = field(default=0, metadata={"help": "SFT repair rows per game (a verified mutant, then the fix)"})
    seed: int = field(default=42, metadata={"help": "seed for data order, LoRA init and sampling"})
    dtype: str = field(default="auto", metadata={"help": "auto (bf16 on CUDA, fp32 on CPU), bfloat16, float32"})
    cpu_bf16: bool = field(default=False, metadata={"help": "bf16 autocast on the CPU (the weights stay fp32)"})
    require_cuda: bool = field(default=False, metadata={"help": "stop at once when no CUDA GPU is visible"})
    curriculum: bool = field(default=True, metadata={"help": "GRPO tier by tier, merging adapters in between"})
    scenarios: bool = field(default=True, metadata={"help": "include the scenario tier in the GRPO reward"})
    sft_adapter: str | None = field(default=None, metadata={"help": "start GRPO from this SFT adapter (skips SFT)"})
    report_to: str = field(default="none", metadata={"help": "trackers: none, tensorboard, wandb, ..."})
    sft: SFTSettings = field(default_factory=SFTSettings)
    grpo: GRPOSettings = field(default_factory=GRPOSettings)


def from_dict(cls: type[T], data: dict[str, Any], where: str = "") -> T:
    """Build dataclass `cls` from a mapping, checking every key and value type."""
    if not isinstance(data, dict):
        raise ValueError(f"{where or cls.__name__}: expected a mapping, got {type(data).__name__}")
    hints = typing.get_type_hints(cls)
    names = {f.name for f in dataclasses.fields(cls)}
    unknown = sorted(set(data) - names)
    if unknown:
        raise ValueError(f"unknown config key {where}{unknown[0]}; known keys: {', '.join(sorted(names))}")
    values = {name: _coerce(hints[name], value, f"{where}{name}") for name, value in data.items()}
    return cls(**values)


def _coerce(hint: Any, value: Any, key: str) -> Any:
    if dataclasses.is_dataclass(hint):
        return from_dict(hint, value or {}, f"{key}.")
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        hint = next(a for a in args if a is not type(None))
        origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is list:
        if isinstance(value, str):
            value = [v.strip() for v in value.split(",") if v.strip()]
        if not isinstance(value, list):
            raise ValueError(f"config key {key}: expected a list, got {value!r}")
        return [_coerce(args[0], v, key) for v in value]
    if hint is float and isinstance(value, str):  # YAML 1.1 reads 1e-5 (no dot) as a string
        try:
            return float(value)
        except ValueError:
            raise ValueError(f"config key {key}: expected a number, got {value!r}") from None
    if hint is float and isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if hint is str and isinstance(value, int | float | bool):
        return str(value).lower() if isinstance(value, bool) else str(value)
    if not isinstance(value, hint) or (hint is int and isinstance(value, bool)):
        raise ValueError(f"config key {key}: expected {hint.__name__}, got {value!r}")
    return value


def to_dict(config: Any) -> dict[str, Any]:
    return dataclasses.asdict(config)


def apply_overrides(data: dict[str, Any], overrides: list[str]) -> dict[str, Any]:
    """Set dotted keys from `key=value` strings (values parsed as YAML: 2e-5, true, [a, b])."""
    for item in overrides:
        key, sep, raw = item.partition("=")
        if not sep or not key:
            raise ValueError(f"override {item!r} is not key=value (e.g. sft.learning_rate=2e-5)")
        node = data
        *parents, leaf = key.strip().split(".")
        for part in parents:
            node = node.setdefault(part, {})
            if not isinstance(node, dict):
                raise ValueError(f"override {item!r}: {part} is not a section")
        node[leaf] = yaml.safe_load(raw) if raw.strip() else None
    return data


def load_config(cls: type[T], path: str | Path | None = None, overrides: list[str] | None = None) -> T:
    """Defaults, then the YAML file at `path`, then `overrides` ("section.key=value")."""
    data: dict[str, Any] = {}
    if path is not None:
        path = Path(path)
        if not path.is_file():
            raise FileNotFoundError(f"config file not found: {path}; the shipped ones are in configs/")
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            raise ValueError(f"{path} is not valid YAML: {exc}") from None
    return from_dict(cls, apply_overrides(data, overrides or []))


def add_config_arguments(parser: argparse.ArgumentParser, configs: str, example: str) -> None:
    """--config FILE, repeatable --set KEY=VALUE and --dry-run, for a command driven by a config dataclass."""
    parser.add_argument("--config", type=Path, help=f"YAML config ({configs})")
    parser.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE",
                        help=f"override a config field, e.g. --set {example} (repeatable)")  # fmt: skip
    parser.add_argument("--dry-run", action="store_true", help="print the resolved config and stop")


def save_config(config: Any, path: Path) -> Path:
    """Write the resolved config (every field, defaults included) as YAML."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(to_dict(config), sort_keys=False), encoding="utf-8")
    return path
