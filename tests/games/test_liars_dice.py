"""Liar's Dice: the bidding never rules out a face, so resample_history draws all six opponent dice."""

import random

from gamecwm.api import observation_history, replay
from gamecwm.games import get_pack


def test_resample_history_draws_every_opponent_die():
    game = get_pack("liars_dice").reference
    random.seed(6)  # the reference samples with the module-level generator
    actions = ["roll:2", "roll:5", "bid:1-2", "bid:1-6", "bid:2-2"]
    for cut, player in ((3, 1), (4, 0), (5, 1)):
        history = observation_history(game, actions[:cut], player)
        draws = [game.resample_history(history, player) for _ in range(100)]
        assert all(observation_history(game, sampled, player) == history for sampled in draws)
        assert {replay(game, sampled)["dice"][1 - player] for sampled in draws} == {1, 2, 3, 4, 5, 6}
        assert {replay(game, sampled)["dice"][player] for sampled in draws} == {int(actions[player][-1])}
