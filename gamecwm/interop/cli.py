"""`gamecwm openspiel`: run OpenSpiel's algorithms on a GameCWM, a pack's reference or a model's file.

    gamecwm openspiel kuhn_poker --algo cfr --iterations 300
    gamecwm openspiel generated.py --game connect4 --algo mcts --games 10
    gamecwm openspiel leduc_poker --algo random-sim --iterations 50

`cfr` runs counterfactual regret minimization and prints the average policy's value for each player
and its exploitability (small games: CFR walks the whole tree each iteration). `mcts` and `ismcts` play
OpenSpiel's MCTSBot (or its ISMCTS bot, for hidden information) against a uniform random player, seats
alternating. `random-sim` runs OpenSpiel's own conformance simulation (`pyspiel.random_sim_test`, with
serialization) and summarizes the games it played.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

ALGORITHMS = ("cfr", "mcts", "ismcts", "random-sim")


def add_parsers(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("openspiel", help="run OpenSpiel's CFR, MCTS or conformance test on a GameCWM")
    parser.add_argument("game", help="catalog id, pack folder, or a GameCWM .py file (then pass --game)")
    parser.add_argument("--game", dest="pack", help="the game a .py file implements (catalog id or pack folder)")
    parser.add_argument("--algo", choices=ALGORITHMS, default="cfr", help="what to run (default: cfr)")
    parser.add_argument("--iterations", type=int, default=100,
                        help="CFR iterations, or random-sim games (default: 100)")  # fmt: skip
    parser.add_argument("--games", type=int, default=10, help="games against random for mcts/ismcts")
    parser.add_argument("--sims", type=int, default=200, help="simulations per move for mcts/ismcts")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--isolation", choices=("auto", "required", "off"), default="auto",
                        help="sandbox isolation for a .py file (default: auto)")  # fmt: skip
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from gamecwm.interop.model import ModelError
    from gamecwm.interop.openspiel import load_game

    model = None
    game_arg = args.game
    if args.game.endswith(".py"):
        if not args.pack:
            print("gamecwm openspiel: error: a .py file needs --game, the game it implements", file=sys.stderr)
            return 2
        model, game_arg = Path(args.game), args.pack
    try:
        game = load_game(game_arg, model, isolation=args.isolation)
        started = time.perf_counter()
        result = {"cfr": _cfr, "mcts": _bot_games, "ismcts": _bot_games, "random-sim": _random_sim}[args.algo](
            game, args
        )
    except ModelError as exc:
        print(f"gamecwm openspiel: the model failed: {exc}", file=sys.stderr)
        return 1
    result = {"game": game_arg, "model": "reference" if model is None else str(model), "algo": args.algo,
              **result, "seconds": round(time.perf_counter() - started, 2)}  # fmt: skip
    print(json.dumps(result, indent=2) if args.json else _text(result))
    return 0


def _cfr(game: Any, args: argparse.Namespace) -> dict[str, Any]:
    from open_spiel.python.algorithms import cfr, expected_game_score, exploitability

    solver = cfr.CFRSolver(game)
    for _ in range(args.iterations):
        solver.evaluate_and_update_policy()
    policy = solver.average_policy()
    values = expected_game_score.policy_value(game.new_initial_state(), [policy, policy])
    result: dict[str, Any] = {"iterations": args.iterations, "value": [round(float(v), 6) for v in values]}
    if game.get_type().utility in (game.get_type().utility.ZERO_SUM, game.get_type().utility.CONSTANT_SUM):
        result["exploitability"] = round(float(exploitability.exploitability(game, policy)), 6)
    return result


def _bot_games(game: Any, args: argparse.Namespace) -> dict[str, Any]:
    import numpy as np
    from open_spiel.python.algorithms import ismcts, mcts

    from gamecwm.interop.play import play_against_random

    rng = np.random.RandomState(args.seed)
    evaluator = mcts.RandomRolloutEvaluator(n_rollouts=1, random_state=rng)
    if args.algo == "ismcts":
        bot = ismcts.ISMCTSBot(game, evaluator, uct_c=2.0, max_simulations=args.sims, random_state=rng)
    else:
        bot = mcts.MCTSBot(game, uct_c=2.0, max_simulations=args.sims, evaluator=evaluator, random_state=rng)
    outcomes = play_against_random(game, bot, args.games, rng)
    return {"games": args.games, "simulations": args.sims, **outcomes}


def _random_sim(game: Any, args: argparse.Namespace) -> dict[str, Any]:
    import pyspiel

    pyspiel.random_sim_test(game, num_sims=args.iterations, serialize=True, verbose=False)
    return {"simulations": args.iterations, "passed": True}


def _text(result: dict[str, Any]) -> str:
    return "\n".join(f"{key}: {value}" for key, value in result.items())
