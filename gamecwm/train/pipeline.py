"""The training pipeline: data -> SFT -> GRPO by curriculum tier -> merged model, in one run folder.

    gamecwm train --config configs/sft_grpo.yaml               # `make train` (CUDA, Qwen2.5-3B-Instruct)
    gamecwm train --config configs/tiny.yaml                   # `make train-smoke` (CPU, a tiny local model)
    gamecwm train --config configs/sft_grpo.yaml --no-curriculum --no-scenarios   # the ablations

A run folder `runs/<name>/` holds:
    config.yaml          the resolved config (every field), enough to repeat the run
    metrics.jsonl        every logged row (loss, reward and per-tier verifier scores, KL), with its stage
    sft/adapter/         the SFT LoRA adapter; sft/merged/ the base with it folded in
    grpo/tier1/adapter/  one adapter per curriculum stage, each merged (grpo/tier1/merged/) before the next
    model/               the final merged model, ready for `gamecwm export all --model runs/<name>/model`
`runs/latest` points at the newest run (`make export-gguf` reads it).

Curriculum (docs/architecture.md §6): GRPO trains tier 1's games first, merges the adapter into the weights, and
starts the next tier with a fresh adapter, whose KL anchor is that merged model. `--no-curriculum`
trains one stage on all tiers' prompts in shuffled order instead.
"""

from __future__ import annotations

import os
import random
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from gamecwm.train.common import preflight, prepare_base
from gamecwm.train.config import TrainConfig, save_config
from gamecwm.train.data import DATA_ROWS, read_jsonl
from gamecwm.train.runs import ensure_datasets, new_run_dir, say

T = TypeVar("T")


@dataclass
class Stage:
    name: str
    rows: list[dict[str, Any]]


def curriculum(rows: list[dict[str, Any]], enabled: bool, seed: int) -> list[Stage]:
    """GRPO stages: one per tier in order, or one shuffled stage over every tier."""
    if not enabled:
        shuffled = list(rows)
        random.Random(seed).shuffle(shuffled)
        return [Stage("all", shuffled)]
    tiers = sorted({row["tier"] for row in rows})
    return [Stage(f"tier{t}", [row for row in rows if row["tier"] == t]) for t in tiers]


def ensure_data(config: TrainConfig) -> Path:
    """The dataset folder, written first when it is missing."""
    data_dir = Path(config.data_dir)
    needs = ("grpo/train.jsonl", "sft/train.jsonl")
    rows = {key: getattr(config, key) for key in DATA_ROWS}
    return ensure_datasets(data_dir, needs, config.valid_games, config.seed, f"writing datasets to {data_dir}", **rows)


def merge_into(adapter: Path, out: Path) -> str:
    from gamecwm.export.merge import MergeConfig, merge

    return str(merge(MergeConfig(adapter=adapter, out=out)))


def on_main(state: Any, work: Callable[[], T]) -> T:
    """Run `work` on the main process only; every process gets its result (`accelerate launch` safe)."""
    from accelerate.utils import broadcast_object_list

    result = [work() if state.is_main_process else None]
    if state.num_processes > 1:
        broadcast_object_list(result)
    return result[0]


def run_training(config: TrainConfig, label: str = "run") -> Path:
    """Run every enabled stage; return the run folder.

    Under `accelerate launch` every process runs this; files (data, run folder, merges) are written by
    the main process alone and their paths shared, while the trainers split the work across processes.
    """
    from accelerate import PartialState

    if not (config.sft.enabled or config.grpo.enabled):
        raise ValueError("nothing to train: sft.enabled and grpo.enabled are both false")
    preflight(config)
    state = PartialState()
    started = time.monotonic()
    run_dir = Path(on_main(state, lambda: str(new_run_dir(config, label))))
    if state.is_main_process:
        save_config(config, run_dir / "config.yaml")
        say(f"run folder {run_dir} (resolved config in config.yaml, metrics in metrics.jsonl)")
    data_dir = Path(on_main(state, lambda: str(ensure_data(config))))
    model = on_main(state, lambda: prepare_base(config, run_dir))
    sft_adapter = Path(config.sft_adapter) if config.sft_adapter else None
    if config.sft.enabled and sft_adapter is None:
        from gamecwm.train.sft import run_sft

        sft_adapter = run_sft(config, model, data_dir, run_dir)
    if sft_adapter is not None:
        model = on_main(state, lambda: merge_into(sft_adapter, run_dir / "sft" / "merged"))
    if config.grpo.enabled:
        from gamecwm.train.grpo import run_grpo

        rows = [row for row in read_jsonl(data_dir / "grpo" / "train.jsonl") if row["tier"] in config.grpo.tiers]
        for stage in curriculum(rows, config.curriculum, config.seed):
            out = run_dir / "grpo" / stage.name
            adapter = run_grpo(config, model, stage.rows, out, f"grpo/{stage.name}", run_dir)
            model = on_main(state, lambda a=adapter, o=out: merge_into(a, o / "merged"))
    if state.is_main_process:
        _link_or_copy(Path(model), run_dir / "model")
        say(f"done in {time.monotonic() - started:.0f}s: final model {run_dir / 'model'}")
    return run_dir


def _link_or_copy(source: Path, target: Path) -> None:
    """`target` names the final model: a relative symlink inside the run folder, else a copy."""
    try:
        target.symlink_to(os.path.relpath(source.resolve(), target.parent.resolve()), target_is_directory=True)
    except OSError:
        shutil.copytree(source, target)
