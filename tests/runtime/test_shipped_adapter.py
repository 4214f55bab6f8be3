"""The embedded model's default: the shipped GGUF LoRA on top of the embedded GGUF; `base` leaves it out."""

from pathlib import Path

import pytest

from gamecwm.eval.backends import model_name, resolve_backend
from gamecwm.eval.config import EvalConfig
from gamecwm.eval.run import generation_settings
from gamecwm.runtime import llama
from tests.models import smollm2_gguf


@pytest.fixture
def shipped(tmp_path, monkeypatch):
    lora = tmp_path / "embedded" / "gamecwm-smollm2-135m.lora.gguf"
    lora.parent.mkdir()
    lora.write_bytes(b"GGUF fake adapter")
    monkeypatch.setattr(llama, "SHIPPED_LORA", lora)
    return lora


def test_the_default_is_the_embedded_model_with_the_shipped_adapter(shipped):
    embedded = smollm2_gguf()
    assert llama.resolve_model(None) == (embedded, shipped)
    assert llama.resolve_model("base") == (embedded, None)
    assert llama.resolve_model(Path("any/model.gguf")) == (Path("any/model.gguf"), None)


def test_without_a_shipped_adapter_the_default_is_the_base(tmp_path, monkeypatch):
    monkeypatch.setattr(llama, "SHIPPED_LORA", tmp_path / "missing.gguf")
    assert llama.resolve_model(None) == (smollm2_gguf(), None)


def test_eval_names_and_keys_samples_by_the_adapter(shipped):
    smollm2_gguf()
    assert resolve_backend(Path("base")) == "llama_cpp"
    assert model_name(None) == "SmolLM2-135M-Instruct.Q4_1+gamecwm-smollm2-135m.lora"
    assert model_name(Path("base")) == "SmolLM2-135M-Instruct.Q4_1"
    messages = [{"role": "user", "content": "hi"}]
    default = generation_settings(EvalConfig(), messages, 0)
    base = generation_settings(EvalConfig(model=Path("base")), messages, 0)
    assert default["lora"].startswith("gamecwm-smollm2-135m.lora.gguf:") and "lora" not in base
    assert {k: v for k, v in default.items() if k != "lora"} == base  # a base sample is never reused as a tuned one


def test_the_shipped_adapter_loads_on_the_embedded_model():
    pytest.importorskip("llama_cpp")
    if llama.shipped_lora_path() is None:
        pytest.skip("no adapter shipped in this checkout")
    generator = llama.LlamaGenerator(n_ctx=256, threads=1)
    assert generator.lora_path == llama.SHIPPED_LORA and "lora" in generator.name
    assert "".join(generator.stream([{"role": "user", "content": "Write tic-tac-toe."}], max_tokens=4, seed=0))
