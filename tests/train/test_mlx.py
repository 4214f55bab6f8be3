"""MLX LoRA (`gamecwm train-mlx`) on a tiny local model: run folder, fused logits against torch, rope_theta.

The tiny models have random weights and SmolLM2's tokenizer; their RoPE base is set to values mlx_lm would
not guess (transformers 5 writes it only inside `rope_parameters`), so a missing patch shows up as a logits
mismatch. mlx on the CPU is slow with SmolLM2's 49k vocabulary, so the runs are a few short iterations.
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from gamecwm.train.cli import add_parsers
from gamecwm.train.config import TrainConfig, load_config
from gamecwm.train.data import read_jsonl, write_jsonl
from gamecwm.train.mlx.config import MLXLoraConfig, MLXLoraError, check_config, require_mlx
from gamecwm.train.mlx.run import (
    finish_fused,
    lr_schedule,
    mlx_arguments,
    prepare_base,
    run_mlx_lora,
    with_top_level_rope,
)
from gamecwm.train.runs import new_run_dir

try:
    import mlx.core  # noqa: F401

    MLX_ERROR = None
except ImportError as exc:
    MLX_ERROR = str(exc)

needs_mlx = pytest.mark.skipif(
    MLX_ERROR is not None, reason=f"mlx cannot be imported here ({MLX_ERROR}); `pip install 'gamecwm[mlx]'`"
)
CONFIG = Path(__file__).resolve().parents[2] / "configs" / "mlx_lora.yaml"
LLAMA_THETA = 500000.0  # Llama 3's base; mlx_lm's Llama falls back to 10000
MATCH = 1e-4  # fp32 logits of the same weights in mlx and torch (measured: ~5e-7)
ADAPTED = ("q_proj", "k_proj", "v_proj", "o_proj")


def tiny(folder: Path, arch: str, theta: float | None) -> Path:
    """A tiny model saved the way transformers 5 saves it: the RoPE base only inside rope_parameters."""
    from gamecwm.train.tiny import TinyModelConfig, build_tiny_model

    build_tiny_model(folder, TinyModelConfig(arch=arch, rope_theta=theta or 10000.0))
    config = json.loads((folder / "config.json").read_text())
    assert "rope_theta" not in config and config["rope_parameters"]["rope_theta"] == (theta or 10000.0)
    return folder


@pytest.fixture(scope="module")
def llama_base(tmp_path_factory) -> Path:
    return tiny(tmp_path_factory.mktemp("mlx") / "llama", "llama", LLAMA_THETA)


@pytest.fixture(scope="module")
def qwen2_base(tmp_path_factory) -> Path:
    """transformers' default RoPE base 10000, where mlx_lm's Qwen2 assumes 1e6."""
    return tiny(tmp_path_factory.mktemp("mlx") / "qwen2", "qwen2", None)


@pytest.fixture(scope="module")
def short_chats(tmp_path_factory) -> Path:
    """Ten short training chats and two for validation, in `gamecwm data`'s chat format."""
    rows = [
        {
            "messages": [
                {"role": "system", "content": "You write Python game code."},
                {"role": "user", "content": f"Write score_{i}() for a game where a move is worth {i} points."},
                {"role": "assistant", "content": f"```python\ndef score_{i}(moves):\n    return {i} * moves\n```"},
            ]
        }
        for i in range(12)
    ]
    folder = tmp_path_factory.mktemp("short")
    write_jsonl(folder / "train.jsonl", rows[:10])
    write_jsonl(folder / "valid.jsonl", rows[10:])
    return folder


@pytest.fixture(scope="module")
def real_sft(tmp_path_factory) -> Path:
    """`gamecwm data`'s SFT files (prompts and answers of 1-4k tokens each)."""
    from gamecwm.train.mlx.run import ensure_data

    return ensure_data(MLXLoraConfig(data_dir=str(tmp_path_factory.mktemp("data") / "sft")))


def cli(*overrides: str) -> int:
    parser = argparse.ArgumentParser()
    add_parsers(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["train-mlx", "--config", str(CONFIG), *(f"--set={o}" for o in overrides)])
    return args.run(args)


@pytest.fixture(scope="module")
def trained(llama_base, short_chats, tmp_path_factory) -> Path:
    """Six iterations on the short chats, through the command line, then fused.

    lr 1e-3 instead of the recipe's 1e-5: mlx starts LoRA B at zero, and six steps at 1e-5 would move the
    logits by less than the mlx-vs-torch tolerance, so "the fused model differs from the base" would be noise.
    """
    runs = tmp_path_factory.mktemp("runs")
    code = cli(f"base_model={llama_base}", f"data_dir={short_chats}", f"runs_dir={runs}", "run_name=short",
               "iters=6", "max_seq_length=512", "learning_rate=1e-3", "warmup_ratio=0", "grad_accumulation_steps=1",
               "steps_per_report=2", "steps_per_eval=3", "val_batches=1")  # fmt: skip
    assert code == 0
    return runs / "short"


def prompt_ids(folder: Path) -> list[int]:
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(folder)
    rules = "Players alternate dropping discs into seven columns; four in a row wins. " * 6
    messages = [{"role": "user", "content": f"Write the GameCWM for connect four.\n{rules}"}]
    ids = tokenizer.apply_chat_template(messages, add_generation_prompt=True, tokenize=True, return_dict=False)
    assert len(ids) > 100, "the prompt should reach positions where a wrong RoPE base shows"
    return list(ids)


def mlx_logits(folder: Path, ids: list[int]):
    import mlx.core as mx
    import numpy as np
    from mlx_lm import load

    model, _ = load(str(folder))
    return np.array(model(mx.array([ids])).astype(mx.float32))[0], model


def torch_logits(folder: Path, ids: list[int]):
    import torch
    from transformers import AutoModelForCausalLM

    model = AutoModelForCausalLM.from_pretrained(folder, dtype=torch.float32)
    with torch.no_grad():
        return model(torch.tensor([ids])).logits[0].numpy()


def max_diff(a, b) -> float:
    return float(abs(a - b).max())


def rows(run: Path, kind: str) -> list[dict]:
    return [row for row in read_jsonl(run / "metrics.jsonl") if row["kind"] == kind]


@needs_mlx
@pytest.mark.slow
def test_training_writes_config_adapters_metrics_and_log(trained):
    config = load_config(MLXLoraConfig, trained / "config.yaml")
    assert (config.iters, config.learning_rate, config.lora_rank, config.lora_scale) == (6, 1e-3, 16, 2.0)
    adapter_config = json.loads((trained / "adapters" / "adapter_config.json").read_text())
    assert adapter_config["lora_parameters"]["keys"] == [f"self_attn.{m}" for m in ADAPTED]
    assert (trained / "adapters" / "adapters.safetensors").stat().st_size > 0
    arguments = yaml.safe_load((trained / "mlx_lora.yaml").read_text())
    assert arguments["model"] == str((trained / "base").resolve()), "mlx_lm should train on the rope-patched base"
    train = rows(trained, "train")
    assert [row["iteration"] for row in train] == [2, 4, 6]
    for row in train:
        for key in ("train_loss", "learning_rate", "iterations_per_second", "tokens_per_second", "peak_memory"):
            assert math.isfinite(row[key]) and row[key] >= 0, (key, row)
    assert train[0]["learning_rate"] > train[-1]["learning_rate"], "cosine schedule should decay"
    val = rows(trained, "val")
    assert len(val) >= 2 and all(math.isfinite(row["val_loss"]) for row in val)
    assert val[-1]["val_loss"] < val[0]["val_loss"], "six steps at lr 1e-3 should lower the validation loss"
    log = (trained / "train.log").read_text()
    assert "Trainable parameters" in log and "\x1b[" not in log


@needs_mlx
@pytest.mark.slow
def test_training_run_folder_is_runs_latest(trained):
    assert (trained.parent / "latest").resolve() == trained.resolve()


def test_run_folder_becomes_runs_latest_once_the_base_is_ready(short_chats, tmp_path, monkeypatch):
    """runs/latest follows an MLX run as it follows `gamecwm train`'s; a missing base leaves no run folder."""
    children = []
    monkeypatch.setattr("gamecwm.train.mlx.run.require_mlx", lambda: None)
    monkeypatch.setattr("gamecwm.train.mlx.run.stream", lambda command, log, what: children.append(command))
    base = tmp_path / "base"
    base.mkdir()
    (base / "config.json").write_text(json.dumps({"rope_theta": 1e6}))
    runs = tmp_path / "runs"
    earlier = new_run_dir(load_config(TrainConfig, None, [f"runs_dir={runs}", "run_name=torch"]), "x")
    config = MLXLoraConfig(base_model=str(tmp_path / "missing"), data_dir=str(short_chats), runs_dir=str(runs),
                           run_name="mlx", fuse=False)  # fmt: skip
    with pytest.raises(FileNotFoundError, match="base model folder not found"):
        run_mlx_lora(config)
    assert not (runs / "mlx").exists() and (runs / "latest").resolve() == earlier.resolve()

    config.base_model = str(base)
    run = run_mlx_lora(config)
    assert run == runs / "mlx" and (runs / "latest").resolve() == run.resolve()
    assert (run / "config.yaml").is_file() and (run / "mlx_lora.yaml").is_file()
    assert children == [[sys.executable, "-m", "gamecwm.train.mlx", str(run)]]


@needs_mlx
@pytest.mark.slow
def test_fused_model_matches_torch_and_carries_the_lora_update(trained, llama_base):
    from safetensors.numpy import load_file

    fused = trained / "fused"
    config = json.loads((fused / "config.json").read_text())
    assert config["rope_theta"] == config["rope_parameters"]["rope_theta"] == LLAMA_THETA
    assert "quantization" not in config
    for name in ("tokenizer.json", "tokenizer_config.json", "chat_template.jinja"):
        assert (fused / name).read_bytes() == (llama_base / name).read_bytes(), name

    ids = prompt_ids(fused)
    in_mlx, _ = mlx_logits(fused, ids)
    in_torch = torch_logits(fused, ids)
    assert max_diff(in_mlx, in_torch) < MATCH
    assert max_diff(in_torch, torch_logits(llama_base, ids)) > 100 * MATCH, "fusing should change the logits"

    base_weights = load_file(llama_base / "model.safetensors")
    fused_weights = {}
    for shard in fused.glob("*.safetensors"):
        fused_weights.update(load_file(shard))
    assert set(fused_weights) == set(base_weights)
    for name, weight in base_weights.items():
        changed = bool(abs(fused_weights[name] - weight).max() > 0)
        assert changed == name.endswith(tuple(f"{m}.weight" for m in ADAPTED)), name


@needs_mlx
@pytest.mark.parametrize("base_fixture", ["llama_base", "qwen2_base"])
def test_rope_theta_pitfall_is_real_and_patched(base_fixture, request, tmp_path):
    base = request.getfixturevalue(base_fixture)
    expected = json.loads((base / "config.json").read_text())["rope_parameters"]["rope_theta"]
    ids = prompt_ids(base)
    reference = torch_logits(base, ids)

    unpatched, model = mlx_logits(base, ids)
    assert model.args.rope_theta != expected
    assert max_diff(unpatched, reference) > 10 * MATCH, "without the patch mlx should disagree with torch"

    patched_dir = Path(prepare_base(MLXLoraConfig(base_model=str(base)), tmp_path / "run"))
    assert patched_dir == (tmp_path / "run" / "base").resolve()
    assert (patched_dir / "model.safetensors").is_symlink()
    patched, model = mlx_logits(patched_dir, ids)
    assert model.args.rope_theta == expected
    assert max_diff(patched, reference) < MATCH


@needs_mlx
def test_fused_folder_gets_the_base_tokenizer_back(qwen2_base, tmp_path):
    """mlx_lm fuse re-saves the tokenizer through the class transformers picks for the model type (Qwen2Tokenizer
    here), which rewrites SmolLM2's pre-tokenizer; finish_fused puts the base's files back."""
    from mlx_lm.tokenizer_utils import load as load_tokenizer

    fused = tmp_path / "fused"
    load_tokenizer(qwen2_base).save_pretrained(fused)  # what `mlx_lm fuse` writes
    (fused / "config.json").write_text((qwen2_base / "config.json").read_text())
    assert (fused / "tokenizer.json").read_bytes() != (qwen2_base / "tokenizer.json").read_bytes()
    finish_fused(fused, str(qwen2_base))
    for name in ("tokenizer.json", "tokenizer_config.json", "chat_template.jinja"):
        assert (fused / name).read_bytes() == (qwen2_base / name).read_bytes(), name
    config = json.loads((fused / "config.json").read_text())
    assert config["rope_theta"] == config["rope_parameters"]["rope_theta"] == 10000.0


@needs_mlx
@pytest.mark.slow
def test_real_sft_data_cut_to_max_seq_length(llama_base, real_sft, tmp_path):
    assert len(read_jsonl(real_sft / "train.jsonl")) > 10
    config = MLXLoraConfig(base_model=str(llama_base), data_dir=str(real_sft), runs_dir=str(tmp_path), run_name="real",
                           iters=2, max_seq_length=256, mask_prompt=False, learning_rate=1e-3, warmup_ratio=0.0,
                           grad_accumulation_steps=1, steps_per_report=2, val_batches=1, fuse=False)  # fmt: skip
    run = run_mlx_lora(config)
    (train,) = rows(run, "train")
    assert math.isfinite(train["train_loss"])
    assert 0 < train["trained_tokens"] <= 2 * 256, "examples of 1-4k tokens should be cut to max_seq_length"
    assert (run / "adapters" / "adapters.safetensors").is_file() and not (run / "fused").exists()


@needs_mlx
def test_prompts_longer_than_max_seq_length_stop_before_training(llama_base, real_sft, tmp_path):
    config = MLXLoraConfig(base_model=str(llama_base), data_dir=str(real_sft), runs_dir=str(tmp_path), run_name="cut",
                           iters=2, max_seq_length=256, mask_prompt=True)  # fmt: skip
    with pytest.raises(MLXLoraError, match="no token to train on.*mask_prompt=false"):
        run_mlx_lora(config)
    assert not (tmp_path / "cut" / "metrics.jsonl").exists()


def test_module_imports_without_mlx():
    modules = "gamecwm.train.cli, gamecwm.train.mlx.config, gamecwm.train.mlx.run, gamecwm.train.mlx.child"
    code = f"import sys, {modules}; sys.exit(any(m.split('.')[0] in ('mlx', 'mlx_lm') for m in sys.modules))"
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0


def test_missing_mlx_names_the_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "mlx.core", None)
    with pytest.raises(MLXLoraError, match=r"pip install 'gamecwm\[mlx\]'.*mlx\[cpu\]"):
        require_mlx()


def test_recipe_config_and_mlx_arguments(short_chats, tmp_path):
    config = load_config(MLXLoraConfig, CONFIG, [f"data_dir={short_chats}"])
    assert (config.base_model, config.learning_rate, config.lora_rank, config.lora_scale) == (
        "Qwen/Qwen2.5-3B-Instruct", 1e-5, 16, 2.0)  # fmt: skip
    assert config.mask_prompt and config.grad_checkpoint and config.lr_schedule == "cosine"
    arguments = mlx_arguments(config, "some/model", short_chats, tmp_path)
    assert arguments["iters"] == 20  # 2 epochs x 10 examples / batch 1
    assert arguments["lora_parameters"] == {"rank": 16, "scale": 2.0, "dropout": 0.05,
                                            "keys": [f"self_attn.{m}" for m in ADAPTED]}  # fmt: skip
    # 20 iterations / 4 accumulated = 5 optimizer updates: 1 of warmup (3%, rounded up), 4 of cosine decay
    schedule = {"name": "cosine_decay", "arguments": [1e-5, 4, 0.0], "warmup": 1, "warmup_init": 0.0}
    assert arguments["lr_schedule"] == schedule
    constant = lr_schedule(MLXLoraConfig(lr_schedule="constant", warmup_ratio=0.0, grad_accumulation_steps=1), 8)
    assert constant == {"name": "linear_schedule", "arguments": [1e-5, 1e-5, 8], "warmup": 0, "warmup_init": 0.0}
    with pytest.raises(ValueError, match="lr_schedule"):
        check_config(MLXLoraConfig(lr_schedule="step"))


def test_rope_fields_copied_out_of_rope_parameters():
    scaled = {"rope_parameters": {"rope_theta": 5e5, "rope_type": "llama3", "factor": 8.0}}
    assert with_top_level_rope(scaled) == {**scaled, "rope_theta": 5e5, "rope_scaling": {"rope_type": "llama3",
                                                                                         "factor": 8.0}}  # fmt: skip
    present = {"rope_theta": 1e6, "rope_parameters": {"rope_theta": 1e6, "rope_type": "default"}}
    assert with_top_level_rope(present) is present


def test_dry_run_prints_the_resolved_config(capsys):
    parser = argparse.ArgumentParser()
    add_parsers(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["train-mlx", "--config", str(CONFIG), "--set", "iters=7", "--dry-run"])
    assert args.run(args) == 0
    assert "iters: 7\n" in capsys.readouterr().out
