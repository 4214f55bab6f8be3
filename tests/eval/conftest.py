"""A tiny Llama (2 layers, hidden 64, random weights) with SmolLM2's tokenizer and chat template, and a
LoRA adapter on it, for the transformers backend. Built locally once per session: nothing is downloaded."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.models import lora_adapter, tiny_model


@pytest.fixture(scope="session", name="tiny_model")
def tiny_model_fixture(tmp_path_factory) -> Path:
    # the prompts hold whole rule books
    return tiny_model(tmp_path_factory.mktemp("eval_tiny") / "tiny-llama", max_positions=8192)


@pytest.fixture(scope="session")
def tiny_adapter(tiny_model, tmp_path_factory) -> Path:
    return lora_adapter(tiny_model, tmp_path_factory.mktemp("eval_tiny") / "tiny-adapter")
