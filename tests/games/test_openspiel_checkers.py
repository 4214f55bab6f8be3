"""Checkers against OpenSpiel's `checkers` (8x8).

OpenSpiel names a move "c3d4" and a jump "c3e5" (ours: "c3xe5"); its action id encodes the starting
square, the direction and whether the action is a jump. The first test checks the id formula against
OpenSpiel's own action names.
"""

import pytest

from tests.games.lockstep import lockstep

pyspiel = pytest.importorskip("pyspiel")
pytestmark = pytest.mark.openspiel

_GAME = pyspiel.load_game("checkers", {"rows": 8, "columns": 8})
_DIRECTIONS = ((-1, -1), (-1, 1), (1, 1), (1, -1))  # up-left, up-right, down-right, down-left


def to_openspiel(action: str, state: dict) -> int:
    # OpenSpiel's id is ((row * 8 + col) * 4 + direction) * 2 + is_jump, with row 0 = rank 8.
    start, end = action[:2], action[-2:]
    row, col = 8 - int(start[1]), "abcdefgh".index(start[0])
    d_row = (8 - int(end[1]) - row) // abs(8 - int(end[1]) - row)
    d_col = ("abcdefgh".index(end[0]) - col) // abs("abcdefgh".index(end[0]) - col)
    direction = _DIRECTIONS.index((d_row, d_col))
    return ((row * 8 + col) * 4 + direction) * 2 + ("x" in action)


def test_action_ids_match_openspiel_names():
    state = _GAME.new_initial_state()
    for action in state.legal_actions():
        assert to_openspiel(state.action_to_string(action), {}) == action
    state.apply_action(to_openspiel("c3d4", {}))
    state.apply_action(to_openspiel("f6e5", {}))
    assert [state.action_to_string(a) for a in state.legal_actions()] == ["d4f6"]
    assert state.legal_actions() == [to_openspiel("d4xf6", {})]


def test_lockstep_with_openspiel():
    assert lockstep("checkers", to_openspiel, num_games=300, seed=1) > 300 * 30
