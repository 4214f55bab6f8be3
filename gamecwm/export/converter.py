"""llama.cpp's `convert_hf_to_gguf.py`, taken from the llama-cpp-python source distribution and cached.

    python -m gamecwm.export.converter            # fetch (once) and print where the converter is

The converter is not on PyPI. The llama-cpp-python sdist of the installed version vendors the matching
llama.cpp, so its `convert_hf_to_gguf.py`, `conversion/` and `gguf-py/` write GGUF files the installed
runtime reads. They are downloaded once with `pip download` and unpacked into
`~/.cache/gamecwm/llama.cpp-<version>/` (`$GAMECWM_CACHE_DIR` or `$XDG_CACHE_HOME` move it), never into
the repository. `--converter PATH` uses a llama.cpp checkout instead.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from gamecwm.export import ExportError

SCRIPT = "convert_hf_to_gguf.py"
LORA_SCRIPT = "convert_lora_to_gguf.py"  # a PEFT adapter to a GGUF LoRA (it imports SCRIPT)
# what is taken from the sdist's vendor/llama.cpp/ (folders end with "/")
KEEP = (SCRIPT, LORA_SCRIPT, "conversion/", "gguf-py/gguf/", "gguf-py/pyproject.toml", "LICENSE", "requirements/")


@dataclass(frozen=True)
class Converter:
    """Where the converter script and its matching gguf-py package are."""

    script: Path
    gguf_py: Path | None
    source: str

    def env(self) -> dict[str, str]:
        """The environment for the converter subprocess: its own gguf-py first on the import path."""
        env = dict(os.environ)
        if self.gguf_py is not None:
            env["PYTHONPATH"] = os.pathsep.join(p for p in (str(self.gguf_py), env.get("PYTHONPATH")) if p)
        return env

    def command(self, model_dir: Path, outfile: Path, outtype: str, model_name: str | None = None) -> list[str]:
        cmd = [sys.executable, str(self.script), str(model_dir), "--outtype", outtype, "--outfile", str(outfile)]
        if model_name:
            cmd += ["--model-name", model_name]
        return cmd

    def knows_architecture(self, architecture: str) -> bool | None:
        """Whether the converter's sources name `architecture` (None when they register nothing we can read).

        Conservative: any quoted occurrence counts, so a supported model is never refused here; the
        converter itself still has the last word.
        """
        root = self.script.parent
        sources = [self.script, *sorted((root / "conversion").glob("*.py"))]
        text = "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in sources if p.is_file())
        if not re.search(r"\.register\(", text):
            return None
        return f'"{architecture}"' in text or f"'{architecture}'" in text


def cache_dir() -> Path:
    """$GAMECWM_CACHE_DIR, else $XDG_CACHE_HOME/gamecwm, else ~/.cache/gamecwm."""
    if os.environ.get("GAMECWM_CACHE_DIR"):
        return Path(os.environ["GAMECWM_CACHE_DIR"]).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base).expanduser() / "gamecwm"


def installed_llama_cpp_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("llama_cpp_python")
    except PackageNotFoundError:
        raise ExportError(
            "llama-cpp-python is not installed; install it (`pip install 'gamecwm[runtime]'`), "
            "or pass --converter PATH to a llama.cpp checkout"
        ) from None


def find_converter(path: Path | None = None) -> Converter:
    """The converter at `path` (a llama.cpp checkout or its convert_hf_to_gguf.py), else the cached one."""
    if path is not None:
        path = Path(path).expanduser()
        script = path / SCRIPT if path.is_dir() else path
        if not script.is_file():
            raise ExportError(
                f"no {SCRIPT} at {path}; --converter takes a llama.cpp checkout or its {SCRIPT}, "
                "or leave it out to use the one from the installed llama-cpp-python's source distribution"
            )
        gguf_py = script.parent / "gguf-py"
        return Converter(script.resolve(), gguf_py.resolve() if gguf_py.is_dir() else None, f"llama.cpp at {path}")
    version = installed_llama_cpp_version()
    root = cache_dir() / f"llama.cpp-{version}"
    if root.is_dir() and not (root / LORA_SCRIPT).is_file():  # cached before the LoRA converter was kept
        shutil.rmtree(root)
    if not (root / SCRIPT).is_file():
        fetch(version, root)
    return Converter(root / SCRIPT, root / "gguf-py", f"llama-cpp-python {version} source distribution ({root})")


def fetch(version: str, root: Path) -> Path:
    """Download the llama-cpp-python `version` sdist with pip and unpack its converter into `root`."""
    root.parent.mkdir(parents=True, exist_ok=True)
    print(
        f"fetching llama.cpp's converter from the llama-cpp-python {version} source distribution "
        f"(once; cached in {root}) ...",
        file=sys.stderr,
        flush=True,
    )
    with tempfile.TemporaryDirectory(dir=root.parent, prefix=".gamecwm-partial-") as tmp:
        cmd = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary", ":all:"]
        cmd += [f"llama-cpp-python=={version}", "-d", tmp]
        result = subprocess.run(cmd, capture_output=True, text=True)
        archives = [p for p in Path(tmp).iterdir() if p.name.endswith((".tar.gz", ".tgz"))]
        if result.returncode != 0 or not archives:
            tail = "\n".join((result.stderr or result.stdout).strip().splitlines()[-8:])
            raise ExportError(
                f"could not download the llama-cpp-python {version} source distribution with pip "
                f"(exit {result.returncode}):\n{tail}\n"
                "connect to PyPI once (the converter is cached afterwards), or pass --converter PATH "
                "to a llama.cpp checkout"
            )
        staged = Path(tmp) / "llama.cpp"
        _unpack(archives[0], staged)
        (staged / "SOURCE.txt").write_text(f"llama-cpp-python=={version} sdist: {archives[0].name}\n")
        try:
            os.replace(staged, root)
        except OSError:
            if not (root / SCRIPT).is_file():  # another process won the race with a complete copy: fine
                raise
    return root


def _unpack(archive: Path, dest: Path) -> None:
    """Copy the converter's files out of the sdist's vendor/llama.cpp/ (plain files only, no links)."""
    with tarfile.open(archive) as tar:
        found = False
        for member in tar:
            parts = member.name.split("/")
            if len(parts) < 4 or parts[1:3] != ["vendor", "llama.cpp"] or not member.isfile():
                continue
            rel = "/".join(parts[3:])
            if ".." in parts or not any(rel == k or (k.endswith("/") and rel.startswith(k)) for k in KEEP):
                continue
            target = dest / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            with tar.extractfile(member) as src, open(target, "wb") as out:
                shutil.copyfileobj(src, out)
            found = found or rel == SCRIPT
    if not found or not (dest / "gguf-py" / "gguf").is_dir():
        raise ExportError(f"{archive.name} holds no vendor/llama.cpp/{SCRIPT} with gguf-py; pass --converter PATH")


if __name__ == "__main__":
    conv = find_converter()
    print(f"{conv.script}\n  gguf-py: {conv.gguf_py}\n  from: {conv.source}")
