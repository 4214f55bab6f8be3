"""Catalog commands: list the games, print a game's rules, run references on scenarios.

gamecwm games --json
gamecwm rules kuhn_poker
gamecwm scenarios tic_tac_toe connect4
"""

from __future__ import annotations

import argparse
import json
import sys

from gamecwm.games import catalog, get_pack, run_scenario


def add_parsers(subparsers: argparse._SubParsersAction) -> None:
    games = subparsers.add_parser("games", help="list the games in the catalog")
    games.add_argument("--json", action="store_true", help="print a JSON list instead of a table")
    games.set_defaults(run=run_games)

    rules = subparsers.add_parser("rules", help="print a game's rules (Markdown)")
    rules.add_argument("game", help="catalog id or pack folder")
    rules.set_defaults(run=run_rules)

    scenarios = subparsers.add_parser("scenarios", help="run games' references against their scenarios")
    scenarios.add_argument("games", nargs="*", help="catalog ids or pack folders (default: the whole catalog)")
    scenarios.set_defaults(run=run_scenarios)


def run_games(args: argparse.Namespace) -> int:
    packs = catalog()
    if args.json:
        print(json.dumps([p.summary() for p in packs], indent=2))
        return 0
    from rich.table import Table

    from gamecwm.console import make_console

    table = Table(title=f"gamecwm catalog ({len(packs)} games)")
    for column in ("id", "name", "info", "split", "tier", "ood"):
        table.add_column(column)
    for pack in packs:
        row = pack.summary()
        table.add_row(*("" if row[c] is None else str(row[c]) for c in row))
    make_console().print(table)
    return 0


def run_rules(args: argparse.Namespace) -> int:
    print(get_pack(args.game).rules.rstrip())
    return 0


def run_scenarios(args: argparse.Namespace) -> int:
    """Replay each scenario on the reference; exit 1 if any fails."""
    packs = [get_pack(g) for g in args.games] if args.games else catalog()
    failed = 0
    for pack in packs:
        if not pack.has_reference:
            print(f"{pack.id}: no reference.py, skipped")
            continue
        results = [run_scenario(pack.reference, s) for s in pack.scenarios]
        passed = sum(r.passed for r in results)
        print(f"{pack.id:<18} {passed}/{len(results)} scenarios pass")
        for result in results:
            if not result.passed:
                print(f"    FAIL {result.name}: {result.detail}")
        failed += len(results) - passed
    if failed:
        print(f"{failed} scenario(s) failed", file=sys.stderr)
    return 1 if failed else 0
