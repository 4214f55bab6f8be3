"""Held-out evaluation: sampling, verification, the arena, and means with bootstrap confidence intervals.

    gamecwm eval --model runs/x/model-Q4_K_M.gguf --samples 25 --arena
    gamecwm eval --samples-dir generated/          # generated/<model>/<game>_<anything>.py, side by side

    >>> from gamecwm.eval import EvalConfig, run_eval, write_report
    >>> report, paths = write_report(run_eval(EvalConfig(samples=2, max_tokens=1024)))  # doctest: +SKIP

Modules: `config` (settings), `backends` (llama.cpp, transformers, vLLM), `samples` (games and files),
`run` (generation, verification and arena, resumable), `stats` (bootstrap intervals), `report` (tables
and files), `plots` (PNG), `cli`. The names below load on first use (PEP 562), so `gamecwm --help`
stays fast; torch, transformers, llama_cpp, vllm and matplotlib load only inside the code that uses them.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "EvalConfig": "gamecwm.eval.config",
    "EvalRun": "gamecwm.eval.run",
    "run_eval": "gamecwm.eval.run",
    "SampleResult": "gamecwm.eval.report",
    "build_report": "gamecwm.eval.report",
    "write_report": "gamecwm.eval.report",
    "Summary": "gamecwm.eval.stats",
    "summarize": "gamecwm.eval.stats",
}
__all__ = list(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'gamecwm.eval' has no attribute {name!r}")
