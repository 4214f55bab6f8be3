"""Converge: stunning, forced passes, the legal action order and the turn limit."""

from __future__ import annotations

import pytest

from gamecwm.api import TERMINAL, replay
from gamecwm.games import get_pack


def move(origin: str, destination: str) -> str:
    return f"move ({origin}) to ({destination})"


# Player 0 ends next to player 1's unit on 3,1 with its third move, stunning it.
STUN = [move("0,0", "1,0"), move("4,0", "3,1"), move("1,0", "2,1")]
# Player 1's sixth move ends next to both of player 0's units, which leaves player 0 only "pass".
FORCED_PASS = [
    move("0,0", "1,0"), move("4,4", "3,3"), move("0,4", "0,3"),
    move("3,3", "2,3"), move("1,0", "0,1"), move("2,3", "1,2"),
]  # fmt: skip


@pytest.fixture(scope="module")
def game():
    return get_pack("converge").reference


def test_a_move_stuns_enemy_units_next_to_its_destination_for_one_turn(game):
    state = replay(game, STUN)
    assert [obs["stunned"] for obs in game.get_observations(state)] == [[[3, 1]], [[3, 1]]]
    assert game.get_legal_actions(state) == [move("4,4", "3,3"), move("4,4", "3,4"), move("4,4", "4,3")]
    with pytest.raises(ValueError, match=r"move \(3,1\) to \(2,2\)"):
        game.apply_action(state, move("3,1", "2,2"))
    state = replay(game, [move("4,4", "4,3"), move("0,4", "0,3")], state)
    assert game.get_observations(state)[1]["stunned"] == []
    assert move("3,1", "2,2") in game.get_legal_actions(state)


def test_own_units_and_units_next_to_the_origin_are_not_stunned(game):
    # Player 0's unit leaves 2,1 (next to player 1's 3,1) for 1,1, next to its own unit on 0,1 only.
    state = replay(game, [move("0,0", "0,1"), move("4,0", "3,1"), move("0,4", "1,3"),
                          move("4,4", "4,3"), move("0,1", "1,2")])  # fmt: skip
    assert game.get_observations(state)[1]["stunned"] == []
    assert move("3,1", "2,2") in game.get_legal_actions(state)


def test_pass_is_forced_and_the_stun_wears_off_after_it(game):
    state = replay(game, FORCED_PASS)
    assert game.get_legal_actions(state) == ["pass"]
    assert game.get_observations(state)[0]["stunned"] == [[0, 1], [0, 3]]
    state = replay(game, ["pass", move("4,0", "3,0")], state)  # player 1 moves away from 0,1 and 0,3
    legal = game.get_legal_actions(state)
    assert move("0,1", "0,0") in legal and move("0,3", "0,4") in legal and "pass" not in legal


def test_legal_moves_are_sorted_by_origin_then_destination(game):
    legal = game.get_legal_actions(game.get_initial_state())
    assert legal == [
        move("0,0", "0,1"), move("0,0", "1,0"), move("0,0", "1,1"),
        move("0,4", "0,3"), move("0,4", "1,3"), move("0,4", "1,4"),
    ]  # fmt: skip


def test_the_fiftieth_turn_can_still_win(game):
    shuffle = [move("0,0", "0,1"), move("4,0", "4,1"), move("0,1", "0,0"), move("4,1", "4,0")] * 12
    state = replay(game, shuffle[:46] + [move("0,1", "0,0"), move("4,4", "3,3"), move("0,0", "0,1")])
    assert game.get_observations(state)[1]["turns"] == 49
    won = game.apply_action(state, move("3,3", "2,2"))
    assert game.get_current_player(won) == TERMINAL and game.get_rewards(won) == [-1.0, 1.0]
    drawn = game.apply_action(state, move("3,3", "3,2"))
    assert game.get_current_player(drawn) == TERMINAL and game.get_rewards(drawn) == [0.0, 0.0]
