"""`gamecwm eval`: held-out evaluation of a model, or of generated files, with confidence intervals.

    gamecwm eval --samples 2 --max-tokens 1024                 # the embedded GGUF, the 7 held-out games
    gamecwm eval --model runs/x/model-Q4_K_M.gguf --samples 25 --out results/x
    gamecwm eval --model Qwen2.5-3B-Instruct/ --adapter runs/x/adapter --backend transformers --arena
    gamecwm eval --samples-dir generated/ --packs my_games/    # DIR/<model>/<game>_<anything>.py
    gamecwm eval --samples 3 --best-of 4                        # keep the best-rewarded of 4 per sample

Generates `--samples` replies per game (resuming: what is on disk with the same settings is kept),
verifies every module in parallel sandboxed workers, optionally plays the arena, and writes
report.md, results.csv, results.json and PNG plots into `--out`, printing the summary tables.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import fields
from pathlib import Path

from gamecwm.eval.config import EvalConfig
from gamecwm.flags import add_flags, config_from


def add_parsers(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("eval", help="evaluate a model (or generated files) on held-out games")
    source = parser.add_argument_group("what to evaluate")
    add_flags(source, EvalConfig, ["model", "adapter", "backend", "samples_dir", "name", "games"])
    packs = next(spec for spec in fields(EvalConfig) if spec.name == "packs")
    source.add_argument("--packs", type=Path, action="append", default=[], metavar="DIR", help=packs.metadata["help"])
    sampling = parser.add_argument_group("sampling")
    add_flags(sampling, EvalConfig, ["samples", "best_of", "temperature", "seed", "max_tokens", "batch_size",
                                     "threads"])  # fmt: skip
    checks = parser.add_argument_group("verification, arena and report")
    add_flags(checks, EvalConfig, ["fuzz_games", "jobs", "scoring", "arena", "arena_games", "arena_sims",
                                   "arena_move_seconds", "bootstrap", "out"])  # fmt: skip
    checks.add_argument("--no-plots", action="store_true", help="skip the PNG plots")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from gamecwm.console import make_console
    from gamecwm.eval.report import rich_tables, write_report
    from gamecwm.eval.run import run_eval

    config = config_from(EvalConfig, args)
    console = make_console(stderr=True)
    try:
        with _ProgressBars(console) as progress:
            result = run_eval(config, progress=progress)
    except ImportError as exc:  # a backend's library is not installed: say which and how to get it
        print(f"gamecwm eval: error: {exc}", file=sys.stderr)
        return 2
    for path in result.unmatched:
        console.print(f"[yellow]skipped[/] {path}: its name does not start with a known game id and '_'")
    try:
        report, paths = write_report(result, plots=not args.no_plots)
    except ImportError as exc:  # matplotlib is missing: the tables are still worth having
        console.print(f"[yellow]no plots[/]: {exc}")
        report, paths = write_report(result, plots=False)
    out = make_console()
    for table in rich_tables(report):
        out.print(table)
    t = result.timings
    out.print(
        f"generation {t.generation_s:.1f} s ({t.generated} new samples), verification {t.verification_s:.1f} s "
        f"({t.verified} new verdicts), arena {t.arena_s:.1f} s ({t.arena_matches} new matches)"
    )
    out.print("wrote " + ", ".join(str(p) for p in paths))
    return 0


class _ProgressBars:
    """A rich progress bar per phase (generating, verifying, arena), or one line per phase off a terminal."""

    def __init__(self, console) -> None:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self.console = console
        self.bar = Progress(
            TextColumn("{task.description:<10}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=console,
            transient=False,
        )
        self.tasks: dict[str, int] = {}

    def __call__(self, phase: str, done: int, total: int) -> None:
        if not self.console.is_terminal:
            if done == 0:
                self.console.print(f"{phase} {total} ...")
            return
        if phase not in self.tasks:
            self.tasks[phase] = self.bar.add_task(phase, total=total)
        self.bar.update(self.tasks[phase], completed=done, total=total)

    def __enter__(self) -> _ProgressBars:
        if self.console.is_terminal:
            self.bar.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.console.is_terminal:
            self.bar.stop()
