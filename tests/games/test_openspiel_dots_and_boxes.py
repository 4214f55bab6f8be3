"""Dots and Boxes against OpenSpiel's `dots_and_boxes` on 3x3 boxes.

OpenSpiel numbers the 12 horizontal lines first (r * 3 + c), then the 12 vertical ones
(12 + r * 4 + c), and names them "P1(h,r,c)" / "P2(v,r,c)": the same lines as our "h,r,c" / "v,r,c".
"""

import pytest

from tests.games.lockstep import lockstep

pytestmark = pytest.mark.openspiel


def to_openspiel(action: str, state: dict) -> int:
    kind, row, col = action.split(",")
    if kind == "h":
        return int(row) * 3 + int(col)
    return 12 + int(row) * 4 + int(col)


def same_line_names(game, ours, theirs, actions):
    """Each of our legal lines maps to the OpenSpiel action of the same name."""
    if theirs.is_terminal():
        return
    player = theirs.current_player()
    for action in game.get_legal_actions(ours):
        assert theirs.action_to_string(player, to_openspiel(action, ours)) == f"P{player + 1}({action})"


def test_lockstep_with_openspiel():
    compared = lockstep("dots_and_boxes", to_openspiel, num_games=300, seed=1, on_state=same_line_names)
    assert compared == 300 * 25  # every game draws all 24 lines
