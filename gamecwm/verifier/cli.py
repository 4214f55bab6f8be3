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

from gamecwm.flags import add_flags, config_from
from gamecwm.games import get_pack
from gamecwm.verifier.pipeline import VerifyConfig

if TYPE_CHECKING:
    from gamecwm.verifier.report import Report


def add_parsers(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("verify", help="verify GameCWM files against a game pack")
    parser.add_argument("files", nargs="+", type=Path, help="GameCWM .py files")
    parser.add_argument("--game", required=True, help="catalog id or pack folder")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="candidates verified at once")
    parser.add_argument("--json", action="store_true", help="one JSON object per file instead of tables")
    add_flags(parser, VerifyConfig, ["fuzz_games", "seed", "inject_imports", "reference_tiers", "isolation", "scoring"],
              names={"inject_imports": "inject"})  # fmt: skip
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from gamecwm.console import make_console
    from gamecwm.sandbox import resolve
    from gamecwm.verifier import verify_many

    pack = get_pack(args.game)
    missing = [str(f) for f in args.files if not f.is_file()]
    if missing:
        raise FileNotFoundError(f"no such file: {', '.join(missing)}")
    if args.fuzz_games < 1 or args.jobs < 1:
        raise ValueError("--fuzz-games and --jobs must be at least 1")
    config = config_from(VerifyConfig, args)
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
