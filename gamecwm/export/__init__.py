"""Export a trained model for llama.cpp: merge LoRA adapters, convert to GGUF, quantize, validate.

    gamecwm export all --adapter runs/latest --out runs/latest/export --name gamecwm-3b
    gamecwm export merge --adapter runs/latest/adapter --out merged/
    gamecwm export gguf merged/ --outtype f16 --out model-F16.gguf
    gamecwm export quantize model-F16.gguf --type Q4_K_M
    gamecwm export check model-Q4_K_M.gguf

Each step is its own small module (`merge`, `gguf`, `quantize`, `check`, `pipeline` for `all`); the
converter is llama.cpp's `convert_hf_to_gguf.py` from the llama-cpp-python source distribution of the
installed version, cached outside the repository (`converter`). Torch, transformers, peft, gguf and
llama_cpp are imported inside the functions that need them.
"""

from __future__ import annotations


class ExportError(ValueError):
    """A bad input or a failed export step; the message names what failed and how to fix it."""
