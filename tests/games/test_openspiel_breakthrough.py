"""Breakthrough against OpenSpiel's `breakthrough` on a 6x6 board.

OpenSpiel ranks an action as ((row * 6 + col) * 6 + direction) * 2 + capture, with row 0 the top
(rank 6), directions 0-2 for black (down-left, down, down-right) and 3-5 for white (up-left, up,
up-right), and capture 1 for a diagonal capture.
"""

import pytest

from tests.games.lockstep import lockstep, pyspiel, scenarios_end_alike

pytestmark = pytest.mark.openspiel

FILES = "abcdef"


def _coords(square: str) -> tuple[int, int]:
    return 6 - int(square[1]), FILES.index(square[0])


def to_openspiel(action: str, state: dict) -> int:
    (row, col), (_, to_col) = _coords(action[:2]), _coords(action[-2:])
    direction = 3 * state["player"] + (to_col - col + 1)
    return ((row * 6 + col) * 6 + direction) * 2 + ("x" in action)


def test_action_strings_match_openspiel_notation():
    theirs = pyspiel.load_game("breakthrough", {"rows": 6, "columns": 6}).new_initial_state()
    ours = {"player": 0}
    for action in ["a5a4", "b5c4", "f5e4"]:
        assert theirs.action_to_string(0, to_openspiel(action, ours)) == action
    assert theirs.action_to_string(0, to_openspiel("c3xd2", ours)) == "c3d2*"


def test_scenarios_end_alike_in_openspiel():
    scenarios_end_alike("breakthrough", to_openspiel)


def test_lockstep_with_openspiel():
    assert lockstep("breakthrough", to_openspiel, num_games=300, seed=1) > 300 * 20
