"""Blackjack: the dealer's house rule with soft aces, and the hole card the player's sampler must guess."""

import random

import pytest

from gamecwm.api import observation_history, replay
from gamecwm.games import get_pack


@pytest.fixture(scope="module")
def game():
    return get_pack("blackjack").reference


@pytest.mark.parametrize(
    "dealer_cards, legal",
    [
        (["Ah", "6s"], ["stand"]),  # soft 17 stands
        (["Ah", "5s"], ["hit"]),  # soft 16 hits
        (["Ah", "5s", "Kd"], ["hit"]),  # the ace now counts 1: hard 16 hits
        (["Ah", "Ad", "5s"], ["stand"]),  # one ace counts 11: 17
        (["9h", "7s", "Ad"], ["stand"]),  # hard 17
    ],
)
def test_dealer_hits_below_17_counting_one_ace_as_11_when_it_fits(game, dealer_cards, legal):
    actions = ["deal:Tc", "deal:8d", f"deal:{dealer_cards[0]}", f"deal:{dealer_cards[1]}", "stand"]
    for card in dealer_cards[2:]:
        actions += ["hit", f"deal:{card}"]
    assert game.get_legal_actions(replay(game, actions)) == legal


def test_player_samples_every_unseen_hole_card_and_the_dealer_knows_its_history(game):
    random.seed(6)  # the reference samples with the module-level generator
    actions = ["deal:Tc", "deal:6d", "deal:9h", "deal:7s", "hit", "deal:4c", "stand", "hit", "deal:Ad"]
    player_history = observation_history(game, actions, 0)
    samples = [game.resample_history(player_history, 0) for _ in range(600)]
    assert all(observation_history(game, sampled, 0) == player_history for sampled in samples)
    seen = {"deal:Tc", "deal:6d", "deal:7s", "deal:4c"}
    assert {sampled[2] for sampled in samples} == {f"deal:{card}" for card in game.DECK} - seen
    dealer_history = observation_history(game, actions, 1)
    assert game.resample_history(dealer_history, 1) == actions  # the dealer now has to stand
