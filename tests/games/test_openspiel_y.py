"""Y against OpenSpiel's `y` at board_size 10 (OpenSpiel has no swap rule for Y).

OpenSpiel's cell (x, y), written "<letter x><y + 1>", is our "row,col" with row = y and col = x;
its action id is x + 10 * y.
"""

import pytest

from tests.games.lockstep import lockstep, pyspiel, scenarios_end_alike

pytestmark = pytest.mark.openspiel


def to_openspiel(action: str, state: dict) -> int:
    row, col = map(int, action.split(","))
    return col + 10 * row


def test_action_strings_match_openspiel_cells():
    theirs = pyspiel.load_game("y", {"board_size": 10}).new_initial_state()
    assert [theirs.action_to_string(0, to_openspiel(a, {})) for a in ["0,0", "0,9", "3,2", "9,0"]] == [
        "a1",
        "j1",
        "c4",
        "a10",
    ]


def test_scenarios_end_alike_in_openspiel():
    scenarios_end_alike("y", to_openspiel)


def test_lockstep_with_openspiel():
    assert lockstep("y", to_openspiel, num_games=300, seed=1) > 300 * 20
