"""Hand of War: ties and the pot, the end of the piles, hidden cards and the history sampler."""

from __future__ import annotations

import itertools
import random
from collections import Counter

import pytest

from gamecwm.api import TERMINAL, observation_history, replay
from gamecwm.games import get_pack

# The rules' example: player 0's pile, then player 1's, top card first.
EXAMPLE_DEAL = "As Kh Qd Jc Ah Ks Qs Jd Kd Ad Jh Qh Ac Kc Qc Js".split()
EXAMPLE_PLAYS = "Kh Kd As Jh Ah Ad Ks Ac".split()


@pytest.fixture(scope="module")
def game():
    return get_pack("hand_of_war").reference


def _actions(deal: list[str], plays: list[str]) -> list[str]:
    return [f"deal:{card}" for card in deal] + [f"play:{card}" for card in plays]


def test_a_tie_burns_a_card_each_and_the_next_winner_takes_the_pot(game):
    tie = replay(game, _actions(EXAMPLE_DEAL, EXAMPLE_PLAYS[:2]))
    obs = game.get_observations(tie)[0]
    assert obs["pot_size"] == 4 and obs["pile_sizes"] == [3, 3] and obs["win_pile_sizes"] == [0, 0]
    assert obs["my_draws"] == ["As", "Kh", "Qd", "Ah"]  # Jc was burned unseen
    won = replay(game, _actions(EXAMPLE_DEAL, EXAMPLE_PLAYS[:4]))
    assert game.get_observations(won)[1]["win_pile_sizes"] == [6, 0]


def test_the_game_ends_when_the_piles_cannot_refill_the_hands(game):
    state = replay(game, _actions(EXAMPLE_DEAL, EXAMPLE_PLAYS[:-1]))
    assert game.get_current_player(state) == 1
    state = game.apply_action(state, "play:Ac")
    assert game.get_current_player(state) == TERMINAL and game.get_rewards(state) == [0.0, 0.0]
    with pytest.raises(ValueError, match="play:Kc"):
        game.apply_action(state, "play:Kc")


def test_player_1_cannot_see_player_0s_card_until_the_battle_ends(game):
    deal = _actions(EXAMPLE_DEAL, [])
    first, second = replay(game, deal + ["play:As"]), replay(game, deal + ["play:Qd"])
    assert game.get_observations(first)[1] == game.get_observations(second)[1]
    assert game.get_observations(first)[0] != game.get_observations(second)[0]
    after = game.get_observations(replay(game, deal + ["play:As", "play:Jh"]))[1]
    assert after["battles"] == [["As", "Jh"]] and "Qd" not in str(after) and "Ah" not in str(after)


def _projection(actions: list[str], player: int, battles: int) -> tuple:
    """What a sampler decides besides shuffling unseen cards: the opponent's pile position of each card
    it played, plus, for player 1, the position of player 0's card in the current battle."""
    opponent = 1 - player
    pile = [a.removeprefix("deal:") for a in actions[8 * opponent : 8 * opponent + 8]]
    plays = [a.removeprefix("play:") for a in actions[16:]]
    played = plays[opponent::2][: battles + (player == 1)]
    return tuple(pile.index(card) for card in played)


def _consistent_projections(game, prefix: list[str], player: int) -> set[tuple]:
    """Every projection some deal consistent with the player's history has, by brute force: place the
    opponent's revealed cards (and a hidden current card) on any pile positions, fill the rest."""
    target = observation_history(game, prefix, player)
    battles = len(target[-1][0]["battles"])
    opponent = 1 - player
    dealt = [a.removeprefix("deal:") for a in prefix[:16]]
    own = dealt[8 * player : 8 * player + 8]
    played = [a.removeprefix("play:") for a in prefix[16:]][opponent::2][:battles]  # the revealed ones
    cards = played + (["?"] if player == 1 else [])
    found = set()
    for positions in itertools.permutations(range(8), len(cards)):
        pile = [None] * 8
        spare = iter(card for card in dealt if card not in own + played)
        for position, card in zip(positions, cards, strict=True):
            pile[position] = card
        pile = [card if card not in (None, "?") else next(spare) for card in pile]
        deal = [own, pile] if player == 0 else [pile, own]
        rest = prefix[16 : 16 + 2 * battles] + ([f"play:{pile[positions[-1]]}"] if player == 1 else [])
        own_last = prefix[len(prefix) - (target[-1][1] is not None) :]  # the player's own last action, if any
        candidate = _actions(deal[0] + deal[1], []) + rest + own_last
        try:
            if observation_history(game, candidate, player) == target:
                found.add(tuple(positions))
        except ValueError:  # a play of a card the opponent did not hold
            pass
    return found


@pytest.mark.parametrize(
    "plays, player",
    [
        (EXAMPLE_PLAYS[:6], 0),  # player 0 to play, after two ties
        (EXAMPLE_PLAYS[:5], 1),  # player 1 to play; player 0's current card is hidden
        (EXAMPLE_PLAYS[:4] + ["Qd", "Ad"], 1),  # ends right after player 1's own play
        (EXAMPLE_PLAYS[:3], 0),  # ends right after player 0's own play
    ],
)
def test_resample_history_is_uniform_over_the_information_set(game, plays, player):
    prefix = _actions(EXAMPLE_DEAL, plays)
    history = observation_history(game, prefix, player)
    battles = len(history[-1][0]["battles"])
    expected = _consistent_projections(game, prefix, player)
    random.seed(0)
    counts = Counter()
    for draw in range(100 * len(expected)):
        sampled = game.resample_history(history, player)
        if draw < 20:
            assert observation_history(game, sampled, player) == history
        counts[_projection(sampled, player, battles)] += 1
    assert set(counts) == expected
    assert all(abs(n - 100) < 50 for n in counts.values()), counts  # 100 expected, sd below 10
