"""`gamecwm export merge`: fold a PEFT LoRA adapter into its base model and save a plain HF folder.

    gamecwm export merge --adapter runs/latest/adapter --out runs/latest/export/gamecwm-hf
    gamecwm export merge --base path/to/SmolLM2.Q4_1.gguf --adapter my_adapter --out merged/

The base is a model folder, a GGUF file (transformers dequantizes it), or a hub id; by default the one
the adapter names (`base_model_name_or_path` in adapter_config.json). The output folder holds the merged
weights (safetensors), config, generation config, tokenizer and chat template, ready for
`gamecwm export gguf`. It is written beside --out and renamed into place when complete.
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from gamecwm.export import ExportError
from gamecwm.export.files import atomic_folder

DTYPES = ("auto", "float16", "bfloat16", "float32")
ADAPTER_WEIGHTS = ("adapter_model.safetensors", "adapter_model.bin")


@dataclass
class MergeConfig:
    adapter: Path = field(metadata={"help": "PEFT LoRA adapter folder (adapter_config.json + weights)"})
    out: Path = field(metadata={"help": "folder to write the merged model to"})
    base: str | None = field(default=None, metadata={"help": "base model folder, .gguf file or hub id"})
    dtype: str = field(default="auto", metadata={"help": "dtype to load and save: auto, float16, bfloat16, float32"})


def read_adapter_config(adapter: Path) -> dict[str, Any]:
    """Validate a PEFT adapter folder and return its adapter_config.json."""
    adapter = Path(adapter)
    if not adapter.is_dir():
        raise ExportError(f"adapter folder not found: {adapter}; pass --adapter a folder written by training")
    config_file = adapter / "adapter_config.json"
    if (adapter / "adapters.safetensors").is_file():
        raise ExportError(
            f"{adapter} is an MLX adapter (mlx_lm lora), not a PEFT one: fuse it with `mlx_lm fuse --model BASE "
            f"--adapter-path {adapter} --save-path FUSED --dequantize`, then `gamecwm export all --model FUSED`"
        )
    if not config_file.is_file():
        raise ExportError(f"{adapter} has no adapter_config.json, so it is not a PEFT adapter folder")
    try:
        config = json.loads(config_file.read_text(encoding="utf-8"))
        if not isinstance(config, dict):
            raise ValueError("not a JSON object")
    except (OSError, ValueError) as exc:
        raise ExportError(f"corrupt adapter: cannot read {config_file} ({exc}); re-save the adapter") from None
    if not any((adapter / w).is_file() for w in ADAPTER_WEIGHTS):
        raise ExportError(f"corrupt adapter: {adapter} has no {' or '.join(ADAPTER_WEIGHTS)}")
    return config


def _resolve_dtype(dtype: str) -> Any:
    import torch

    if dtype not in DTYPES:
        raise ExportError(f"unknown --dtype {dtype!r}; choose one of {', '.join(DTYPES)}")
    return "auto" if dtype == "auto" else getattr(torch, dtype)


def load_base(base: str, dtype: str = "auto") -> tuple[Any, Any]:
    """(model, tokenizer) from a folder, a .gguf file (dequantized by transformers) or a hub id."""
    from transformers import AutoModelForCausalLM, AutoTokenizer

    torch_dtype = _resolve_dtype(dtype)
    path = Path(base).expanduser()
    ggufs = sorted(path.glob("*.gguf")) if path.is_dir() and not (path / "config.json").is_file() else []
    if len(ggufs) == 1:  # PEFT records a GGUF-loaded base as its folder: use the one GGUF in it
        print(f"base folder {path} has no config.json; using its {ggufs[0].name}", file=sys.stderr)
        path = ggufs[0]
    kwargs: dict[str, Any] = {}
    if path.suffix == ".gguf":
        if not path.is_file():
            raise ExportError(f"base GGUF not found: {path}; pass --base a model folder, .gguf file or hub id")
        location, kwargs["gguf_file"] = str(path.parent), path.name
    elif path.exists() or base.startswith((".", "/", "~")):
        if not (path / "config.json").is_file():
            raise ExportError(f"base model folder not found or has no config.json: {path}; pass --base")
        location = str(path)
    else:
        location = base  # a hub id: resolved from the local Hugging Face cache (or downloaded)
    try:
        tokenizer = AutoTokenizer.from_pretrained(location, **kwargs)
        model = AutoModelForCausalLM.from_pretrained(location, dtype=torch_dtype, **kwargs)
    except (OSError, ValueError) as exc:
        raise ExportError(f"could not load the base model {base}: {exc}; pass --base a local folder or .gguf") from None
    if getattr(model, "hf_quantizer", None) is not None:
        if "gguf_file" not in kwargs:
            raise ExportError(
                f"the base model {base} loads quantized ({type(model.hf_quantizer).__name__}); "
                "merge onto its full-precision checkpoint instead"
            )
        model.hf_quantizer.remove_quantization_config(model)  # GGUF weights are dequantized already
    return model, tokenizer


def _adapter_tokenizer(adapter: Path) -> Any | None:
    """The tokenizer saved with the adapter (training may have changed its chat template), if any."""
    from transformers import AutoTokenizer

    if not any((adapter / f).is_file() for f in ("tokenizer.json", "tokenizer.model", "tokenizer_config.json")):
        return None
    try:
        return AutoTokenizer.from_pretrained(str(adapter))
    except (OSError, ValueError) as exc:
        raise ExportError(f"corrupt adapter: cannot load the tokenizer saved in {adapter}: {exc}") from None


def merge(config: MergeConfig) -> Path:
    """Merge `config.adapter` into its base; return the output folder."""
    from peft import PeftModel

    adapter = Path(config.adapter)
    adapter_config = read_adapter_config(adapter)
    base = config.base or adapter_config.get("base_model_name_or_path")
    if not base:
        raise ExportError(f"{adapter}/adapter_config.json names no base_model_name_or_path; pass --base")
    started = time.monotonic()
    print(f"merging {adapter} into {base}", file=sys.stderr, flush=True)
    model, tokenizer = load_base(str(base), config.dtype)
    tokenizer = _adapter_tokenizer(adapter) or tokenizer
    try:
        peft_model = PeftModel.from_pretrained(model, str(adapter))
        merged = peft_model.merge_and_unload()
    except Exception as exc:  # safetensors, torch and peft each raise their own types for a damaged adapter
        raise ExportError(
            f"corrupt adapter or wrong base: loading {adapter} onto {base} failed "
            f"({type(exc).__name__}: {str(exc).strip()[:300]}); check --adapter, and --base matches the "
            "model the adapter was trained on"
        ) from None
    if not tokenizer.chat_template:
        print(
            f"warning: neither {adapter} nor {base} has a chat template; `gamecwm export check` will fail the GGUF",
            file=sys.stderr,
        )
    with atomic_folder(Path(config.out)) as tmp:
        merged.save_pretrained(tmp)
        tokenizer.save_pretrained(tmp)
        record = {**asdict(config), "adapter": str(adapter), "out": str(config.out), "base": str(base)}
        (tmp / "gamecwm_merge.json").write_text(json.dumps(record, indent=2) + "\n")
    print(f"wrote {config.out} in {time.monotonic() - started:.1f}s", file=sys.stderr)
    return Path(config.out)
