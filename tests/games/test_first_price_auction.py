"""First-price auction: resample_history draws the opponent's hidden value (and bid) over the whole set."""

import itertools
import random

from gamecwm.api import observation_history
from gamecwm.games import get_pack


def test_resample_history_covers_the_opponents_hidden_values_and_bids():
    game = get_pack("first_price_auction").reference
    random.seed(5)  # the reference samples with the module-level generator
    actions = ["value:4", "value:3", "bid:1", "bid:2", "winner:1"]
    for cut, player in itertools.product(range(len(actions) + 1), (0, 1)):
        history = observation_history(game, actions[:cut], player)
        if not history:
            continue
        samples = [game.resample_history(history, player) for _ in range(300)]
        assert all(observation_history(game, sampled, player) == history for sampled in samples)
        hidden = {tuple(sampled[:3:2]) if player == 1 else sampled[1] for sampled in samples}
        assert len(hidden) == (15 if player == 1 else 5)  # (value, bid) pairs with bid < value; values
