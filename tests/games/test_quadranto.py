"""Quadranto: board edges, catches, the move limit, hidden positions and the history sampler."""

from __future__ import annotations

import itertools
import random

import pytest

from gamecwm.api import TERMINAL, observation_history, replay
from gamecwm.games import get_pack

MOVES = ["Up", "Down", "Left", "Right", "Stay"]


@pytest.fixture(scope="module")
def game():
    return get_pack("quadranto").reference


@pytest.mark.parametrize(
    "start, legal",
    [
        ("0,0", ["Down", "Right", "Stay"]),
        ("0,1", ["Down", "Left", "Right", "Stay"]),
        ("1,1", MOVES),
    ],
)
def test_moves_off_the_board_are_illegal(game, start, legal):
    state = replay(game, [f"place_p0:{start}", "place_p1:3,3"])
    assert game.get_legal_actions(state) == legal
    for move in set(MOVES) - set(legal):
        with pytest.raises(ValueError, match=move):
            game.apply_action(state, move)


@pytest.mark.parametrize(
    "actions, rewards",
    [
        (["place_p0:1,1", "place_p1:2,2", "Down", "Left"], [-1.0, 1.0]),  # player 1 steps onto 2,1
        (["place_p0:1,1", "place_p1:2,2", "Down", "Stay", "Right"], [1.0, -1.0]),  # player 0 onto 2,2
    ],
)
def test_moving_onto_the_opponent_catches_it(game, actions, rewards):
    state = replay(game, actions)
    assert game.get_current_player(state) == TERMINAL and game.get_rewards(state) == rewards
    assert [obs["winner"] for obs in game.get_observations(state)] == [rewards.index(1.0)] * 2


def test_twenty_moves_without_a_catch_is_a_draw(game):
    state = replay(game, ["place_p0:0,0", "place_p1:3,3"] + ["Stay"] * 19)
    assert game.get_current_player(state) == 1
    state = game.apply_action(state, "Stay")
    assert game.get_current_player(state) == TERMINAL and game.get_rewards(state) == [0.0, 0.0]


def test_observations_show_only_the_opponents_quadrant(game):
    near = replay(game, ["place_p0:0,0", "place_p1:2,2", "Stay", "Up"])  # player 1 now on 1,2 (Q2)
    far = replay(game, ["place_p0:0,0", "place_p1:3,3", "Stay", "Up"])  # player 1 now on 2,3 (Q4)
    same = replay(game, ["place_p0:0,0", "place_p1:2,3", "Stay", "Up"])  # player 1 now on 1,3 (Q2)
    assert game.get_observations(near)[0] == game.get_observations(same)[0]
    assert game.get_observations(near)[0] != game.get_observations(far)[0]
    assert game.get_observations(near)[1] != game.get_observations(same)[1]
    obs = game.get_observations(near)[0]
    assert obs["opponent_quadrants"] == ["Q4", "Q2"] and "[1, 2]" not in str(obs)


def _consistent_histories(game, prefix, player):
    """Every action sequence that gives `player` the same observation history as `prefix`."""
    target = observation_history(game, prefix, player)
    opponent_starts = game.get_legal_actions(replay(game, prefix[: 1 - player]))
    opponent_moves = sum(t % 2 != player for t in range(len(prefix) - 2))
    found = set()
    for start, moves in itertools.product(opponent_starts, itertools.product(MOVES, repeat=opponent_moves)):
        actions = list(prefix[:2])
        actions[1 - player] = start
        mine, theirs = iter(prefix[2 + player :: 2]), iter(moves)
        actions += [next(mine) if t % 2 == player else next(theirs) for t in range(len(prefix) - 2)]
        try:
            if observation_history(game, actions, player) == target:
                found.add(tuple(actions))
        except ValueError:  # an opponent move off the board, or a move after the game ended
            pass
    return found


@pytest.mark.parametrize(
    "prefix, player",
    [
        (["place_p0:1,1", "place_p1:2,2", "Right", "Left", "Down", "Up", "Stay", "Stay"], 0),
        (["place_p0:1,1", "place_p1:2,2", "Stay", "Left", "Down"], 0),  # its last move may catch
        (["place_p0:1,0", "place_p1:3,3", "Right", "Up", "Right", "Left", "Stay"], 1),
        (["place_p0:1,0", "place_p1:3,3", "Right", "Up", "Right", "Left"], 1),  # ends on its move
    ],
)
def test_resample_history_draws_from_the_whole_information_set(game, prefix, player):
    history = observation_history(game, prefix, player)
    expected = _consistent_histories(game, prefix, player)
    random.seed(0)
    samples = {tuple(game.resample_history(history, player)) for _ in range(40 * len(expected))}
    assert samples == expected and len(samples) > 1
