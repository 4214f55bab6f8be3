"""A tiny Llama (2 layers, hidden 64, random weights) with SmolLM2's real tokenizer and chat template, a
LoRA adapter on it whose weights are non-zero, and its exports. Built once per test session, all on CPU;
nothing is downloaded but llama.cpp's converter (the llama-cpp-python sdist, cached after the first run).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.models import lora_adapter, tiny_model


@pytest.fixture(scope="session")
def tiny_base(tmp_path_factory) -> Path:
    """A folder with a 2-layer Llama of random weights, SmolLM2's tokenizer and its chat template."""
    return tiny_model(tmp_path_factory.mktemp("tiny") / "base", max_positions=256)


@pytest.fixture(scope="session")
def tiny_adapter(tiny_base, tmp_path_factory) -> Path:
    """A PEFT LoRA adapter (q_proj, v_proj; r=4) on the tiny base, with random non-zero B matrices."""
    return lora_adapter(tiny_base, tmp_path_factory.mktemp("tiny") / "adapter")


@pytest.fixture(scope="session")
def merged(tiny_adapter, tmp_path_factory) -> Path:
    from gamecwm.export.merge import MergeConfig, merge

    return merge(MergeConfig(adapter=tiny_adapter, out=tmp_path_factory.mktemp("tiny") / "merged"))


@pytest.fixture(scope="session")
def exports(merged, tmp_path_factory) -> dict[str, Path]:
    """F16 and F32 GGUFs of the merged model, and a Q8_0 quantized from the F16."""
    from gamecwm.export.gguf import GGUFConfig, convert
    from gamecwm.export.quantize import QuantizeConfig, quantize

    out = tmp_path_factory.mktemp("gguf")
    files = {
        "F16": convert(GGUFConfig(model=merged, out=out / "tiny-F16.gguf", outtype="f16")),
        "F32": convert(GGUFConfig(model=merged, out=out / "tiny-F32.gguf", outtype="f32")),
    }
    files["Q8_0"] = quantize(QuantizeConfig(src=files["F16"], type="Q8_0"))
    return files
