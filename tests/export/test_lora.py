"""A PEFT adapter as a GGUF LoRA: llama.cpp's base + adapter computes what the merged model computes."""

import numpy as np
import pytest

from gamecwm.export import ExportError
from gamecwm.export.gguf import GGUFConfig, convert
from gamecwm.export.lora import LoraGGUFConfig, convert_lora

pytest.importorskip("llama_cpp")


@pytest.fixture(scope="module")
def lora_files(tiny_base, tiny_adapter, tmp_path_factory):
    out = tmp_path_factory.mktemp("lora")
    base = convert(GGUFConfig(model=tiny_base, out=out / "base-F32.gguf", outtype="f32"))
    lora = convert_lora(LoraGGUFConfig(adapter=tiny_adapter, base=tiny_base, out=out / "adapter-F32.gguf"))
    return base, lora


def _llama_logits(base, lora, tokens):
    from gamecwm.runtime.llama import load_llama

    llm = load_llama(base, n_ctx=64, threads=1, lora_path=lora, logits_all=True)
    llm.eval(tokens)
    return np.array(llm.scores[: len(tokens)])


def test_base_plus_gguf_lora_in_llama_cpp_matches_the_merged_model_in_transformers(lora_files, merged):
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    base, lora = lora_files
    tokens = AutoTokenizer.from_pretrained(merged)("def get_legal_actions(state):")["input_ids"]
    with_lora = _llama_logits(base, lora, tokens)
    without = _llama_logits(base, None, tokens)
    model = AutoModelForCausalLM.from_pretrained(merged, torch_dtype=torch.float32)
    with torch.no_grad():
        reference = model(torch.tensor([tokens])).logits[0].numpy()
    assert np.abs(with_lora - reference).max() < 1e-3  # both float32: the same function
    assert np.abs(without - reference).max() > 100 * np.abs(with_lora - reference).max()  # the adapter matters


def test_lora_conversion_errors_say_what_is_wrong(tiny_base, tiny_adapter, tmp_path):
    with pytest.raises(ExportError, match="not a PEFT adapter folder"):
        convert_lora(LoraGGUFConfig(adapter=tmp_path, base=tiny_base, out=tmp_path / "x.gguf"))
    with pytest.raises(ExportError, match="--base takes the base model's Hugging Face folder"):
        convert_lora(LoraGGUFConfig(adapter=tiny_adapter, base=tmp_path, out=tmp_path / "x.gguf"))
