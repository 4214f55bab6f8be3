"""Games between an OpenSpiel bot and a uniform random player, on any OpenSpiel game.

>>> import numpy as np
>>> from open_spiel.python.algorithms import mcts
>>> from gamecwm.interop.openspiel import load_game
>>> game = load_game("tic_tac_toe")
>>> rng = np.random.RandomState(0)
>>> bot = mcts.MCTSBot(game, 2.0, 100, mcts.RandomRolloutEvaluator(1, rng), random_state=rng)
>>> play_against_random(game, bot, games=2, rng=rng)["losses"]
0
"""

from __future__ import annotations

from typing import Any

import numpy as np


def play_against_random(game: Any, bot: Any, games: int, rng: np.random.RandomState) -> dict[str, Any]:
    """Wins, draws and losses of `bot`, seated as player 0 in even games and player 1 in odd ones."""
    wins = draws = losses = 0
    for index in range(games):
        seat = index % 2
        state = game.new_initial_state()
        while not state.is_terminal():
            if state.is_chance_node():
                outcomes, probabilities = zip(*state.chance_outcomes(), strict=True)
                state.apply_action(int(rng.choice(outcomes, p=probabilities)))
            elif state.current_player() == seat:
                state.apply_action(bot.step(state))
            else:
                state.apply_action(int(rng.choice(state.legal_actions())))
        mine, theirs = state.returns()[seat], state.returns()[1 - seat]
        wins, draws, losses = wins + (mine > theirs), draws + (mine == theirs), losses + (mine < theirs)
        bot.restart()
    return {"wins": wins, "draws": draws, "losses": losses}
