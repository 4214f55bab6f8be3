"""Generalized Tic-Tac-Toe (6x6, four in a row): lines near the edges win, three in a row does not."""

import pytest

from gamecwm.api import TERMINAL, replay
from gamecwm.games import get_pack

GAME = get_pack("gen_tic_tac_toe").reference

# Cells of x's line; o answers along the free bottom-left cells that never make a line of its own.
O_REPLIES = ["5,0", "3,0", "5,1", "4,1"]


def play_x_line(cells):
    actions = [a for pair in zip(cells, O_REPLIES, strict=False) for a in pair][: 2 * len(cells) - 1]
    return replay(GAME, actions)


@pytest.mark.parametrize(
    "cells",
    [
        ["0,2", "0,3", "0,4", "0,5"],  # row at the top-right corner
        ["0,5", "1,5", "2,5", "3,5"],  # right-edge column
        ["2,2", "3,3", "4,4", "5,5"],  # down-right diagonal ending in the bottom-right corner
        ["0,2", "1,3", "2,4", "3,5"],  # down-right diagonal along the right edge
        ["0,5", "1,4", "2,3", "3,2"],  # down-left diagonal from the top-right corner
        ["2,5", "3,4", "4,3", "5,2"],  # down-left diagonal ending on the bottom edge
    ],
)
def test_four_in_a_line_wins(cells):
    state = play_x_line(cells)
    assert GAME.get_current_player(state) == TERMINAL
    assert GAME.get_rewards(state) == [1.0, -1.0]
    assert GAME.get_legal_actions(state) == []


def test_three_in_a_line_does_not_win():
    state = play_x_line(["0,3", "1,4", "2,5"])  # a down-right diagonal cut short by the edge
    assert GAME.get_current_player(state) == 1
    assert GAME.get_rewards(state) == [0.0, 0.0]
    assert len(GAME.get_legal_actions(state)) == 36 - 5


def test_lines_do_not_wrap_around_the_edge():
    state = play_x_line(["0,4", "0,5", "1,0", "1,1"])  # contiguous in row-major order only
    assert GAME.get_current_player(state) == 1
    assert GAME.get_rewards(state) == [0.0, 0.0]


def test_o_wins_on_a_down_left_diagonal():
    state = replay(GAME, ["0,0", "2,3", "0,1", "3,2", "0,4", "4,1", "5,5", "5,0"])
    assert GAME.get_current_player(state) == TERMINAL
    assert GAME.get_rewards(state) == [-1.0, 1.0]
