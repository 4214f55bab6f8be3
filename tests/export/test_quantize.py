"""`gamecwm export quantize`: Q8_0 of the tiny model loads in llama.cpp and generates."""

from __future__ import annotations

from pathlib import Path

import pytest

from gamecwm.export import ExportError
from gamecwm.export.check import check_gguf
from gamecwm.export.quantize import QuantizeConfig, default_output, quantize


def test_q8_0_passes_check_and_is_smaller(exports):
    report = check_gguf(exports["Q8_0"], expect_type="Q8_0")
    assert report.ok, report.problems
    assert exports["Q8_0"].name == "tiny-Q8_0.gguf"
    assert exports["Q8_0"].stat().st_size < exports["F16"].stat().st_size


def test_q8_0_loads_in_llama_cpp_and_generates(exports):
    """Through the runtime's loader, which also keeps llama.cpp off the repacked kernels that crash here."""
    from gamecwm.runtime.llama import load_llama

    llm = load_llama(exports["Q8_0"], n_ctx=128, seed=0, threads=2)
    assert "<|im_start|>" in llm.metadata["tokenizer.chat_template"]
    out = llm.create_chat_completion(
        [{"role": "user", "content": "Write tic-tac-toe."}], max_tokens=8, temperature=0.0, seed=0
    )
    assert out["usage"]["completion_tokens"] > 0
    again = llm.create_chat_completion(
        [{"role": "user", "content": "Write tic-tac-toe."}], max_tokens=8, temperature=0.0, seed=0
    )
    assert again["choices"][0]["message"]["content"] == out["choices"][0]["message"]["content"]


def test_default_output_names_follow_the_convention():
    assert default_output(Path("runs/x/gamecwm-F16.gguf"), "Q4_K_M") == Path("runs/x/gamecwm-Q4_K_M.gguf")
    assert default_output(Path("model.gguf"), "Q8_0") == Path("model-Q8_0.gguf")


def test_requantizing_needs_an_explicit_flag(exports, tmp_path):
    with pytest.raises(ExportError, match=r"already quantized \(Q8_0\).*--allow-requantize"):
        quantize(QuantizeConfig(src=exports["Q8_0"], type="Q4_K_M", out=tmp_path / "x.gguf"))
    assert not (tmp_path / "x.gguf").exists()


def test_bad_inputs_are_one_clear_error_and_write_nothing(tmp_path):
    junk = tmp_path / "junk.gguf"
    junk.write_bytes(b"not a gguf at all")
    with pytest.raises(ExportError, match="not a readable GGUF"):
        quantize(QuantizeConfig(src=junk, type="Q8_0"))
    with pytest.raises(ExportError, match="GGUF not found"):
        quantize(QuantizeConfig(src=tmp_path / "missing.gguf", type="Q8_0"))
    with pytest.raises(ExportError, match="unknown quantization type 'Q9_X'.*Q4_K_M"):
        quantize(QuantizeConfig(src=junk, type="Q9_X"))
    with pytest.raises(ExportError, match="importance matrix"):
        quantize(QuantizeConfig(src=junk, type="IQ2_XXS"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["junk.gguf"]
