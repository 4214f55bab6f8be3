"""The settings of an evaluation run, and the timings it records.

    >>> from gamecwm.eval.config import EvalConfig
    >>> EvalConfig(samples=5, max_tokens=1024).verify_config().fuzz_games
    100

`gamecwm eval` builds its options from these fields (their help texts included); `run.json` in the
output folder holds them resolved, and `results.json` repeats them beside the timings.
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from gamecwm.verifier.report import PAPER_TIERS, REFERENCE_TIERS

SCORINGS = ("strict", "published", "both")  # as `VerifyConfig.scoring`
BACKENDS = ("llama_cpp", "transformers", "vllm")
TIERS = PAPER_TIERS + REFERENCE_TIERS  # the verifier's tiers an evaluation reports, in the reports' order


@dataclass
class EvalConfig:
    model: Path | None = field(
        default=None,
        metadata={
            "help": "GGUF file, HF model folder, or base: the embedded GGUF alone "
            "(default: the embedded GGUF with our adapter)"
        },
    )
    adapter: Path | None = field(default=None, metadata={"help": "PEFT adapter folder (transformers, vllm)"})
    backend: str = field(
        default="auto",
        metadata={
            "help": "auto: llama_cpp for GGUF, transformers for a folder",
            "choices": ("auto", *BACKENDS),
        },
    )
    name: str | None = field(default=None, metadata={"help": "model name in reports (default: from --model)"})
    games: str | None = field(
        default=None,
        metadata={"help": "eval, all, or comma-separated ids (default: eval; with --samples-dir, every game found)"},
    )
    packs: list[Path] = field(
        default_factory=list, metadata={"help": "external pack folder, or a folder of packs (repeatable)"}
    )
    samples: int = field(default=25, metadata={"help": "samples per game"})
    best_of: int = field(
        default=1,
        metadata={
            "help": "draw K candidates per sample and keep the one the verifier rewards most (an oracle "
            "reranking: it uses the game's own checks)"
        },
    )
    temperature: float = field(default=0.3, metadata={"help": "sampling temperature (0: greedy)"})
    seed: int = field(default=0, metadata={"help": "sample k is drawn with seed + k"})
    max_tokens: int = field(default=4096, metadata={"help": "token budget per reply"})
    batch_size: int = field(default=8, metadata={"help": "conversations per batch (transformers, vllm)"})
    threads: int | None = field(default=None, metadata={"help": "llama.cpp CPU threads (default: all cores but one)"})
    samples_dir: Path | None = field(
        default=None, metadata={"help": "evaluate existing files DIR/<model>/<game>_*.py instead of sampling"}
    )
    out: Path | None = field(
        default=None, metadata={"help": "output folder (default: results/<model name or DIR name>)"}
    )
    fuzz_games: int = field(default=100, metadata={"help": "random games for the dynamics tier"})
    jobs: int = field(default_factory=lambda: os.cpu_count() or 1, metadata={"help": "verifications at once"})
    arena: bool = field(default=False, metadata={"help": "play samples that pass dynamics against the reference"})
    arena_games: int = field(default=4, metadata={"help": "arena games per sample"})
    arena_sims: int = field(default=50, metadata={"help": "planner simulations per arena move"})
    arena_move_seconds: float = field(default=60.0, metadata={"help": "time limit of one candidate move"})
    bootstrap: int = field(default=10_000, metadata={"help": "bootstrap resamples for the intervals"})
    scoring: str = field(
        default="both",
        metadata={
            "help": "strict (ours), published (the paper's evaluator, docs/scoring.md) or both, side by side",
            "choices": SCORINGS,
        },
    )

    def __post_init__(self) -> None:
        counts = {
            "samples": self.samples,
            "best_of": self.best_of,
            "max_tokens": self.max_tokens,
            "batch_size": self.batch_size,
            "fuzz_games": self.fuzz_games,
            "jobs": self.jobs,
            "arena_games": self.arena_games,
            "arena_sims": self.arena_sims,
            "bootstrap": self.bootstrap,
        }
        low = [f"{key}={value}" for key, value in counts.items() if value < 1]
        if low:
            raise ValueError(f"these settings must be at least 1: {', '.join(low)}")
        if self.scoring not in SCORINGS:
            raise ValueError(f"unknown scoring {self.scoring!r}; choose one of {', '.join(SCORINGS)}")
        if self.temperature < 0:
            raise ValueError(f"temperature must be at least 0, got {self.temperature}")
        if self.samples_dir is not None and (self.model is not None or self.adapter is not None):
            raise ValueError("give --model/--adapter (generate samples) or --samples-dir (existing ones), not both")
        if self.samples_dir is not None and self.best_of > 1:
            raise ValueError("--best-of draws new candidates; it does not apply to --samples-dir")

    def verify_config(self) -> Any:
        """The verifier's evaluation setting (100 fuzz games unless --fuzz-games says otherwise)."""
        from gamecwm.verifier import VerifyConfig

        return VerifyConfig(fuzz_games=self.fuzz_games, scoring=self.scoring)

    def to_json(self) -> dict[str, Any]:
        return {key: (str(value) if isinstance(value, Path) else value) for key, value in asdict(self).items()} | {
            "packs": [str(p) for p in self.packs]
        }


@dataclass
class Timings:
    generation_s: float = 0.0  # wall time of this run's generation (0 when every sample was on disk)
    verification_s: float = 0.0
    arena_s: float = 0.0
    generated: int = 0
    verified: int = 0
    arena_matches: int = 0
    sample_generation_s: float = 0.0  # the generation time recorded with every sample, this run or earlier

    def to_json(self) -> dict[str, Any]:
        return {key: round(value, 3) if isinstance(value, float) else value for key, value in asdict(self).items()}
