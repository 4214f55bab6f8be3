"""What `gamecwm train` and `gamecwm train-mlx` share: run folders, `runs/latest`, progress lines, the datasets.

    run_dir = new_run_dir(config, "sft_grpo")     # runs/sft_grpo-20261121-101500/, runs/latest -> it
    say("run folder ...")                         # [gamecwm train] run folder ...

A run folder is `<runs_dir>/<run_name>`, or `<runs_dir>/<label>-<time>` without a run_name; an existing folder
with files in it is never reused. `runs/latest` (beside the run folders) points at the newest one, whichever
command made it, and `make export-gguf` reads it. A `latest` that is a real folder, not a link, is left alone.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Protocol

from gamecwm.train.data import DATA_ROWS, DataConfig, build_datasets


class RunSettings(Protocol):
    """The config fields that place a run folder (TrainConfig and MLXLoraConfig both have them)."""

    runs_dir: str
    run_name: str | None


def say(message: str, command: str = "train") -> None:
    """A progress line on stderr, tagged with the command that prints it."""
    print(f"[gamecwm {command}] {message}", file=sys.stderr, flush=True)


def pick_run_dir(config: RunSettings, label: str) -> Path:
    """The run folder for `config`, not created yet; refused when it already exists and holds files."""
    run_dir = Path(config.runs_dir) / (config.run_name or f"{label}-{time.strftime('%Y%m%d-%H%M%S')}")
    if run_dir.exists() and any(run_dir.iterdir()):
        raise ValueError(f"run folder {run_dir} already exists and is not empty; choose another run_name")
    return run_dir


def create_run_dir(run_dir: Path) -> Path:
    """Create `run_dir` and point `latest` beside it at it; return `run_dir`."""
    run_dir.mkdir(parents=True, exist_ok=True)
    latest = run_dir.parent / "latest"
    if latest.is_symlink() or not latest.exists():
        latest.unlink(missing_ok=True)
        latest.symlink_to(run_dir.name)
    return run_dir


def new_run_dir(config: RunSettings, label: str) -> Path:
    """A new, empty run folder, now `runs/latest`."""
    return create_run_dir(pick_run_dir(config, label))


def ensure_datasets(
    out: Path,
    needs: Iterable[str],
    valid_games: int,
    seed: int,
    message: str,
    command: str = "train",
    **rows: int,
) -> Path:
    """`out`, after `gamecwm data --out OUT` has written there (saying `message`) if a file in `needs` is
    missing or its manifest was written with other settings; `rows` are DataConfig's row counts
    (phrasings, function_rows, repair_rows), defaults where not given."""
    config = DataConfig(out=out, valid_games=valid_games, seed=seed, **rows)
    manifest = out / "manifest.json"
    wanted = {"valid_games": valid_games, "seed": seed, **{k: getattr(config, k) for k in DATA_ROWS}}
    written = json.loads(manifest.read_text(encoding="utf-8")) if manifest.is_file() else {}
    stale = any(
        written.get(key, DataConfig.__dataclass_fields__[key].default) != value for key, value in wanted.items()
    )
    if stale or not all((out / name).is_file() for name in needs):
        say(message, command)
        build_datasets(config)
    return out
