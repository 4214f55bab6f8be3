"""Blackjack against OpenSpiel's one-player `blackjack` (card id = suit * 13 + rank with suits c, d, h, s
and ranks A..K; hit is 0, stand is 1).

Our player 0 is OpenSpiel's player and our chance deals are its chance outcomes. OpenSpiel's dealer
plays automatically, so the shared two-player `lockstep` does not apply: this loop steps over our
dealer's forced turns (player 1), checking that a forced "hit" faces an OpenSpiel chance node and a
forced "stand" a terminal state, and compares the player's information states with our observations.
"""

import json
import random
from collections import defaultdict

import pytest

from gamecwm.api import CHANCE, TERMINAL
from gamecwm.games import get_pack
from tests.games.lockstep import pyspiel

pytestmark = pytest.mark.openspiel

RANKS, SUITS = "A23456789TJQK", "cdhs"
ACTIONS = ("hit", "stand")
PLAYER, DEALER = 0, 1


def to_openspiel(action: str) -> int:
    if action.startswith("deal:"):
        rank, suit = action.removeprefix("deal:")
        return SUITS.index(suit) * len(RANKS) + RANKS.index(rank)
    return ACTIONS.index(action)


def test_lockstep_with_openspiel():
    game, spiel_game, rng = get_pack("blackjack").reference, pyspiel.load_game("blackjack"), random.Random(1)
    ours_by_theirs, theirs_by_ours = defaultdict(set), defaultdict(set)
    for index in range(300):
        ours, theirs, actions = game.get_initial_state(), spiel_game.new_initial_state(), []
        while True:
            where = f"game {index}, after {actions}"
            player, legal = game.get_current_player(ours), game.get_legal_actions(ours)
            if player == DEALER:
                assert legal in (["hit"], ["stand"]), where
                assert theirs.is_chance_node() if legal == ["hit"] else theirs.is_terminal(), where
                ours = game.apply_action(ours, legal[0])
                actions.append(legal[0])
                continue
            if theirs.is_terminal():
                assert player == TERMINAL and legal == [], where
                assert game.get_rewards(ours) == [theirs.returns()[0], -theirs.returns()[0]], where
                break
            assert player == (CHANCE if theirs.is_chance_node() else theirs.current_player()), where
            assert sorted(to_openspiel(a) for a in legal) == sorted(theirs.legal_actions()), where
            assert game.get_rewards(ours) == [0.0, 0.0], where
            if player == CHANCE:
                uniform = [1 / len(legal)] * len(legal)
                assert [p for _, p in theirs.chance_outcomes()] == pytest.approx(uniform), where
            else:
                observation = json.dumps(game.get_observations(ours)[PLAYER], sort_keys=True)
                ours_by_theirs[theirs.information_state_string(PLAYER)].add(observation)
                theirs_by_ours[observation].add(theirs.information_state_string(PLAYER))
            action = rng.choice(legal)
            theirs.apply_action(to_openspiel(action))
            ours = game.apply_action(ours, action)
            actions.append(action)
    assert len(ours_by_theirs) > 300
    assert all(len(seen) == 1 for seen in ours_by_theirs.values())
    assert all(len(seen) == 1 for seen in theirs_by_ours.values())
