"""`gamecwm export quantize`: quantize a GGUF in-process with llama.cpp (`llama_cpp.llama_model_quantize`).

    gamecwm export quantize gamecwm-F16.gguf --type Q4_K_M          # writes gamecwm-Q4_K_M.gguf
    gamecwm export quantize gamecwm-F16.gguf --type Q8_0 --out /tmp/q8.gguf

Quantize from the F16/BF16/F32 export: requantizing an already quantized file loses quality and needs
--allow-requantize. The output is written to a temporary file beside it and renamed when complete.
"""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from gamecwm.export import ExportError
from gamecwm.export.files import atomic_file, human_size

COMMON_TYPES = ("Q4_K_M", "Q5_K_M", "Q6_K", "Q8_0", "Q4_0", "Q4_K_S", "Q5_K_S", "Q3_K_M", "IQ4_XS", "F16", "BF16")
# llama.cpp refuses these without an importance matrix, which this command does not compute
NEEDS_IMATRIX = ("IQ1_S", "IQ1_M", "IQ2_XXS", "IQ2_XS", "IQ2_S", "Q2_K_S")
UNQUANTIZED = ("F32", "F16", "BF16")


@dataclass
class QuantizeConfig:
    src: Path = field(metadata={"help": "GGUF to quantize (the F16/BF16/F32 export)"})
    type: str = field(default="Q4_K_M", metadata={"help": "target type, e.g. Q4_K_M, Q5_K_M, Q8_0"})
    out: Path | None = field(default=None, metadata={"help": "output GGUF (default: <name>-<TYPE>.gguf beside src)"})
    threads: int = field(default=0, metadata={"help": "threads (0: all cores)"})
    allow_requantize: bool = field(default=False, metadata={"help": "allow quantizing an already quantized file"})
    verbose: bool = field(default=False, metadata={"help": "show llama.cpp's per-tensor log"})


def quant_types() -> dict[str, int]:
    """Every llama.cpp file type the installed llama_cpp names, e.g. {'Q4_K_M': 15, 'F32': 0, ...}."""
    import llama_cpp

    types = {}
    for attr in dir(llama_cpp):
        match = re.fullmatch(r"LLAMA_FTYPE_(?:MOSTLY|ALL)_(\w+)", attr)
        if match:
            types[match.group(1)] = int(getattr(llama_cpp, attr))
    return types


def default_output(src: Path, qtype: str) -> Path:
    """model-F16.gguf -> model-Q4_K_M.gguf; model.gguf -> model-Q4_K_M.gguf."""
    stem = re.sub(r"[-.](F32|F16|BF16)$", "", src.stem, flags=re.IGNORECASE)
    return src.with_name(f"{stem}-{qtype}.gguf")


def quantize(config: QuantizeConfig) -> Path:
    """Quantize `config.src` to `config.type`; return the written path."""
    import llama_cpp

    from gamecwm.export.check import read_file_type

    src = Path(config.src)
    qtype = config.type.upper()
    types = quant_types()
    if qtype not in types:
        raise ExportError(
            f"unknown quantization type {config.type!r}; common ones: {', '.join(COMMON_TYPES)} "
            f"(all: {', '.join(sorted(types))})"
        )
    if qtype in NEEDS_IMATRIX:
        raise ExportError(
            f"{qtype} needs an importance matrix, which this command does not compute; use Q4_K_M or Q3_K_M"
        )
    if not src.is_file():
        raise ExportError(f"GGUF not found: {src}; write one with `gamecwm export gguf` (or `make export-gguf`)")
    src_type = read_file_type(src)  # raises ExportError for a file that is not a GGUF
    if src_type not in UNQUANTIZED and src_type is not None and not config.allow_requantize:
        raise ExportError(
            f"{src} is already quantized ({src_type}); quantize the F16/BF16/F32 export instead, "
            "or pass --allow-requantize (lower quality)"
        )
    out = Path(config.out) if config.out else default_output(src, qtype)
    if out.resolve() == src.resolve():
        raise ExportError(f"--out {out} is the input file; choose another name")
    params = llama_cpp.llama_model_quantize_default_params()
    params.ftype = types[qtype]
    params.nthread = config.threads
    params.allow_requantize = config.allow_requantize
    print(f"quantizing {src} ({src_type}) -> {out} [{qtype}]", file=sys.stderr, flush=True)
    started = time.monotonic()
    with _captured_llama_log(config.verbose) as log, atomic_file(out) as tmp:
        code = llama_cpp.llama_model_quantize(str(src).encode(), str(tmp).encode(), params)
        if code != 0:
            tail = "\n".join("  " + line for line in "".join(log).strip().splitlines()[-8:])
            raise ExportError(
                f"llama.cpp could not quantize {src} to {qtype} (code {code}); no file was written:\n{tail}"
            )
    fallback = re.search(r"(\d+ of \d+ tensor\(s\) required fallback quantization)", "".join(log))
    if fallback and not config.verbose:
        print(
            f"note: {fallback.group(1)} (rows not divisible by the block size; --verbose lists them)", file=sys.stderr
        )
    print(f"wrote {out} ({human_size(out.stat().st_size)}) in {time.monotonic() - started:.1f}s", file=sys.stderr)
    return out


@contextmanager
def _captured_llama_log(verbose: bool) -> Iterator[list[str]]:
    """Collect llama.cpp's log (echoed when verbose), then give logging back to llama_cpp's own handler.

    llama-cpp-python's handler maps ggml's log levels with an outdated table (warnings arrive as errors
    and errors as debug), so a logger level cannot silence the per-tensor warnings without hiding errors.
    """
    import ctypes

    import llama_cpp

    lines: list[str] = []

    @llama_cpp.llama_log_callback
    def capture(level: int, text: bytes, user_data: ctypes.c_void_p) -> None:
        lines.append(text.decode("utf-8", errors="replace"))
        if verbose:
            sys.stderr.write(lines[-1])

    llama_cpp.llama_log_set(capture, ctypes.c_void_p(0))
    try:
        yield lines
    finally:
        previous = getattr(getattr(llama_cpp, "_logger", None), "llama_log_callback", None)
        llama_cpp.llama_log_set(previous, ctypes.c_void_p(0))
