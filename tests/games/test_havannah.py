"""Havannah: rings of several shapes win, clumps that encircle no cell do not."""

import pytest

from gamecwm.api import TERMINAL, replay
from gamecwm.games import get_pack

GAME = get_pack("havannah").reference

# o's replies: scattered cells that never make a structure of their own.
O_REPLIES = ["a1", "g7", "d1", "f7", "a4", "e7", "b1", "g5"]


def play_x(cells):
    """x plays `cells` in order while o answers from O_REPLIES."""
    replies = [c for c in O_REPLIES if c not in cells]
    actions = [a for pair in zip(cells, replies, strict=False) for a in pair][: 2 * len(cells) - 1]
    return replay(GAME, actions)


@pytest.mark.parametrize(
    "cells",
    [
        ["c3", "d3", "e4", "e5", "d5", "c4"],  # six stones around d4
        ["c3", "d3", "e4", "f5", "f6", "e6", "d5", "c4"],  # eight stones around d4 and e5
        ["b2", "c3", "c4", "b4", "a3", "a2"],  # a ring along the left border, around b3
    ],
)
def test_a_ring_wins(cells):
    state = play_x(cells)
    assert GAME.get_current_player(state) == TERMINAL
    assert GAME.get_rewards(state) == [1.0, -1.0]


@pytest.mark.parametrize(
    "cells",
    [
        ["c3", "d3", "d4"],  # three mutually adjacent stones
        ["c3", "d3", "c4", "d4", "e4", "d5"],  # a solid clump: d4's sixth neighbour e5 is open
        ["c3", "d3", "e4", "e5", "d5"],  # five of the six stones around d4
    ],
)
def test_a_clump_without_an_encircled_cell_is_no_ring(cells):
    state = play_x(cells)
    assert GAME.get_current_player(state) == 1
    assert GAME.get_rewards(state) == [0.0, 0.0]
