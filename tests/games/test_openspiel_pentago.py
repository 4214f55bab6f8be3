"""Pentago against OpenSpiel's `pentago`.

OpenSpiel's action id is (row * 6 + col) * 8 + twist, where twist = 2 * quadrant + (1 if clockwise),
with its quadrants numbered clockwise from the top-left: 0 = TL, 1 = TR, 2 = BR, 3 = BL.
"""

import pytest

from tests.games.lockstep import lockstep

pytestmark = pytest.mark.openspiel

OPENSPIEL_QUADRANT = {"TL": 0, "TR": 1, "BR": 2, "BL": 3}


def to_openspiel(action: str, state: dict) -> int:
    row, col, quadrant, direction = action.split(",")
    twist = 2 * OPENSPIEL_QUADRANT[quadrant] + (direction == "cw")
    return (int(row) * 6 + int(col)) * 8 + twist


def same_board(game, ours, theirs, actions):
    """Our board matches OpenSpiel's printout (its "O" is our "x", its "@" our "o")."""
    rows = [line[4:15].replace(" ", "") for line in str(theirs).splitlines()[2:8]]
    expected = ["".join(row).replace("x", "O").replace("o", "@") for row in ours["board"]]
    assert rows == expected, f"after {actions}: ours {expected}, OpenSpiel {rows}"


def test_lockstep_with_openspiel():
    assert lockstep("pentago", to_openspiel, num_games=300, seed=1, on_state=same_board) > 300 * 10
