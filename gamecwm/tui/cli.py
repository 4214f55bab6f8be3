"""`gamecwm tui`: the terminal UI for browsing games, generating, verifying and playing GameCWMs.

    gamecwm tui
    gamecwm tui --game kuhn_poker --model runs/export/model-Q4_K_M.gguf

Textual is imported only when the command runs, so `gamecwm --help` stays fast.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def add_parsers(subparsers: argparse._SubParsersAction) -> None:
    tui = subparsers.add_parser("tui", help="the terminal UI: games, generate, verify, play")
    tui.add_argument("--game", help="catalog id or pack folder to select at start")
    tui.add_argument(
        "--model", help="a GGUF model for generation, or base (default: the embedded SmolLM2 with our adapter)"
    )
    tui.add_argument("--seed", type=int, default=0, help="seed for generation, chance and the bots")
    tui.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from gamecwm.games import get_pack

    if args.game:
        get_pack(args.game)  # an unknown game fails here, with the list of known ones
    if args.model and not Path(args.model).is_file():
        raise FileNotFoundError(
            f"model file not found: {args.model}; build one with `make export-gguf` or leave out --model "
            "to use the embedded default"
        )
    from gamecwm.tui.app import make_app

    make_app(game=args.game, model=args.model, seed=args.seed).run()
    return 0


def main(argv: list[str] | None = None) -> int:
    """`python -m gamecwm.tui` works before `gamecwm tui` is registered, and the same way after."""
    parser = argparse.ArgumentParser(prog="gamecwm")
    add_parsers(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except (KeyError, ValueError, FileNotFoundError) as exc:
        print(f"gamecwm tui: error: {exc}", file=sys.stderr)
        return 2
