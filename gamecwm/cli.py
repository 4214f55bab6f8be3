"""The `gamecwm` command: dispatches to the subcommands that each package defines.

    gamecwm --help
    gamecwm games
    gamecwm prompt tic_tac_toe

Each package's `cli.py` registers its subcommands with `add_parsers(subparsers)` and sets a
`run(args) -> int` default. Heavy libraries are imported inside those `run` functions, so this
command starts fast.
"""

from __future__ import annotations

import argparse
import sys

from gamecwm.eval import cli as eval_cli
from gamecwm.export import cli as export_cli
from gamecwm.games import PackError, UnknownGameError
from gamecwm.games import cli as games_cli
from gamecwm.interop import cli as interop_cli
from gamecwm.prompts import cli as prompts_cli
from gamecwm.runtime import cli as runtime_cli
from gamecwm.sandbox.isolation import IsolationUnavailable
from gamecwm.search import cli as search_cli
from gamecwm.train import cli as train_cli
from gamecwm.tui import cli as tui_cli
from gamecwm.verifier import cli as verifier_cli

COMMAND_MODULES = [
    games_cli,
    prompts_cli,
    verifier_cli,
    search_cli,
    runtime_cli,
    train_cli,
    eval_cli,
    export_cli,
    interop_cli,
    tui_cli,
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gamecwm",
        description="Turn game rules into executable game code world models (GameCWMs).",
    )
    subparsers = parser.add_subparsers(title="commands", dest="command", metavar="COMMAND")
    for module in COMMAND_MODULES:
        module.add_parsers(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    try:
        return args.run(args)
    except (UnknownGameError, PackError, FileNotFoundError, ValueError, IsolationUnavailable) as exc:
        print(f"gamecwm {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # e.g. `gamecwm rules chess | head`
        return 0


if __name__ == "__main__":
    sys.exit(main())
