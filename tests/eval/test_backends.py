"""Generation backends: llama.cpp on the embedded GGUF, transformers on a tiny local model, vLLM's error."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from gamecwm.cli import main
from gamecwm.eval.backends import TransformersBackend, VLLMBackend, model_name, resolve_backend
from gamecwm.eval.config import EvalConfig
from gamecwm.eval.run import run_eval
from gamecwm.games import get_pack
from gamecwm.prompts import build_messages
from tests.eval.fakes import CONFIG
from tests.models import smollm2_gguf


def test_backend_and_name_follow_the_model(tmp_path):
    assert resolve_backend(None) == "llama_cpp" and resolve_backend(Path("m/x-Q4_K_M.gguf")) == "llama_cpp"
    assert resolve_backend(Path("runs/merged")) == "transformers"
    assert resolve_backend(Path("runs/merged"), "vllm") == "vllm"
    with pytest.raises(ValueError, match="unknown backend"):
        resolve_backend(None, "onnx")
    assert model_name(Path("runs/x/model-Q4_K_M.gguf")) == "model-Q4_K_M"
    assert model_name(Path("Qwen2.5-3B-Instruct"), Path("runs/sft/adapter")) == "Qwen2.5-3B-Instruct+adapter"


def test_llama_cpp_backend_on_the_embedded_model(tmp_path):
    smollm2_gguf()  # skips when the embedded model is not installed
    # tic_tac_toe has the catalog's shortest prompt: prompt processing dominates on a small CPU
    config = EvalConfig(games="tic_tac_toe", samples=1, max_tokens=16, out=tmp_path / "out", jobs=1)
    run = run_eval(config, verify_config=CONFIG)
    meta = json.loads((run.out / "samples" / "tic_tac_toe_0.json").read_text())
    assert meta["settings"]["model"] == "embedded" and meta["settings"]["backend"] == "llama_cpp"
    assert meta["chars"] > 0 and (run.out / "samples" / "tic_tac_toe_0.txt").read_text()
    assert run.timings.generated == 1 and run.timings.generation_s > 0
    name = model_name(None)  # with the shipped adapter when there is one: "SmolLM2-135M-Instruct.Q4_1+gamecwm-..."
    assert name.startswith("SmolLM2-135M-Instruct.Q4_1")
    assert [(r.model, r.game, r.sample) for r in run.results] == [(name, "tic_tac_toe", "0")]


def conversations() -> list[list[dict[str, str]]]:
    short = [{"role": "user", "content": "Write tic-tac-toe."}]
    return [short, build_messages(get_pack("tic_tac_toe"))]


def test_transformers_batches_with_left_padding(tiny_model):
    backend = TransformersBackend(tiny_model, batch_size=2)
    assert backend.device == "cpu" and backend.tokenizer.padding_side == "left"
    batched = backend.generate(conversations(), seeds=[0, 1], temperature=0.0, max_tokens=6)
    alone = [backend.generate([c], seeds=[0], temperature=0.0, max_tokens=6)[0] for c in conversations()]
    assert batched == alone  # padding does not leak into what a conversation generates
    sampled = backend.generate(conversations(), seeds=[3, 4], temperature=0.8, max_tokens=6)
    assert sampled == backend.generate(conversations(), seeds=[3, 4], temperature=0.8, max_tokens=6)


def test_transformers_dequantizes_the_embedded_gguf_by_default():
    """`--backend transformers` without --model: SmolLM2-135M-Instruct, dequantized from the embedded GGUF."""
    backend = TransformersBackend(None, batch_size=1)
    assert backend.name.endswith(".gguf") and backend.model.config.num_hidden_layers == 30
    reply = backend.generate([[{"role": "user", "content": "Say hello."}]], seeds=[0], temperature=0.0, max_tokens=8)
    assert reply[0].strip()  # a real model answers with words


def test_transformers_loads_an_adapter_and_its_base_from_the_adapter(tiny_model, tiny_adapter):
    assert model_name(None, tiny_adapter) == f"{tiny_model.name}+{tiny_adapter.name}"
    backend = TransformersBackend(None, tiny_adapter)
    assert type(backend.model).__name__.startswith("PeftModel") and backend.name == tiny_model.name
    base = TransformersBackend(tiny_model)
    prompt = base.tokenizer.apply_chat_template(
        conversations()[0], add_generation_prompt=True, return_tensors="pt", return_dict=True
    )
    import torch

    with torch.no_grad():
        assert not torch.allclose(backend.model(**prompt).logits, base.model(**prompt).logits)


def test_eval_command_with_the_transformers_backend(tiny_model, tmp_path, capsys):
    out = tmp_path / "out"
    args = [
        "eval",
        "--model",
        str(tiny_model),
        "--games",
        "tic_tac_toe",
        "--samples",
        "2",
        "--max-tokens",
        "4",
        "--batch-size",
        "2",
        "--fuzz-games",
        "5",
        "--bootstrap",
        "200",
        "--out",
        str(out),
        "--no-plots",
    ]
    assert main(args) == 0
    progress = capsys.readouterr().err  # off a terminal, one line per phase instead of bars
    assert "generating 2 ..." in progress
    saved = json.loads((out / "results.json").read_text())
    assert saved["models"][0]["model"] == "tiny-llama" and saved["models"][0]["n"] == 2
    assert saved["timings"]["generated"] == 2
    assert {json.loads(p.read_text())["settings"]["backend"] for p in (out / "samples").glob("*.json")} == {
        "transformers"
    }
    assert main(args) == 0  # resumed: nothing new to generate, so the model is not even loaded
    assert json.loads((out / "results.json").read_text())["timings"]["generated"] == 0


@pytest.mark.skipif(importlib.util.find_spec("vllm") is not None, reason="vLLM is installed here")
def test_vllm_backend_without_vllm_says_how_to_install_it(tmp_path, capsys):
    with pytest.raises(ImportError, match="pip install vllm"):
        VLLMBackend(tmp_path)
    args = ["eval", "--model", str(tmp_path), "--backend", "vllm", "--games", "y", "--samples", "1"]
    assert main([*args, "--out", str(tmp_path / "out")]) == 2
    assert "pip install vllm" in capsys.readouterr().err
