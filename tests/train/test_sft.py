"""SFT on the tiny local model: the loss falls, only LoRA weights move, only the completion is learned."""

import json

import torch

from gamecwm.train.config import TrainConfig, load_config
from gamecwm.train.sft import build_sft_trainer, run_sft

OVERRIDES = [
    "sft.learning_rate=5e-3",
    "sft.warmup_ratio=0",
    "sft.lr_scheduler_type=constant",
    "sft.max_steps=8",
    "sft.batch_size=4",
    "sft.gradient_accumulation_steps=1",
    "sft.gradient_checkpointing=false",
    "sft.lora.target_modules=[q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj]",
]


def config(*extra: str) -> TrainConfig:
    return load_config(TrainConfig, None, ["base_model=tiny", *OVERRIDES, *extra])


def snapshot(model) -> dict[str, torch.Tensor]:
    return {name: p.detach().clone() for name, p in model.named_parameters()}


def test_sft_lowers_the_loss_and_moves_only_lora_weights(tiny_model, short_data, tmp_path):
    trainer = build_sft_trainer(config(), str(tiny_model), short_data, tmp_path / "sft")
    before = snapshot(trainer.model)
    trainer.train()
    losses = [row["loss"] for row in trainer.state.log_history if "loss" in row]
    assert len(losses) >= 4
    assert losses[-1] < losses[0] - 0.25, losses
    assert sum(b < a for a, b in zip(losses, losses[1:], strict=False)) >= len(losses) - 2, losses
    after = snapshot(trainer.model)
    lora = [n for n in before if "lora_" in n]
    assert lora and all(not torch.equal(before[n], after[n]) for n in lora if "lora_B" in n)
    assert all(torch.equal(before[n], after[n]) for n in before if "lora_" not in n)


def test_only_completion_tokens_carry_labels(tiny_model, short_data, tmp_path):
    trainer = build_sft_trainer(config(), str(tiny_model), short_data, tmp_path / "sft")
    tokenizer = trainer.processing_class
    example = trainer.train_dataset[0]
    batch = trainer.data_collator([example])
    labels = batch["labels"][0]
    prompt = tokenizer.apply_chat_template(_first_row_prompt(short_data), add_generation_prompt=True)
    prompt_ids = prompt["input_ids"] if hasattr(prompt, "keys") else prompt
    assert batch["input_ids"][0][: len(prompt_ids)].tolist() == list(prompt_ids)
    assert (labels[: len(prompt_ids)] == -100).all()
    assert (labels[len(prompt_ids) :] != -100).all()
    completion = tokenizer.decode(batch["input_ids"][0][len(prompt_ids) :])
    assert completion.startswith("```python\n") and "get_initial_state" in completion


def _first_row_prompt(data_dir):
    from gamecwm.train.data import read_jsonl

    return read_jsonl(data_dir / "sft" / "prompt_completion" / "train.jsonl")[0]["prompt"]


def test_run_sft_saves_an_adapter_and_logs_metrics(tiny_model, short_data, tmp_path):
    adapter = run_sft(config("sft.max_steps=2"), str(tiny_model), short_data, tmp_path)
    assert (adapter / "adapter_config.json").is_file() and (adapter / "adapter_model.safetensors").is_file()
    assert (adapter / "tokenizer.json").is_file()
    rows = [json.loads(line) for line in (tmp_path / "metrics.jsonl").read_text().splitlines()]
    assert {r["stage"] for r in rows} == {"sft"}
    assert any("loss" in r for r in rows) and any("eval_loss" in r for r in rows)
