"""`gamecwm verify`: score GameCWM files against a game pack, in sandboxed parallel workers.

    gamecwm verify gamecwm/games/kuhn_poker/reference.py --game kuhn_poker
    gamecwm verify samples/*.py --game path/to/my_pack --fuzz-games 10 --jobs 2 --json

Prints a tier table per file (or one JSON object per line with --json). Exits 0 whenever it ran,
whatever the scores; 2 on bad usage (unknown game, missing file, unreadable pack).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from gamecwm.games import get_pack

if TYPE_CHECKING:
    from gamecwm.verifier.report import Report


def add_parsers(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("verify", help="verify GameCWM files against a game pack")
    parser.add_argument("files", nargs="+", type=Path, help="GameCWM .py files")
    parser.add_argument("--game", required=True, help="catalog id or pack folder")
    parser.add_argument("--fuzz-games", type=int, default=100, help="random games for the dynamics tier")
    parser.add_argument("--seed", type=int, default=0, help="seed for every random choice")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="candidates verified at once")
    parser.add_argument("--json", action="store_true", help="one JSON object per file instead of tables")
    parser.add_argument("--no-inject", action="store_true", help="do not add missing standard imports")
    parser.add_argument("--no-reference-tiers", action="store_true", help="skip the reference-based tiers")
    parser.add_argument(
        "--isolation",
        choices=("auto", "required", "off"),
        default="auto",
        help="OS isolation of the workers: auto (the strongest this machine gives), required (refuse to run "
        "without namespaces and seccomp), off (in-process layers only)",
    )
    parser.add_argument(
        "--scoring",
        choices=("strict", "published", "both"),
        default="strict",
        help="strict: our verifier; published: the paper's published evaluator, quirks included "
        "(docs/scoring.md); both: side by side",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from gamecwm.console import make_console
    from gamecwm.sandbox import resolve
    from gamecwm.verifier import VerifyConfig, verify_many

    pack = get_pack(args.game)
    missing = [str(f) for f in args.files if not f.is_file()]
    if missing:
        raise FileNotFoundError(f"no such file: {', '.join(missing)}")
    if args.fuzz_games < 1 or args.jobs < 1:
        raise ValueError("--fuzz-games and --jobs must be at least 1")
    config = VerifyConfig(
        fuzz_games=args.fuzz_games,
        seed=args.seed,
        inject_imports=not args.no_inject,
        reference_tiers=not args.no_reference_tiers,
        isolation=args.isolation,
        scoring=args.scoring,
    )
    isolation = resolve(args.isolation)  # IsolationUnavailable: refused before anything runs
    if not args.json:
        make_console(stderr=True).print(f"isolation: {isolation.describe()}", markup=False, highlight=False)
    items = [(f.read_text(encoding="utf-8", errors="replace"), pack, str(f)) for f in args.files]
    reports = verify_many(items, config, jobs=args.jobs)
    if args.json:
        for report in _with_progress(reports, len(items)):
            print(json.dumps(report.to_json()), flush=True)
        return 0
    from gamecwm.verifier.render import render_report

    console = make_console()
    for report in _with_progress(reports, len(items)):
        if report.scoring != "published":
            console.print(render_report(report))
        if report.published is not None:
            console.print(render_report(report, published=True))
    return 0


def _with_progress(reports: Iterable[Report], total: int) -> Iterator[Report]:
    """Show a progress bar on stderr for batches, when stderr is a terminal."""
    if total < 2 or not sys.stderr.isatty():
        yield from reports
        return
    from rich.progress import Progress

    from gamecwm.console import make_console

    with Progress(transient=True, console=make_console(stderr=True)) as progress:
        task = progress.add_task("verifying", total=total)
        for report in reports:
            yield report
            progress.advance(task)
