"""Search speed side by side with OpenSpiel: our MCTS/ISMCTS on our Python GameCWMs against
OpenSpiel's Python bots (and its C++ MCTS as the ceiling) on its C++ games.

    python benchmarks/mcts_vs_openspiel.py [--sims 1000] [--repeats 5]

MCTS: simulations per second for one search of `--sims` simulations from the initial position, random
rollouts, UCT c = sqrt(2), the median of `--repeats` searches, on tic_tac_toe and connect4.
ISMCTS: the same on kuhn_poker and leduc_poker, from player 0's first decision.
Memory: peak RSS of a 100,000-simulation search with a bounded node budget.
The last line is `ratio_vs_openspiel_python=<ours / theirs, the lower of the two MCTS games>`.
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import time

import numpy as np
import pyspiel
from open_spiel.python.algorithms import ismcts as os_ismcts
from open_spiel.python.algorithms import mcts as os_mcts

from gamecwm.api import observation_history, replay
from gamecwm.games import get_pack
from gamecwm.search.ismcts import ISMCTS
from gamecwm.search.mcts import MCTS, SearchConfig

UCT_C = 2**0.5
MCTS_GAMES = (("tic_tac_toe", "tic_tac_toe"), ("connect4", "connect_four"))
ISMCTS_GAMES = (
    ("kuhn_poker", "kuhn_poker", ["deal:K", "deal:Q"]),
    ("leduc_poker", "leduc_poker", ["deal:Ks", "deal:Qh"]),
)


def rates(searches: list, sims: int, repeats: int) -> list[float]:
    """Median simulations per second of each search; repeats are interleaved, so a change in machine
    load during the run affects every contender alike."""
    times: list[list[float]] = [[] for _ in searches]
    for _ in range(repeats):
        for search, spent in zip(searches, times, strict=True):
            start = time.perf_counter()
            search()
            spent.append(time.perf_counter() - start)
    return [sims / statistics.median(spent) for spent in times]


def ours_mcts(game_id: str, sims: int):
    game = get_pack(game_id).reference
    state = game.get_initial_state()
    return lambda: MCTS(game, SearchConfig(simulations=sims), random.Random(0)).search(state)


def openspiel_mcts(name: str, sims: int, cpp: bool):
    game = pyspiel.load_game(name)
    if cpp:
        bot = pyspiel.MCTSBot(game, pyspiel.RandomRolloutEvaluator(1, 0), UCT_C, sims, 10**7, False, 0, False)
    else:
        evaluator = os_mcts.RandomRolloutEvaluator(1, np.random.RandomState(0))
        bot = os_mcts.MCTSBot(game, UCT_C, sims, evaluator, random_state=np.random.RandomState(0))
    return lambda: bot.step(game.new_initial_state())


def ours_ismcts(game_id: str, deal: list[str], sims: int):
    game = get_pack(game_id).reference
    history = observation_history(game, deal, 0)
    return lambda: ISMCTS(game, SearchConfig(simulations=sims), random.Random(0)).search(history, 0)


def openspiel_ismcts(name: str, sims: int):
    game = pyspiel.load_game(name)
    state = game.new_initial_state()
    while state.is_chance_node():
        state.apply_action(state.legal_actions()[0])
    evaluator = os_mcts.RandomRolloutEvaluator(1, np.random.RandomState(0))
    bot = os_ismcts.ISMCTSBot(game, evaluator, UCT_C, sims, random_state=np.random.RandomState(0))
    return lambda: bot.step(state)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sims", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--memory-sims", type=int, default=100_000)
    parser.add_argument("--max-nodes", type=int, default=100_000)
    args = parser.parse_args()

    print(f"MCTS, {args.sims} simulations from the initial position, simulations/s (median of {args.repeats})")
    print("| game | ours (Python game) | OpenSpiel Python MCTS | OpenSpiel C++ MCTS | ours/Python | ours/C++ |")
    print("|---|---:|---:|---:|---:|---:|")
    ratios = []
    for ours_id, spiel_name in MCTS_GAMES:
        searches = [ours_mcts(ours_id, args.sims), openspiel_mcts(spiel_name, args.sims, cpp=False),
                    openspiel_mcts(spiel_name, args.sims, cpp=True)]  # fmt: skip
        ours, python, cpp = rates(searches, args.sims, args.repeats)
        ratios.append(ours / python)
        print(f"| {ours_id} | {ours:,.0f} | {python:,.0f} | {cpp:,.0f} | {ours / python:.2f} | {ours / cpp:.3f} |")

    print(f"\nISMCTS, {args.sims} simulations from player 0's first decision, simulations/s")
    print("| game | ours | OpenSpiel Python ISMCTSBot | ours/theirs |")
    print("|---|---:|---:|---:|")
    for ours_id, spiel_name, deal in ISMCTS_GAMES:
        searches = [ours_ismcts(ours_id, deal, args.sims), openspiel_ismcts(spiel_name, args.sims)]
        ours, theirs = rates(searches, args.sims, args.repeats)
        print(f"| {ours_id} | {ours:,.0f} | {theirs:,.0f} | {ours / theirs:.2f} |")

    game = get_pack("connect4").reference
    before = peak_rss_mb()
    search = MCTS(game, SearchConfig(simulations=args.memory_sims, max_nodes=args.max_nodes), random.Random(0))
    start = time.perf_counter()
    search.search(replay(game, []))
    elapsed = time.perf_counter() - start
    print(
        f"\nmemory: connect4 MCTS, {args.memory_sims:,} simulations, node budget {args.max_nodes:,}: "
        f"{search.nodes:,} nodes, peak RSS {peak_rss_mb():.0f} MB (was {before:.0f} MB), {elapsed:.1f} s"
    )
    print(f"ratio_vs_openspiel_python={min(ratios):.2f}")


if __name__ == "__main__":
    main()
