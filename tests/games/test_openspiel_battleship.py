"""Battleship against OpenSpiel's `battleship` on a 5x5 board with ships of lengths 2 and 3, 12 shots.

OpenSpiel's action ids: a shot at (r, c) is r * 5 + c; a placement with top-left corner (r, c) is
25 + r * 5 + c horizontally and 50 + r * 5 + c vertically (the ship's length is implied by the
order of placement). Its information states show a player's own placements, its shots with water,
hit or sunk, the opponent's shot cells and the move number, like our observations.
"""

import pytest

from tests.games.lockstep import InfoStateRecorder, lockstep

pytestmark = pytest.mark.openspiel

WIDTH = 5


def _cell_index(cell: str) -> int:
    row, col = map(int, cell.split(","))
    return row * WIDTH + col


def to_openspiel(action: str, state: dict) -> int:
    if action.startswith("shot:"):
        return _cell_index(action.removeprefix("shot:"))
    cell, direction = action.split("@")[1].split(":")
    return (25 if direction == "h" else 50) + _cell_index(cell)


def test_lockstep_with_openspiel():
    recorder = InfoStateRecorder()
    assert lockstep("battleship", to_openspiel, num_games=250, seed=1, on_state=recorder) > 250 * 15
    recorder.check()
