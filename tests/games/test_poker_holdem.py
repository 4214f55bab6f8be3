"""Limit hold'em: hand-ranking edge cases at the showdown, and the history sampler's hidden cards."""

import random

import pytest

from gamecwm.api import observation_history, replay
from gamecwm.games import get_pack

GAME = get_pack("poker_holdem").reference


def showdown(hole0: str, hole1: str, board: str) -> list[float]:
    """Rewards of a checked-down game (10 chips each) with these cards, e.g. "AhKd", "2c2d", "As7c5h3d2s"."""
    cards = hole0 + hole1 + board
    deal = [f"deal:{cards[i : i + 2]}" for i in range(0, len(cards), 2)]
    checks = ["call", "call"]
    actions = deal[:4] + checks + deal[4:7] + checks + deal[7:8] + checks + deal[8:] + checks
    return GAME.get_rewards(replay(GAME, actions))


@pytest.mark.parametrize(
    "hole0, hole1, board, rewards",
    [
        ("AhKd", "AcQd", "As7c5h3d2s", [10.0, -10.0]),  # pair of aces: the king kicker wins
        ("KhQd", "Jc9s", "KsKc7h7d2s", [10.0, -10.0]),  # kings full beats two pair
        ("AhAd", "6h6d", "6sAcKhKd2s", [10.0, -10.0]),  # two sets of three: aces full beats sixes full
        ("7c7d", "6c3d", "9h9d8c8s2s", [10.0, -10.0]),  # three pairs: the third pair's seven is the kicker
        ("Jc9d", "Ah2c", "KhQsTh9h8h", [-10.0, 10.0]),  # a flush beats a straight
        ("9h8h", "QcQd", "7h6h5hQhQs", [10.0, -10.0]),  # a straight flush beats four of a kind
        ("Ac7d", "6c2d", "5h4s3c2sKd", [-10.0, 10.0]),  # the wheel A-2-3-4-5 loses to 2-3-4-5-6
        ("Ah2d", "9c4d", "KsQh3c9d8s", [-10.0, 10.0]),  # Q-K-A-2-3 does not wrap: a pair of nines wins
        ("2d3c", "4d5c", "AhKhQhJhTh", [0.0, 0.0]),  # a royal flush on the board: split pot
    ],
)
def test_showdowns_rank_hands(hole0, hole1, board, rewards):
    assert showdown(hole0, hole1, board) == rewards


def test_resample_history_draws_every_unseen_opponent_card_and_flop_order():
    random.seed(7)  # the reference samples with the module-level generator
    actions = ["deal:As", "deal:Kd", "deal:7c", "deal:2h", "call", "call"]
    actions += ["deal:9h", "deal:Tc", "deal:3s", "call"]
    history = observation_history(GAME, actions, 1)
    seen = {"7c", "2h", "9h", "Tc", "3s"}
    opponent_cards, flop_orders = set(), set()
    for _ in range(600):
        sampled = GAME.resample_history(history, 1)
        assert observation_history(GAME, sampled, 1) == history
        opponent_cards.update(a.removeprefix("deal:") for a in sampled[:2])
        flop_orders.add(tuple(sampled[6:9]))
    assert opponent_cards == set(GAME.DECK) - seen
    assert len(flop_orders) == 6
