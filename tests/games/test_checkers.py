"""Checkers: kings move both ways, illegal actions are rejected, and the quiet-move counter."""

from __future__ import annotations

import pytest

from gamecwm.api import TERMINAL, replay
from gamecwm.games import get_pack

# Black's man jumps twice and is crowned on c1, which ends its turn.
CROWNED = ["a3b4", "b6c5", "e3d4", "c5xe3", "d2xf4", "f6g5", "c1d2", "g5xe3", "e3xc1"]


@pytest.fixture(scope="module")
def game():
    return get_pack("checkers").reference


def test_a_new_king_moves_and_captures_backwards(game):
    state = replay(game, CROWNED + ["b2a3"])
    assert state["board"][7][2] == "B"
    assert game.get_legal_actions(state)[-2:] == ["c1b2", "c1d2"]  # up-left and up-right for Black
    state = replay(game, CROWNED + ["g3h4"])
    assert game.get_legal_actions(state) == ["c1xa3"]  # the jump over b2 is mandatory


@pytest.mark.parametrize(
    "actions, action",
    [
        (["c3d4", "f6e5"], "a3b4"),  # a jump is available
        (["c3b4", "f6g5", "e3d4", "d6c5", "b4xd6", "c7xe5"], "g5f4"),  # another piece mid-jump
        ([], "c3b2"),  # men do not move backwards
        ([], "c3e5"),  # no piece to jump over
        ([], "pass"),
    ],
)
def test_illegal_actions_are_rejected(game, actions, action):
    state = replay(game, actions)
    assert action not in game.get_legal_actions(state)
    with pytest.raises(ValueError, match=action):
        game.apply_action(state, action)


def test_quiet_counter_counts_actions_and_resets_on_jumps(game):
    state = replay(game, ["c3d4", "f6e5"])
    assert state["quiet"] == 2
    assert replay(game, ["d4xf6"], state)["quiet"] == 0
    observation = game.get_observations(state)[1]
    assert observation["quiet"] == 2 and observation["jumper"] is None and observation["current_player"] == 0


def test_the_fortieth_quiet_action_ends_the_game_in_a_draw(game):
    state = dict(game.get_initial_state(), quiet=39)
    assert game.get_current_player(state) == 0
    state = game.apply_action(state, "c3d4")
    assert game.get_current_player(state) == TERMINAL and game.get_legal_actions(state) == []
    assert game.get_rewards(state) == [0.0, 0.0]
