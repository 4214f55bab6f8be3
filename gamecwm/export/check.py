"""`gamecwm export check`: validate a GGUF before shipping it (metadata only, nothing is loaded).

    gamecwm export check runs/latest/export/gamecwm-Q4_K_M.gguf
    gamecwm export check model.gguf --type Q4_K_M --json

Fails (exit 1) on a file that is not a GGUF, has no architecture, no file type, no tokenizer, or no chat
template: without `tokenizer.chat_template`, llama-cpp-python silently falls back to a generic chat
format the model was never trained on, and every prompt comes out wrong.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from gamecwm.export import ExportError
from gamecwm.export.files import human_size


@dataclass
class GGUFCheck:
    path: str
    size_bytes: int
    architecture: str | None = None
    file_type: str | None = None
    name: str | None = None
    context_length: int | None = None
    tensors: int = 0
    chat_template: bool = False
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "ok": self.ok}


def file_type_name(value: int) -> str:
    """general.file_type 15 -> 'Q4_K_M' (llama.cpp's LLAMA_FTYPE names without MOSTLY_/ALL_)."""
    import gguf

    try:
        name = gguf.LlamaFileType(value).name
    except ValueError:
        return f"unknown ({value})"
    return name.removeprefix("MOSTLY_").removeprefix("ALL_")


def _reader(path: Path):
    import gguf

    if not path.is_file():
        raise ExportError(f"GGUF not found: {path}; build one with `make export-gguf` or `gamecwm export gguf`")
    try:
        return gguf.GGUFReader(path)
    except Exception as exc:  # GGUFReader raises ValueError, struct errors, IndexError... on damaged files
        raise ExportError(f"{path} is not a readable GGUF file ({type(exc).__name__}: {exc})") from None


def _value(reader: Any, key: str) -> Any:
    field_ = reader.fields.get(key)
    return None if field_ is None else field_.contents()


def read_file_type(path: Path) -> str | None:
    """The file type name of a GGUF ('F16', 'Q8_0', ...), None when it records none."""
    value = _value(_reader(Path(path)), "general.file_type")
    return None if value is None else file_type_name(int(value))


def check_gguf(path: Path, expect_type: str | None = None) -> GGUFCheck:
    """Read `path`'s metadata and list every problem found; raises ExportError only for a missing file."""
    path = Path(path)
    if not path.is_file():
        raise ExportError(f"GGUF not found: {path}; build one with `make export-gguf` or `gamecwm export gguf`")
    report = GGUFCheck(path=str(path), size_bytes=path.stat().st_size)
    try:
        reader = _reader(path)
    except ExportError as exc:
        report.problems.append(str(exc))
        return report
    report.architecture = _value(reader, "general.architecture")
    report.name = _value(reader, "general.name")
    report.tensors = len(reader.tensors)
    if report.architecture:
        ctx = _value(reader, f"{report.architecture}.context_length")
        report.context_length = None if ctx is None else int(ctx)
    else:
        report.problems.append("no general.architecture: llama.cpp cannot tell which model this is")
    file_type = _value(reader, "general.file_type")
    if file_type is None:
        report.problems.append("no general.file_type: the quantization is not recorded")
    else:
        report.file_type = file_type_name(int(file_type))
        if expect_type and report.file_type.upper() != expect_type.upper():
            report.problems.append(f"file type is {report.file_type}, expected {expect_type.upper()}")
    if _value(reader, "tokenizer.ggml.model") is None or "tokenizer.ggml.tokens" not in reader.fields:
        report.problems.append("no tokenizer (tokenizer.ggml.model / tokens): llama.cpp cannot tokenize prompts")
    report.chat_template = bool(_value(reader, "tokenizer.chat_template"))
    if not report.chat_template:
        report.problems.append(
            "no tokenizer.chat_template: llama-cpp-python would silently fall back to a wrong chat format; "
            "re-export from a folder whose tokenizer has a chat template (chat_template.jinja or "
            "tokenizer_config.json)"
        )
    if report.tensors == 0:
        report.problems.append("no tensors: this file holds metadata only")
    return report


def render(report: GGUFCheck) -> str:
    """A few human-readable lines: verdict, metadata, and each problem."""
    verdict = "ok" if report.ok else "FAILED"
    lines = [
        f"{report.path}: {verdict}",
        f"  architecture   {report.architecture or '-'}",
        f"  file type      {report.file_type or '-'}",
        f"  name           {report.name or '-'}",
        f"  context length {report.context_length or '-'}",
        f"  tensors        {report.tensors}",
        f"  chat template  {'yes' if report.chat_template else 'NO'}",
        f"  size           {human_size(report.size_bytes)}",
    ]
    lines += [f"  problem: {p}" for p in report.problems]
    return "\n".join(lines)


def dumps(report: GGUFCheck) -> str:
    return json.dumps(report.to_json())
