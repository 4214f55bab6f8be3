"""Goofspiel: resample_history draws every opponent bid sequence that fits the round winners seen."""

import itertools
import random

from gamecwm.api import TERMINAL, observation_history
from gamecwm.games import get_pack


def _random_game(game, rng):
    actions, state = [], game.get_initial_state()
    while game.get_current_player(state) != TERMINAL:
        actions.append(rng.choice(game.get_legal_actions(state)))
        state = game.apply_action(state, actions[-1])
    return actions


def _opponent_bids(actions, player):
    """Positions of the opponent's bids: each round is a prize, player 0's bid, player 1's bid."""
    return [index for index in range(len(actions)) if index % 3 == 2 - player]


def test_resample_history_draws_every_consistent_bid_sequence():
    game, rng = get_pack("goofspiel").reference, random.Random(4)
    random.seed(4)  # the reference samples with the module-level generator
    for _ in range(12):
        actions, player = _random_game(game, rng), rng.randrange(2)
        # Cut at one of the player's bids, pending or just made: where its recorded history ends.
        mine = rng.choice([index for index in range(len(actions)) if index % 3 == 1 + player])
        prefix = actions[: mine + rng.randrange(2)]
        history = observation_history(game, prefix, player)
        positions = _opponent_bids(prefix, player)
        consistent = set()
        for bids in itertools.permutations(game.CARDS, len(positions)):
            changed = list(prefix)
            for position, bid in zip(positions, bids, strict=True):
                changed[position] = f"bid:{bid}"
            if observation_history(game, changed, player) == history:
                consistent.add(tuple(changed))
        draws = {tuple(game.resample_history(history, player)) for _ in range(40 * len(consistent))}
        assert draws == consistent, f"prefix {prefix}, player {player}"
