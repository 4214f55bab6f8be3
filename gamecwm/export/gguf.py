"""`gamecwm export gguf`: convert a Hugging Face model folder to one GGUF file with llama.cpp's converter.

    gamecwm export gguf runs/latest/export/gamecwm-hf --outtype f16 --out gamecwm-F16.gguf

The folder is what `gamecwm export merge` writes, any plain HF checkpoint, or a fused MLX folder
(`mlx_lm fuse --dequantize` writes the same layout). The converter runs as a subprocess with the venv's
python and its own gguf-py; it writes to a temporary file beside --out that replaces --out only when
the conversion succeeded, so a failure never leaves a half-written GGUF.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gamecwm.export import ExportError
from gamecwm.export.files import atomic_file, human_size

OUTTYPES = ("f16", "bf16", "f32")
WEIGHT_PATTERNS = ("*.safetensors", "pytorch_model*.bin")
TOKENIZER_FILES = ("tokenizer.json", "tokenizer.model")
CHAT_TEMPLATE_FILES = ("chat_template.jinja", "chat_template.json")


@dataclass
class GGUFConfig:
    model: Path = field(metadata={"help": "Hugging Face model folder (merged, plain, or fused MLX)"})
    out: Path = field(metadata={"help": "GGUF file to write"})
    outtype: str = field(default="f16", metadata={"help": "tensor type: f16, bf16 or f32"})
    converter: Path | None = field(default=None, metadata={"help": "llama.cpp checkout (default: cached sdist)"})
    name: str | None = field(default=None, metadata={"help": "general.name in the GGUF (default: folder name)"})
    verbose: bool = field(default=False, metadata={"help": "stream the converter's log"})


def inspect_model_folder(folder: Path) -> dict[str, Any]:
    """Check that `folder` is a convertible HF model folder and return its config.json.

    Raises ExportError naming what is missing. Warns (stderr) about what converts but will not work well:
    no chat template, or a top-level rope_theta that disagrees with rope_parameters (mlx_lm reads only
    the top-level key, the converter prefers rope_parameters).
    """
    folder = Path(folder)
    if not folder.exists():
        raise ExportError(
            f"model folder not found: {folder}; pass a Hugging Face model folder "
            "(`gamecwm export merge` writes one; so does `mlx_lm fuse --dequantize`)"
        )
    if not folder.is_dir():
        hint = " (it is a GGUF already: use `gamecwm export quantize` or `check`)" if folder.suffix == ".gguf" else ""
        raise ExportError(f"{folder} is not a folder{hint}; pass a Hugging Face model folder")
    config_file = folder / "config.json"
    if not config_file.is_file():
        raise ExportError(f"{folder} has no config.json, so it is not a Hugging Face model folder")
    try:
        config = json.loads(config_file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ExportError(f"cannot read {config_file}: {exc}") from None
    if not any(any(folder.glob(p)) for p in WEIGHT_PATTERNS):
        raise ExportError(f"{folder} has no weights (*.safetensors or pytorch_model*.bin)")
    if not any((folder / f).is_file() for f in TOKENIZER_FILES):
        raise ExportError(
            f"{folder} has no tokenizer ({' or '.join(TOKENIZER_FILES)}); save the tokenizer beside the model"
        )
    if "quantization" in config or "quantization_config" in config:
        raise ExportError(
            f"{folder} holds quantized weights (config.json has a quantization entry); convert full-precision "
            "weights: `mlx_lm fuse --dequantize` for MLX, or merge onto an unquantized base"
        )
    _warn_about_template_and_rope(folder, config)
    return config


def _warn_about_template_and_rope(folder: Path, config: dict[str, Any]) -> None:
    has_template = any((folder / f).is_file() for f in CHAT_TEMPLATE_FILES)
    tok_config = folder / "tokenizer_config.json"
    if not has_template and tok_config.is_file():
        try:
            has_template = bool(json.loads(tok_config.read_text(encoding="utf-8")).get("chat_template"))
        except ValueError:
            pass
    if not has_template:
        _warn(
            f"{folder} has no chat template; the GGUF will lack tokenizer.chat_template and "
            "`gamecwm export check` will fail it"
        )
    top, nested = config.get("rope_theta"), (config.get("rope_parameters") or {}).get("rope_theta")
    if top is not None and nested is not None and float(top) != float(nested):
        _warn(
            f"{folder}/config.json has rope_theta={top} at the top level but rope_parameters.rope_theta={nested}; "
            f"llama.cpp uses {nested} (mlx_lm read {top})"
        )


def _warn(message: str) -> None:
    print(f"warning: {message}", file=sys.stderr)


def architecture_of(config: dict[str, Any]) -> str | None:
    """The architecture the converter dispatches on (a text sub-config's, where there is one)."""
    text = config.get("text_config") or {}
    for arches in (text.get("architectures"), config.get("architectures")):
        if arches:
            return arches[0]
    return None


def convert(config: GGUFConfig) -> Path:
    """Run llama.cpp's converter on `config.model`; return the written GGUF path."""
    from gamecwm.export.converter import find_converter

    if config.outtype not in OUTTYPES:
        raise ExportError(f"unknown --outtype {config.outtype!r}; choose one of {', '.join(OUTTYPES)}")
    hf_config = inspect_model_folder(config.model)
    converter = find_converter(config.converter)
    arch = architecture_of(hf_config)
    if arch is None:
        raise ExportError(f'{config.model}/config.json names no architectures; add e.g. "LlamaForCausalLM"')
    if converter.knows_architecture(arch) is False:
        raise ExportError(
            f"architecture {arch} is not supported by llama.cpp's converter ({converter.source}); "
            "export a model llama.cpp supports (Llama, Qwen2/3, Mistral, Gemma, Phi, ...) or pass "
            "--converter PATH to a newer llama.cpp checkout"
        )
    out = Path(config.out)
    print(f"converting {config.model} ({arch}) -> {out} [{config.outtype}]", file=sys.stderr, flush=True)
    started = time.monotonic()
    with atomic_file(out) as tmp:
        cmd = converter.command(Path(config.model), tmp, config.outtype, config.name or Path(config.model).name)
        output = None if config.verbose else subprocess.PIPE
        result = subprocess.run(cmd, env=converter.env(), stdout=output, stderr=subprocess.STDOUT, text=True)
        if result.returncode != 0:
            raise ExportError(_failure_message(config.model, arch, result.returncode, result.stdout or ""))
        with open(tmp, "rb") as f:
            if f.read(4) != b"GGUF":
                raise ExportError(f"the converter exited 0 but wrote no GGUF for {config.model}; rerun with --verbose")
    print(f"wrote {out} ({human_size(out.stat().st_size)}) in {time.monotonic() - started:.1f}s", file=sys.stderr)
    return out


def _failure_message(model: Path, arch: str, code: int, log: str) -> str:
    lines = [line for line in log.strip().splitlines() if not line.startswith("Writing:")]
    tail = "\n".join("  " + line for line in lines[-12:])
    if "not supported" in log:
        return (
            f"llama.cpp's converter does not support {arch} ({model}):\n{tail}\n"
            "export a model llama.cpp supports, or pass --converter PATH to a newer llama.cpp checkout"
        )
    return f"llama.cpp's converter failed on {model} (exit {code}); no GGUF was written. Its last lines:\n{tail}"
