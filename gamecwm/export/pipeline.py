"""`gamecwm export all`: merge -> F16 GGUF -> Q8_0 and Q4_K_M, checked, with a size table (`make export-gguf`).

    gamecwm export all --adapter runs/latest --out runs/latest/export --name gamecwm-3b
    gamecwm export all --model fused_mlx_model --out export --name gamecwm-mlx   # already merged/fused

--adapter takes an adapter folder or a training run folder (the newest adapter inside is used). Files
follow the usual naming: `<name>-F16.gguf`, `<name>-Q8_0.gguf`, `<name>-Q4_K_M.gguf`, plus the merged HF
folder `<name>-hf/` and `<name>-export.json`, which records where everything came from.
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from gamecwm.export import ExportError
from gamecwm.export.files import human_size


@dataclass
class ExportAllConfig:
    adapter: Path | None = field(default=None, metadata={"help": "adapter folder or training run folder"})
    model: Path | None = field(default=None, metadata={"help": "an already merged or fused HF folder (skips merge)"})
    base: str | None = field(default=None, metadata={"help": "base model (default: the adapter's)"})
    out: Path | None = field(default=None, metadata={"help": "output folder (default: export/ in the run folder)"})
    name: str | None = field(default=None, metadata={"help": "file name prefix (default: the run's folder name)"})
    outtype: str = field(default="f16", metadata={"help": "type of the unquantized GGUF: f16, bf16 or f32"})
    types: tuple[str, ...] = field(default=("Q8_0", "Q4_K_M"), metadata={"help": "quantized types to write"})
    dtype: str = field(default="auto", metadata={"help": "dtype for the merge"})
    converter: Path | None = field(default=None, metadata={"help": "llama.cpp checkout (default: cached sdist)"})


def find_adapter(run: Path) -> Path:
    """`run` itself when it is an adapter folder, else the most recently written adapter inside it."""
    run = Path(run)
    if not run.exists():
        raise ExportError(
            f"no training run at {run}: run `make train` first, or pass RUN=path/to/run "
            "(`make export-gguf RUN=...`; `--adapter` here) with an adapter folder or a run folder holding one"
        )
    if (run / "adapter_config.json").is_file() or (run / "adapters.safetensors").is_file():
        return run
    found = [p.parent for p in run.glob("**/adapter_config.json") if len(p.relative_to(run).parts) <= 4]
    if not found:
        raise ExportError(
            f"{run} holds no adapter (no adapter_config.json inside): run `make train`, "
            "or pass --adapter the adapter folder itself"
        )
    return max(found, key=lambda p: max(f.stat().st_mtime for f in p.iterdir() if f.is_file()))


def mlx_fused(run: Path) -> Path | None:
    """The fused model of an MLX run (`gamecwm train-mlx` writes `fused/`, already merged), if `run` is one."""
    fused = Path(run) / "fused"
    return fused if (fused / "config.json").is_file() else None


def export_all(config: ExportAllConfig) -> list[dict]:
    """Run every step; return one row per output (file, type, size) after printing the size table."""
    from gamecwm.export.check import check_gguf
    from gamecwm.export.gguf import GGUFConfig, convert, inspect_model_folder
    from gamecwm.export.merge import MergeConfig, merge
    from gamecwm.export.quantize import QuantizeConfig, quantize

    if (config.adapter is None) == (config.model is None):
        raise ExportError("pass exactly one of --adapter (a run or adapter folder) and --model (a merged folder)")
    fused = mlx_fused(config.adapter) if config.adapter is not None else None
    if fused is not None:  # `runs/latest` after `make train-mlx`: nothing to merge
        run = Path(config.adapter)
        print(f"{run} is an MLX run: exporting its fused model {fused}", file=sys.stderr)
        config = replace(config, adapter=None, model=fused, name=config.name or run.resolve().name,
                         out=config.out or run / "export")  # fmt: skip
    source = Path(config.adapter if config.adapter is not None else config.model)
    adapter = find_adapter(source) if config.adapter is not None else None
    if config.model is not None:
        inspect_model_folder(config.model)
    name = config.name or source.resolve().name
    out = Path(config.out) if config.out else (source if adapter is not None else source.parent) / "export"
    started = time.monotonic()
    steps = 2 + len(config.types)
    step = 1
    if adapter is not None:
        print(f"[1/{steps}] merge: adapter {adapter}", file=sys.stderr)
        hf_dir = merge(MergeConfig(adapter=adapter, out=out / f"{name}-hf", base=config.base, dtype=config.dtype))
    else:
        print(f"[1/{steps}] merge: skipped, {config.model} is already merged", file=sys.stderr)
        hf_dir = Path(config.model)
    step += 1
    print(f"[{step}/{steps}] convert to GGUF ({config.outtype})", file=sys.stderr)
    full_type = config.outtype.upper()
    full = convert(
        GGUFConfig(
            model=hf_dir,
            out=out / f"{name}-{full_type}.gguf",
            outtype=config.outtype,
            converter=config.converter,
            name=name,
        )
    )
    outputs = [(full, full_type)]
    for qtype in config.types:
        step += 1
        print(f"[{step}/{steps}] quantize to {qtype}", file=sys.stderr)
        outputs.append((quantize(QuantizeConfig(src=full, type=qtype, out=out / f"{name}-{qtype}.gguf")), qtype))
    rows, problems = [], []
    for path, qtype in outputs:
        report = check_gguf(path, expect_type=qtype)
        problems += [f"{path.name}: {p}" for p in report.problems]
        rows.append({"file": str(path), "type": report.file_type, "bytes": report.size_bytes, "ok": report.ok})
    manifest = {
        "config": {k: (str(v) if isinstance(v, Path) else v) for k, v in asdict(config).items()},
        "adapter": str(adapter) if adapter else None,
        "hf_folder": str(hf_dir),
        "files": rows,
        "seconds": round(time.monotonic() - started, 1),
    }
    (out / f"{name}-export.json").write_text(json.dumps(manifest, indent=2) + "\n")
    print(size_table(rows))
    if problems:
        raise ExportError("exported files failed `gamecwm export check`:\n  " + "\n  ".join(problems))
    return rows


def size_table(rows: list[dict]) -> str:
    """A markdown table of the written files and their sizes."""
    lines = ["| file | type | size | check |", "|---|---|---:|---|"]
    for row in rows:
        check = "ok" if row["ok"] else "FAILED"
        lines.append(f"| {Path(row['file']).name} | {row['type']} | {human_size(row['bytes'])} | {check} |")
    return "\n".join(lines)
