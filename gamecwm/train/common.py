"""What SFT and GRPO share: finding the base model, devices and dtypes, LoRA configs, metrics.jsonl."""

from __future__ import annotations

import importlib.util
import json
import time
from pathlib import Path
from typing import Any

from gamecwm.train.config import EMBEDDED_MODEL, TINY_MODEL, GRPOSettings, LoraSettings, SFTSettings, TrainConfig


class MissingRequirement(ValueError):
    """Something `gamecwm train` needs (a GPU, the base weights) is not on this machine."""


SMOKE_HINT = "To run the whole pipeline on this machine's CPU with a tiny local model instead: `make train-smoke`"


def cuda_available() -> bool:
    import torch

    return torch.cuda.is_available()


def is_local(base: str) -> bool:
    return base in (TINY_MODEL, EMBEDDED_MODEL) or Path(base).expanduser().exists() or base.startswith((".", "/", "~"))


def cached_hub_model(repo_id: str) -> Path | None:
    """The local snapshot of a hub model when its weights are in the Hugging Face cache; never downloads."""
    from huggingface_hub import snapshot_download
    from huggingface_hub.errors import LocalEntryNotFoundError

    try:
        folder = Path(snapshot_download(repo_id, local_files_only=True))
    except (LocalEntryNotFoundError, OSError, ValueError):
        return None
    has_weights = any(folder.glob("*.safetensors")) or any(folder.glob("*.bin"))
    return folder if has_weights and (folder / "config.json").is_file() else None


def preflight(config: TrainConfig) -> None:
    """Stop before any work when the GPU or the base weights the config asks for are missing."""
    problems = []
    if config.require_cuda and not cuda_available():
        problems.append("no CUDA GPU is visible (torch.cuda.is_available() is False) and the config sets "
                        "require_cuda")  # fmt: skip
    base = config.base_model
    if is_local(base):
        path = base_path(base)
        if base != TINY_MODEL and not (path.is_file() or (path / "config.json").is_file()):
            problems.append(f"base model not found: {path} is neither a .gguf file nor a folder with config.json")
    elif cached_hub_model(base) is None:
        problems.append(
            f"the weights of {base} are not in the local Hugging Face cache and training never downloads; "
            f"fetch them in your environment (`hf download {base}`) or pass a local folder "
            "(`--set base_model=/path/to/model`)"
        )
    if problems:
        listed = "".join(f"\n  - {problem}" for problem in problems)
        raise MissingRequirement(f"cannot train:{listed}\n{SMOKE_HINT}")


def prepare_base(config: TrainConfig, run_dir: Path) -> str:
    """A location transformers and PEFT can load: the tiny model or a dequantized GGUF is saved first."""
    base = config.base_model
    if base == TINY_MODEL:
        from gamecwm.train.tiny import build_tiny_model

        return str(build_tiny_model(run_dir / "base"))
    path = base_path(base)
    if path.suffix == ".gguf":
        from gamecwm.export.merge import load_base

        model, tokenizer = load_base(str(path), "float32")
        model.save_pretrained(run_dir / "base")
        tokenizer.save_pretrained(run_dir / "base")
        return str(run_dir / "base")
    if path.exists():
        return str(path)
    return str(cached_hub_model(base) or base)


def base_path(base: str) -> Path:
    """Where `base` lives on disk: the embedded GGUF for 'embedded', else the path as given."""
    if base == EMBEDDED_MODEL:
        from gamecwm.runtime.llama import default_model_path

        return default_model_path()
    return Path(base).expanduser()


def torch_dtype(config: TrainConfig) -> Any:
    import torch

    if config.dtype == "auto":
        return torch.bfloat16 if cuda_available() and torch.cuda.is_bf16_supported() else torch.float32
    if config.dtype not in ("bfloat16", "float16", "float32"):
        raise ValueError(f"dtype must be auto, bfloat16, float16 or float32, got {config.dtype!r}")
    return getattr(torch, config.dtype)


def precision_args(config: TrainConfig) -> dict[str, Any]:
    """TrainingArguments for the device: bf16 on CUDA; on the CPU (`use_cpu`) fp32, or bf16 autocast
    over fp32 weights with `cpu_bf16`."""
    import torch

    dtype = torch_dtype(config)
    if not cuda_available():
        return {"use_cpu": True, "bf16": config.cpu_bf16, "fp16": False}
    return {"bf16": dtype == torch.bfloat16, "fp16": dtype == torch.float16}


def trainer_arguments(config: TrainConfig, stage: SFTSettings | GRPOSettings, out: Path) -> dict[str, Any]:
    """The TrainingArguments SFT and GRPO share: schedule, batch, logging, precision, no checkpoints."""
    return {
        "output_dir": str(out),
        "learning_rate": stage.learning_rate,
        "lr_scheduler_type": stage.lr_scheduler_type,
        "warmup_steps": stage.warmup_ratio,  # a float below 1 is a share of the steps
        "num_train_epochs": stage.epochs,
        "max_steps": stage.max_steps,
        "per_device_train_batch_size": stage.batch_size,
        "gradient_accumulation_steps": stage.gradient_accumulation_steps,
        "gradient_checkpointing": stage.gradient_checkpointing,
        "logging_steps": stage.logging_steps,
        "logging_first_step": True,
        "save_strategy": "no",  # adapters are saved at the end of each stage
        "optim": optimizer_name(),
        "seed": config.seed,
        "report_to": config.report_to,
        **precision_args(config),
    }


def optimizer_name() -> str:
    """8-bit AdamW on CUDA when bitsandbytes is installed (the recipe), else torch's AdamW."""
    if cuda_available() and importlib.util.find_spec("bitsandbytes") is not None:
        return "adamw_8bit"
    return "adamw_torch"


def lora_config(settings: LoraSettings) -> Any:
    from peft import LoraConfig

    targets = settings.target_modules
    return LoraConfig(
        r=settings.r,
        lora_alpha=settings.alpha,
        lora_dropout=settings.dropout,
        target_modules="all-linear" if targets == ["all-linear"] else list(targets),
        task_type="CAUSAL_LM",
    )


def load_model(location: str, config: TrainConfig) -> tuple[Any, Any]:
    from transformers import AutoModelForCausalLM, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(location)
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    model = AutoModelForCausalLM.from_pretrained(location, dtype=torch_dtype(config))
    return model, tokenizer


def train_and_save(trainer: Any, adapter: Path) -> Path:
    """Train, then save the LoRA adapter with its tokenizer (the main process writes)."""
    trainer.train()
    trainer.save_model(str(adapter))
    if trainer.accelerator.is_main_process:
        trainer.processing_class.save_pretrained(str(adapter))
    return adapter


def metrics_callback(path: Path, stage: str) -> Any:
    """A TrainerCallback appending every logged dict, tagged with the stage, to `path` (metrics.jsonl)."""
    from transformers import TrainerCallback

    class MetricsFile(TrainerCallback):
        last: tuple[float, float] | None = None  # (time, num_tokens) at the previous training log

        def on_log(self, args, state, control, logs=None, **kwargs):
            if logs and state.is_world_process_zero:
                now = time.time()
                row = {"stage": stage, "step": state.global_step, "time": round(now, 3), **logs}
                if "num_tokens" in logs:  # TRL counts every token the model read, prompts included
                    if self.last is not None and now > self.last[0]:
                        row["tokens_per_second"] = round((logs["num_tokens"] - self.last[1]) / (now - self.last[0]), 2)
                    self.last = (now, logs["num_tokens"])
                with path.open("a", encoding="utf-8") as f:
                    f.write(json.dumps(row) + "\n")

    return MetricsFile()
