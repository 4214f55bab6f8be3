"""Atomic outputs: every file or folder the export writes appears complete or not at all."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from gamecwm.export import ExportError

PARTIAL_PREFIX = ".gamecwm-partial-"


@contextmanager
def atomic_file(target: Path, suffix: str = ".gguf") -> Iterator[Path]:
    """Yield a temporary path beside `target`; on success it replaces `target`, on any error it is removed.

    The temporary file lives in the target's folder, so the final `os.replace` is a rename on one file
    system: readers see the old file or the new one, never a half-written one.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.is_dir():
        raise ExportError(f"output {target} is a folder; give a file name such as {target / 'model.gguf'}")
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=PARTIAL_PREFIX, suffix=suffix)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        if tmp.stat().st_size == 0:
            raise ExportError(f"nothing was written for {target}")
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp creates 0600; give the usual permissions
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


@contextmanager
def atomic_folder(target: Path) -> Iterator[Path]:
    """Yield a temporary folder beside `target`; on success it takes `target`'s place, on error it is removed.

    An existing `target` is replaced only when it is empty or looks like a model folder (has a
    config.json), so a mistyped --out never deletes someone's unrelated files.
    """
    if target.exists():
        if not target.is_dir():
            raise ExportError(f"output {target} exists and is not a folder; choose another --out")
        if any(target.iterdir()) and not (target / "config.json").is_file():
            raise ExportError(
                f"output {target} exists and is not a model folder (no config.json); "
                "refusing to replace it: choose another --out or empty it"
            )
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=target.parent, prefix=PARTIAL_PREFIX))
    try:
        yield tmp
        os.chmod(tmp, 0o777 & ~_umask())
        old = None
        if target.exists():
            old = Path(tempfile.mkdtemp(dir=target.parent, prefix=PARTIAL_PREFIX))
            os.replace(target, old / "previous")
        os.replace(tmp, target)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def human_size(n_bytes: int) -> str:
    """1536 -> '1.5 KiB'."""
    size = float(n_bytes)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if size < 1024 or unit == "GiB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    raise AssertionError("unreachable")
