"""Types: mypy passes on the standard-library core (configured in pyproject's `[tool.mypy]`, as `make lint`
runs it), and every reference module is a `GameCWM` to it (a `HiddenInformationGameCWM` with hidden
information), so the contract's protocol and the dataset cannot drift apart."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

from gamecwm.games import catalog

ROOT = Path(__file__).resolve().parents[1]
CHECKED = ["gamecwm/api.py", "gamecwm/games", "gamecwm/sandbox", "gamecwm/verifier", "gamecwm/search"]

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("mypy") is None, reason="mypy is not installed (it comes with the `dev` extra)"
)


def references_module() -> str:
    """Source that assigns each catalog reference to the protocol its information type requires."""
    packs = [pack for pack in catalog() if pack.has_reference]
    lines = ["from gamecwm.api import GameCWM, HiddenInformationGameCWM"]
    lines += [f"from gamecwm.games.{pack.id} import reference as {pack.id}" for pack in packs]
    for pack in packs:
        protocol = "HiddenInformationGameCWM" if pack.info == "imperfect" else "GameCWM"
        lines.append(f"_{pack.id}: {protocol} = {pack.id}")
    # and the protocol has teeth: without resample_history a module is not one (an unused ignore fails)
    lines.append("_perfect: HiddenInformationGameCWM = tic_tac_toe  # type: ignore[assignment]")
    return "\n".join(lines) + "\n"


def test_core_type_checks_and_references_are_gamecwms(tmp_path: Path) -> None:
    conformance = tmp_path / "references_conform.py"
    conformance.write_text(references_module(), encoding="utf-8")
    command = [sys.executable, "-m", "mypy", "--cache-dir", str(tmp_path / "cache"), *CHECKED, str(conformance)]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, f"mypy found problems:\n{result.stdout}{result.stderr}"
