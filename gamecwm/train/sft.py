"""Supervised fine-tuning with TRL's SFTTrainer and a PEFT LoRA adapter.

    gamecwm train --config configs/sft.yaml

Trains on `data/sft/prompt_completion/{train,valid}.jsonl`: conversational prompt/completion rows, so
TRL applies the chat template and puts the loss on the completion (the GameCWM) only. The adapter is
saved with its tokenizer in `<run>/sft/adapter`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from gamecwm.train.common import load_model, lora_config, metrics_callback, train_and_save, trainer_arguments
from gamecwm.train.config import TrainConfig
from gamecwm.train.runs import say


def sft_files(data_dir: Path) -> dict[str, Path]:
    folder = Path(data_dir) / "sft" / "prompt_completion"
    files = {split: folder / f"{split}.jsonl" for split in ("train", "valid")}
    if not files["train"].is_file():
        raise FileNotFoundError(f"SFT data not found: {files['train']}; write it with `gamecwm data --out {data_dir}`")
    return {split: path for split, path in files.items() if path.is_file() and path.stat().st_size}


def build_sft_trainer(config: TrainConfig, base: str, data_dir: Path, out: Path, callbacks: list | None = None) -> Any:
    """An SFTTrainer over the prompt/completion data, with a fresh LoRA adapter on `base`."""
    from datasets import load_dataset
    from trl import SFTConfig, SFTTrainer

    s = config.sft
    files = sft_files(data_dir)
    data = load_dataset("json", data_files={split: str(path) for split, path in files.items()})
    model, tokenizer = load_model(base, config)
    args = SFTConfig(
        **trainer_arguments(config, s, out),
        per_device_eval_batch_size=s.batch_size,
        max_length=s.max_length,
        eval_strategy="no" if "valid" not in data else "steps" if s.eval_steps else "epoch",
        eval_steps=s.eval_steps or None,
        eval_on_start=bool(s.eval_steps) and "valid" in data,  # the base model's validation loss, to compare
    )
    return SFTTrainer(
        model=model,
        args=args,
        train_dataset=data["train"],
        eval_dataset=data.get("valid"),
        processing_class=tokenizer,
        peft_config=lora_config(s.lora),
        callbacks=callbacks,
    )


def run_sft(config: TrainConfig, base: str, data_dir: Path, run_dir: Path) -> Path:
    """Train the SFT adapter; return its folder (`<run>/sft/adapter`)."""
    out = run_dir / "sft"
    trainer = build_sft_trainer(config, base, data_dir, out, [metrics_callback(run_dir / "metrics.jsonl", "sft")])
    say(f"SFT: {len(trainer.train_dataset)} examples, LoRA r={config.sft.lora.r} on {base}")
    return train_and_save(trainer, out / "adapter")
