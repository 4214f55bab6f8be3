"""Kuhn Poker: resample_history, over every history of the game, draws both cards the player cannot see."""

import itertools
import random

from gamecwm.api import TERMINAL, observation_history, replay
from gamecwm.games import get_pack

BETTING = [["pass", "pass"], ["bet", "bet"], ["bet", "pass"], ["pass", "bet", "bet"], ["pass", "bet", "pass"]]


def test_resample_history_covers_the_information_set_at_every_prefix():
    game = get_pack("kuhn_poker").reference
    random.seed(4)  # the reference samples with the module-level generator
    for cards, betting in itertools.product(itertools.permutations("JQK", 2), BETTING):
        actions = [f"deal:{card}" for card in cards] + betting
        assert game.get_current_player(replay(game, actions)) == TERMINAL
        for cut, player in itertools.product(range(len(actions) + 1), (0, 1)):
            history = observation_history(game, actions[:cut], player)
            if not history:
                continue
            samples = [game.resample_history(history, player) for _ in range(40)]
            assert all(observation_history(game, sampled, player) == history for sampled in samples)
            opponent_cards = {sampled[1 - player].removeprefix("deal:") for sampled in samples}
            assert opponent_cards == set("JQK") - {cards[player]}
