"""Limit hold'em against OpenSpiel's `universal_poker` set up as heads-up limit hold'em.

OpenSpiel numbers the cards rank * 4 + suit (2c 2d 2h 2s 3c ... As, our deck order) and the
player actions fold, call, raise as 0, 1, 2 ("Fold", "Call", "Bet").
"""

import random

import pytest

from gamecwm.api import replay
from gamecwm.games import get_pack
from tests.games.lockstep import InfoStateRecorder, deal_or_move, lockstep, pyspiel

pytestmark = pytest.mark.openspiel

RANKS, SUITS = "23456789TJQKA", "cdhs"
DECK = [rank + suit for rank in RANKS for suit in SUITS]
ACTIONS = ("fold", "call", "raise")


to_openspiel = deal_or_move(DECK, ACTIONS)


def test_lockstep_with_openspiel():
    recorder = InfoStateRecorder()
    assert lockstep("poker_holdem", to_openspiel, num_games=300, seed=1, on_state=recorder) > 300 * 8
    recorder.check()


def test_showdowns_rank_hands_like_openspiel():
    """Check-down games with random cards: every one ends at a showdown, so the hand ranking decides."""
    pack = get_pack("poker_holdem")
    game, rng = pack.reference, random.Random(4)
    spiel_game = pyspiel.load_game(pack.openspiel["name"], pack.openspiel["params"])
    for _ in range(1000):
        cards = [f"deal:{card}" for card in rng.sample(DECK, 9)]
        actions = cards[:4] + ["call"] * 2 + cards[4:7] + ["call"] * 2 + cards[7:8] + ["call"] * 2
        actions += cards[8:] + ["call"] * 2
        theirs = spiel_game.new_initial_state()
        for action in actions:
            theirs.apply_action(to_openspiel(action, {}))
        assert theirs.is_terminal()
        assert game.get_rewards(replay(game, actions)) == theirs.returns(), actions
