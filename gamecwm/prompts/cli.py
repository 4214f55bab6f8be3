"""The prompt command: print the generation prompt a model gets for a game.

gamecwm prompt gen_tic_tac_toe
"""

from __future__ import annotations

import argparse

from gamecwm.games import get_pack
from gamecwm.prompts import build_prompt


def add_parsers(subparsers: argparse._SubParsersAction) -> None:
    prompt = subparsers.add_parser("prompt", help="print the generation prompt for a game")
    prompt.add_argument("game", help="catalog id or pack folder")
    prompt.set_defaults(run=run_prompt)


def run_prompt(args: argparse.Namespace) -> int:
    print(build_prompt(get_pack(args.game)))
    return 0
