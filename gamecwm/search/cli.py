"""`gamecwm play` and `gamecwm arena`: play any GameCWM, and measure how well a generated one plans.

    gamecwm play tic_tac_toe --p0 human --p1 mcts --sims 2000
    gamecwm play generated.py --game kuhn_poker --p0 ismcts --p1 random --games 20
    gamecwm arena generated.py --game connect4 --sims 300 --games 20

`play` takes a catalog id or pack folder (its trusted reference runs in this process) or a GameCWM
file (untrusted: the model and every search over it run in a sandboxed worker). `arena` plays the
candidate's planner, searching over the candidate model, against the same planner over the reference,
on the reference's rules, seats alternating; an illegal move or a failing model loses the game.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gamecwm.flags import add_flags, config_from
from gamecwm.games import get_pack
from gamecwm.search.mcts import SearchConfig

if TYPE_CHECKING:
    from gamecwm.search.engine import Engine, LocalEngine, SandboxEngine
    from gamecwm.search.match import GameRecord, Seat

SEATS = ("human", "random", "mcts", "ismcts")


def add_parsers(subparsers: argparse._SubParsersAction) -> None:
    play = subparsers.add_parser("play", help="play a game between people and bots")
    play.add_argument("game", help="catalog id, pack folder, or a GameCWM .py file")
    play.add_argument("--game", dest="pack", help="the pack a .py file implements (for its name and rules)")
    play.add_argument("--p0", choices=SEATS, default="human", help="player 0 (default: human)")
    play.add_argument("--p1", choices=SEATS, default="mcts", help="player 1 (default: mcts)")
    _add_search_arguments(play)
    play.add_argument("--quiet", action="store_true", help="print only each game's result")
    play.set_defaults(run=run_play)

    arena = subparsers.add_parser("arena", help="a candidate's planner against the reference's, on the reference")
    arena.add_argument("file", type=Path, help="the candidate GameCWM")
    arena.add_argument("--game", required=True, help="catalog id or pack folder (with a reference)")
    arena.add_argument("--planner", choices=("auto", "mcts", "ismcts"), default="auto",
                       help="auto: ISMCTS for hidden-information games, MCTS otherwise")  # fmt: skip
    _add_search_arguments(arena, games=20)
    arena.add_argument("--move-seconds", type=float, default=60, help="time limit for one candidate move")
    arena.add_argument("--json", action="store_true", help="print the result as JSON")
    arena.set_defaults(run=run_arena)


def _add_search_arguments(parser: argparse.ArgumentParser, games: int = 1) -> None:
    add_flags(parser, SearchConfig, ["simulations", "rollout_depth"], names={"simulations": "sims"})
    parser.add_argument("--games", type=int, default=games, help="games to play, seats alternating")
    parser.add_argument("--seed", type=int, default=0, help="seed for chance and the planners")


def _seat(kind: str, engine: Engine, args: argparse.Namespace, player: int) -> Seat:
    from gamecwm.search.match import Seat
    from gamecwm.search.planners import Planner

    if kind == "human":
        return Seat(f"you (player {player})", ask=ask_human)
    return Seat(kind, engine, Planner(kind, config_from(SearchConfig, args)))


def ask_human(info: dict[str, Any], player: int) -> str:
    """Show the player's view and read a legal action (by name or by its number in the list)."""
    from gamecwm.search.render import render_observation

    print(render_observation(info["observations"][player]))
    legal = info["legal"]
    print("legal: " + "  ".join(f"[{i}] {a}" for i, a in enumerate(legal)))
    while True:
        try:
            answer = input(f"player {player}> ").strip()
        except EOFError:
            raise SystemExit("\nno more input; game abandoned") from None
        if answer in legal:
            return answer
        if answer.isdigit() and int(answer) < len(legal):
            return legal[int(answer)]
        print(f"{answer!r} is not legal here; legal actions: {', '.join(legal)}")


def _engine_for(target: str, pack_id: str | None) -> tuple[LocalEngine | SandboxEngine, str]:
    from gamecwm.search.engine import LocalEngine, SandboxEngine

    path = Path(target)
    if path.suffix == ".py":
        if not path.is_file():
            raise FileNotFoundError(f"GameCWM file not found: {path}")
        name = get_pack(pack_id).name if pack_id else path.stem
        return SandboxEngine(path.read_text(encoding="utf-8"), name=path.name), name
    pack = get_pack(target)
    return LocalEngine(pack.reference, name=f"{pack.id} reference"), pack.name


def run_play(args: argparse.Namespace) -> int:
    from gamecwm.search.match import play_match
    from gamecwm.search.render import render_observation

    if args.games < 1:
        raise ValueError("--games must be at least 1")
    engine, name = _engine_for(args.game, args.pack)
    with engine:
        seats = [_seat(args.p0, engine, args, 0), _seat(args.p1, engine, args, 1)]
        show_boards = not args.quiet and "human" not in (args.p0, args.p1)

        def on_move(info: dict[str, Any], player: int, action: str) -> None:
            if args.quiet:
                return
            if player < 0:
                print(f"  chance: {action}")
                return
            if show_boards:
                print(render_observation(info["observations"][player]))
                legal = info["legal"]
                print(f"  legal ({len(legal)}): {' '.join(legal[:12])}{' ...' if len(legal) > 12 else ''}")
            print(f"  player {player} ({seats[player].name}): {action}")

        def on_game(index: int, record: GameRecord, seat: int) -> None:
            if not args.quiet and not record.reason:
                print(render_observation(engine.info(record.actions)["observations"][0]))
            outcome = f"rewards {record.rewards}" + (f" ({record.reason})" if record.reason else "")
            print(f"game {index + 1}: {outcome} after {len(record.actions)} moves")

        print(f"{name}: {seats[0].name} against {seats[1].name}, seats alternating")
        result = play_match(engine, seats[0], seats[1], args.games, args.seed, on_game=on_game, on_move=on_move)
        if args.games > 1:
            print(result.summary())
    return 0


def run_arena(args: argparse.Namespace) -> int:
    from gamecwm.search.arena import play_arena
    from gamecwm.search.planners import default_planner

    pack = get_pack(args.game)
    if not args.file.is_file():
        raise FileNotFoundError(f"GameCWM file not found: {args.file}")
    planner = default_planner(pack, args.planner, config_from(SearchConfig, args))
    source = args.file.read_text(encoding="utf-8")
    result = play_arena(source, pack, planner, args.games, args.seed, args.move_seconds, name=args.file.name)
    if args.json:
        print(json.dumps({"file": str(args.file), "game": pack.id, "planner": planner.to_json(), **result.to_json()}))
    else:
        print(result.summary())
        for reason in result.to_json()["reasons"]:
            print(f"  note: {reason}", file=sys.stderr)
    return 0
