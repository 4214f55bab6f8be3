"""One whole process of CFR on one game, to time bridged against native games from outside.

    python benchmarks/cfr_process.py gamecwm:kuhn_poker 300     # the bridged reference
    python benchmarks/cfr_process.py python_kuhn_poker 300      # OpenSpiel's own Python kuhn
    python benchmarks/cfr_process.py kuhn_poker 300             # OpenSpiel's C++ kuhn

Prints the average policy's value for player 0, so that the runs can be seen to agree.
"""

from __future__ import annotations

import sys

import open_spiel.python.games  # noqa: F401 - registers OpenSpiel's Python games
import pyspiel
from open_spiel.python.algorithms import cfr, expected_game_score


def main() -> None:
    name, iterations = sys.argv[1], int(sys.argv[2])
    if name.startswith("gamecwm:"):
        from gamecwm.interop.openspiel import load_game

        game = load_game(name.removeprefix("gamecwm:"))
    else:
        game = pyspiel.load_game(name)
    solver = cfr.CFRSolver(game)
    for _ in range(iterations):
        solver.evaluate_and_update_policy()
    policy = solver.average_policy()
    print(expected_game_score.policy_value(game.new_initial_state(), [policy, policy])[0])


if __name__ == "__main__":
    main()
