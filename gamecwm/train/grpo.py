"""GRPO with TRL's GRPOTrainer, a PEFT LoRA adapter and the verifier as the reward.

    gamecwm train --config configs/grpo.yaml --set sft_adapter=runs/my-sft/sft/adapter

Each prompt asks for one training game's GameCWM; the group's completions are verified in parallel
sandboxed workers (`reward.py`) and their rewards normalised within the group. The KL penalty is taken
against the stage's starting model (PEFT's adapter-disabled base), so with the curriculum each tier
starts from the previous tier's merged model. Rollouts go through vLLM (colocated) when it is installed
and a GPU is present, else through transformers' `generate`.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

from gamecwm.train.common import (
    cuda_available,
    load_model,
    lora_config,
    metrics_callback,
    train_and_save,
    trainer_arguments,
)
from gamecwm.train.config import GRPOSettings, TrainConfig
from gamecwm.train.reward import VerifierReward
from gamecwm.train.runs import say


def use_vllm(settings: GRPOSettings) -> bool:
    wanted = settings.use_vllm.lower()
    if wanted not in ("auto", "true", "false"):
        raise ValueError(f"grpo.use_vllm must be auto, true or false, got {settings.use_vllm!r}")
    installed = importlib.util.find_spec("vllm") is not None
    if wanted == "true" and not (installed and cuda_available()):
        raise ValueError("grpo.use_vllm is true but vLLM or a CUDA GPU is missing; install vllm or set it to auto")
    return wanted == "true" or (wanted == "auto" and installed and cuda_available())


def fit_prompts(rows: list[dict[str, Any]], tokenizer: Any, max_length: int) -> list[dict[str, Any]]:
    """The rows whose chat-formatted prompt fits in `max_length` tokens; says which were left out."""
    kept = []
    for row in rows:
        ids = tokenizer.apply_chat_template(row["prompt"], tokenize=True, add_generation_prompt=True)
        length = len(ids["input_ids"] if isinstance(ids, dict) or hasattr(ids, "keys") else ids)
        if length <= max_length:
            kept.append(row)
        else:
            say(f"GRPO: {row['game_id']} left out, its prompt has {length} tokens > max_prompt_length {max_length}")
    return kept


def build_grpo_trainer(
    config: TrainConfig,
    base: str,
    rows: list[dict[str, Any]],
    out: Path,
    reward: Any,
    callbacks: list | None = None,
    rollout_func: Any = None,
) -> Any:
    """A GRPOTrainer over `rows` ({"prompt", "game_id", "tier"}) with a fresh LoRA adapter on `base`."""
    from datasets import Dataset
    from trl import GRPOConfig, GRPOTrainer

    g = config.grpo
    model, tokenizer = load_model(base, config)
    rows = fit_prompts(rows, tokenizer, g.max_prompt_length)
    if not rows:
        raise ValueError(f"no GRPO prompt fits in grpo.max_prompt_length={g.max_prompt_length} tokens")
    args = GRPOConfig(
        **trainer_arguments(config, g, out),
        num_generations=g.num_generations,
        beta=g.beta,
        max_grad_norm=g.max_grad_norm,
        temperature=g.temperature,
        max_completion_length=g.max_completion_length,
        use_vllm=use_vllm(g),
        vllm_mode="colocate",
    )
    return GRPOTrainer(
        model=model,
        reward_funcs=[reward],
        args=args,
        train_dataset=Dataset.from_list(rows),
        processing_class=tokenizer,
        peft_config=lora_config(g.lora),
        callbacks=callbacks,
        rollout_func=rollout_func,
    )


def run_grpo(config: TrainConfig, base: str, rows: list[dict[str, Any]], out: Path, stage: str, run_dir: Path) -> Path:
    """Train one GRPO stage from `base` on `rows`; return the adapter folder (`<out>/adapter`)."""
    from gamecwm.sandbox import resolve

    resolve(config.grpo.isolation)  # a policy learns against this reward: refuse a weak sandbox before training
    reward = VerifierReward(
        fuzz_games=config.grpo.fuzz_games,
        jobs=config.grpo.reward_jobs,
        scenarios=config.scenarios,
        isolation=config.grpo.isolation,
    )
    callbacks = [metrics_callback(run_dir / "metrics.jsonl", stage)]
    trainer = build_grpo_trainer(config, base, rows, out, reward, callbacks)
    games = sorted({row["game_id"] for row in trainer.train_dataset})
    say(f"GRPO {stage}: {len(games)} games ({', '.join(games)}), {config.grpo.num_generations} completions each")
    return train_and_save(trainer, out / "adapter")
