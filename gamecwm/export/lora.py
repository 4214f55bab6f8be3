"""A PEFT LoRA adapter as a GGUF LoRA, for llama.cpp to apply at load time on top of its base GGUF.

    gamecwm export lora --adapter runs/latest/sft/adapter --base path/to/base-hf --out adapter.gguf

It runs llama.cpp's own `convert_lora_to_gguf.py`, from the same cached source distribution as the
model converter (`converter.py`), offline: the base's `config.json` comes from `--base` (an HF folder;
only its config is read), never from the hub. llama-cpp-python then loads it with
`Llama(model_path=base.gguf, lora_path=adapter.gguf)`, and `LlamaGenerator(lora_path=...)` generates
with it.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from gamecwm.export import ExportError
from gamecwm.export.converter import LORA_SCRIPT, find_converter

LORA_OUTTYPES = ("f32", "f16", "bf16", "q8_0")


@dataclass
class LoraGGUFConfig:
    adapter: Path = field(metadata={"help": "PEFT LoRA adapter folder (adapter_config.json + weights)"})
    base: Path = field(metadata={"help": "the base model's HF folder (only its config.json is read)"})
    out: Path = field(metadata={"help": "GGUF LoRA file to write"})
    outtype: str = field(default="f32", metadata={"help": "tensor type", "choices": LORA_OUTTYPES})
    converter: Path | None = field(default=None, metadata={"help": "llama.cpp checkout (default: cached sdist)"})


def convert_lora(config: LoraGGUFConfig) -> Path:
    """Write the adapter as a GGUF LoRA; ExportError with the converter's last lines if it fails."""
    adapter, base, out = Path(config.adapter), Path(config.base), Path(config.out)
    if not (adapter / "adapter_config.json").is_file():
        raise ExportError(f"{adapter} is not a PEFT adapter folder (no adapter_config.json)")
    if not (base / "config.json").is_file():
        raise ExportError(f"{base} has no config.json: --base takes the base model's Hugging Face folder")
    converter = find_converter(config.converter)
    script = converter.script.parent / LORA_SCRIPT
    if not script.is_file():
        raise ExportError(f"no {LORA_SCRIPT} beside {converter.script}: pass --converter a llama.cpp checkout")
    out.parent.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, str(script), str(adapter), "--base", str(base), "--outfile", str(out),
               "--outtype", config.outtype]  # fmt: skip
    done = subprocess.run(command, env=converter.env(), capture_output=True, text=True)
    if done.returncode != 0 or not out.is_file():
        tail = "\n".join((done.stderr or done.stdout).strip().splitlines()[-12:])
        raise ExportError(f"{LORA_SCRIPT} failed on {adapter} (exit {done.returncode}):\n{tail}")
    return out
