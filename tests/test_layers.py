"""The package's layers: import-linter's contracts in pyproject.toml ([tool.importlinter]) hold.

`make lint` runs the same check (`lint-imports`); this test makes CI enforce it with the suite.
"""

from __future__ import annotations

import pkgutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import gamecwm

ROOT = Path(__file__).resolve().parents[1]
LEAVES = {"gamecwm.console", "gamecwm.flags"}  # usable from every layer; a contract keeps them free of gamecwm imports


def _config() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]


def test_import_linter_contracts_are_kept():
    pytest.importorskip("importlinter", reason="import-linter is not installed (it comes with the `dev` extra)")
    code = (
        "import sys; from importlinter.cli import lint_imports; "
        "sys.exit(lint_imports(config_filename='pyproject.toml', no_cache=True, no_logo=True))"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, f"an import contract is broken:\n{done.stdout}\n{done.stderr}"
    assert "0 broken" in done.stdout


def test_every_top_level_module_has_a_layer():
    """A new package or module under gamecwm must be placed in the layers, or it escapes them."""
    (layers,) = [c["layers"] for c in _config()["contracts"] if c["type"] == "layers"]
    placed = {name.strip() for line in layers for name in line.replace(":", "|").split("|")}
    modules = {f"gamecwm.{m.name}" for m in pkgutil.iter_modules(gamecwm.__path__)} - {"gamecwm.__main__"}
    assert modules - LEAVES == placed
