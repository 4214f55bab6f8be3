"""`gamecwm export merge`: the LoRA update lands in the base weights; bad adapters give one clear error."""

from __future__ import annotations

import json
import shutil

import pytest

from gamecwm.export import ExportError
from gamecwm.export.merge import MergeConfig, merge


def _tensors(folder):
    from safetensors.torch import load_file

    tensors = {}
    for file in sorted(folder.glob("*.safetensors")):
        tensors.update(load_file(file))
    return tensors


def test_merge_writes_a_plain_hf_folder_with_tokenizer_and_template(merged):
    names = {p.name for p in merged.iterdir()}
    assert {"config.json", "generation_config.json", "tokenizer.json", "gamecwm_merge.json"} <= names
    assert "adapter_config.json" not in names and not any(n.startswith(".gamecwm-partial") for n in names)
    template = merged / "chat_template.jinja"
    tok_config = json.loads((merged / "tokenizer_config.json").read_text())
    assert "<|im_start|>" in (template.read_text() if template.is_file() else tok_config["chat_template"])
    assert json.loads((merged / "config.json").read_text())["architectures"] == ["LlamaForCausalLM"]


def test_merged_weights_are_base_plus_scaled_lora_product(tiny_base, tiny_adapter, merged):
    import torch

    base, lora, out = _tensors(tiny_base), _tensors(tiny_adapter), _tensors(merged)
    scaling = json.loads((tiny_adapter / "adapter_config.json").read_text())["lora_alpha"] / 4
    for layer in (0, 1):
        for proj in ("q_proj", "v_proj"):
            key = f"model.layers.{layer}.self_attn.{proj}.weight"
            prefix = f"base_model.model.model.layers.{layer}.self_attn.{proj}"
            a, b = lora[f"{prefix}.lora_A.weight"], lora[f"{prefix}.lora_B.weight"]
            expected = base[key] + scaling * (b @ a)
            assert not torch.allclose(out[key], base[key]), f"{key} did not change"
            torch.testing.assert_close(out[key], expected, rtol=1e-5, atol=1e-5)
    untouched = "model.layers.0.self_attn.k_proj.weight"
    assert torch.equal(out[untouched], base[untouched])


def test_missing_adapter_folder_is_one_clear_error(tmp_path):
    with pytest.raises(ExportError, match="adapter folder not found: .*nope"):
        merge(MergeConfig(adapter=tmp_path / "nope", out=tmp_path / "out"))


@pytest.mark.parametrize(
    "damage, message",
    [
        ("weights", "corrupt adapter or wrong base"),
        ("config", "corrupt adapter: cannot read .*adapter_config.json"),
        ("no-weights", "corrupt adapter: .* has no adapter_model.safetensors"),
    ],
)
def test_corrupt_adapter_is_one_clear_error_and_writes_nothing(tiny_adapter, tmp_path, damage, message):
    adapter = tmp_path / "adapter"
    shutil.copytree(tiny_adapter, adapter)
    if damage == "weights":
        (adapter / "adapter_model.safetensors").write_bytes(b"\x00\x01 not safetensors" * 10)
    elif damage == "config":
        (adapter / "adapter_config.json").write_text('{"r": 4, ')
    else:
        (adapter / "adapter_model.safetensors").unlink()
    with pytest.raises(ExportError, match=message):
        merge(MergeConfig(adapter=adapter, out=tmp_path / "out"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["adapter"]


def test_mlx_adapter_points_to_mlx_lm_fuse(tmp_path):
    (tmp_path / "adapters.safetensors").write_bytes(b"")
    (tmp_path / "adapter_config.json").write_text('{"fine_tune_type": "lora"}')
    with pytest.raises(ExportError, match="MLX adapter .*mlx_lm fuse"):
        merge(MergeConfig(adapter=tmp_path, out=tmp_path / "out"))


def test_merge_refuses_to_replace_an_unrelated_folder(tiny_adapter, tmp_path):
    keep = tmp_path / "notes"
    keep.mkdir()
    (keep / "thesis.tex").write_text("precious")
    with pytest.raises(ExportError, match="not a model folder"):
        merge(MergeConfig(adapter=tiny_adapter, out=keep))
    assert (keep / "thesis.tex").read_text() == "precious"
