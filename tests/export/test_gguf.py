"""`gamecwm export gguf`: faithful conversion, fused MLX folders, atomic writes, clear errors."""

from __future__ import annotations

import json
import shutil
import textwrap

import pytest

from gamecwm.export import ExportError
from gamecwm.export.check import check_gguf
from gamecwm.export.gguf import GGUFConfig, convert


@pytest.mark.parametrize("outtype", ["F16", "F32"])
def test_f16_and_f32_exports_pass_check(exports, outtype):
    report = check_gguf(exports[outtype], expect_type=outtype)
    assert report.ok, report.problems
    assert report.architecture == "llama" and report.chat_template and report.tensors > 0
    assert report.name == "merged"


@pytest.fixture
def plain_cpu_buffers(monkeypatch):
    """Load llama.cpp weights without the repacked/AMX CPU layouts, as gamecwm.runtime does: on this
    project's CI (a VM advertising AMX) their kernels crash at the first decode."""
    import llama_cpp.llama as llama_module

    original = llama_module.llama_cpp.llama_model_default_params

    def plain():
        params = original()
        params.use_extra_bufts = False
        return params

    monkeypatch.setattr(llama_module.llama_cpp, "llama_model_default_params", plain)


def test_f32_gguf_computes_the_merged_models_logits(merged, exports, plain_cpu_buffers):
    """llama.cpp on the F32 GGUF and transformers on the merged folder agree on every position's logits."""
    import llama_cpp
    import numpy as np
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    ids = AutoTokenizer.from_pretrained(merged)("The rules of tic-tac-toe are simple.")["input_ids"]
    with torch.no_grad():
        expected = AutoModelForCausalLM.from_pretrained(merged, dtype=torch.float32)(torch.tensor([ids])).logits[0]
    llm = llama_cpp.Llama(str(exports["F32"]), n_ctx=64, logits_all=True, verbose=False, n_threads=2)
    llm.eval(ids)
    got = np.asarray(llm.scores[: len(ids)])
    scale = float(expected.abs().max())
    np.testing.assert_allclose(got, expected.numpy(), atol=1e-3 * scale, rtol=0)


@pytest.mark.slow
def test_fused_mlx_folder_converts_through_the_same_path(merged, tmp_path):
    """mlx_lm fuse writes an HF-layout folder; its config keeps rope_theta at the top level."""
    fused = tmp_path / "fused"
    shutil.copytree(merged, fused)
    (fused / "generation_config.json").unlink()
    config = json.loads((fused / "config.json").read_text())
    config["rope_theta"] = config.pop("rope_parameters", {}).get("rope_theta", 10000.0)
    (fused / "config.json").write_text(json.dumps(config))
    out = convert(GGUFConfig(model=fused, out=tmp_path / "fused-F16.gguf"))
    assert check_gguf(out, expect_type="F16").ok


def test_quantized_mlx_folder_asks_for_dequantize(merged, tmp_path):
    fused = tmp_path / "fused"
    shutil.copytree(merged, fused)
    config = json.loads((fused / "config.json").read_text())
    (fused / "config.json").write_text(json.dumps({**config, "quantization": {"group_size": 64, "bits": 4}}))
    with pytest.raises(ExportError, match="quantized weights.*--dequantize"):
        convert(GGUFConfig(model=fused, out=tmp_path / "x.gguf"))
    assert not (tmp_path / "x.gguf").exists()


def test_missing_folder_is_one_clear_error(tmp_path):
    with pytest.raises(ExportError, match="model folder not found: .*missing"):
        convert(GGUFConfig(model=tmp_path / "missing", out=tmp_path / "x.gguf"))


def test_folder_without_config_is_one_clear_error(tmp_path):
    with pytest.raises(ExportError, match="no config.json"):
        convert(GGUFConfig(model=tmp_path, out=tmp_path / "x.gguf"))


def test_unsupported_architecture_is_named(merged, tmp_path):
    folder = tmp_path / "odd"
    shutil.copytree(merged, folder)
    config = json.loads((folder / "config.json").read_text())
    (folder / "config.json").write_text(json.dumps({**config, "architectures": ["TicTacToeTransformerForCausalLM"]}))
    with pytest.raises(ExportError, match="TicTacToeTransformerForCausalLM is not supported by llama.cpp"):
        convert(GGUFConfig(model=folder, out=tmp_path / "odd.gguf"))
    assert not (tmp_path / "odd.gguf").exists()


FAILING_CONVERTER = textwrap.dedent(
    """
    import sys
    out = sys.argv[sys.argv.index("--outfile") + 1]
    with open(out, "wb") as f:
        f.write(b"GGUF" + b"half a model" * 1000)
    print("Traceback (most recent call last):\\nRuntimeError: disk on fire", flush=True)
    sys.exit(1)
    """
)


@pytest.mark.parametrize("existing", [False, True])
def test_failed_conversion_leaves_no_half_written_gguf(merged, tmp_path, existing):
    converter = tmp_path / "llama.cpp"
    converter.mkdir()
    (converter / "convert_hf_to_gguf.py").write_text(FAILING_CONVERTER)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    target = out_dir / "model-F16.gguf"
    if existing:
        target.write_bytes(b"the previous good export")
    with pytest.raises(ExportError, match="(?s)converter failed.*no GGUF was written.*disk on fire"):
        convert(GGUFConfig(model=merged, out=target, converter=converter))
    assert [p.name for p in out_dir.iterdir()] == (["model-F16.gguf"] if existing else [])
    if existing:
        assert target.read_bytes() == b"the previous good export"


def test_converter_path_without_script_is_one_clear_error(merged, tmp_path):
    with pytest.raises(ExportError, match="no convert_hf_to_gguf.py at"):
        convert(GGUFConfig(model=merged, out=tmp_path / "x.gguf", converter=tmp_path))
