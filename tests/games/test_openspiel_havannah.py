"""Havannah against OpenSpiel's `havannah` at board_size 4 without the swap rule.

OpenSpiel numbers the cell in column x (letter) and row y (number - 1) as x + 7 * y, and writes it
as our action string ("a1" is 0, "d4" is 24).
"""

import pytest

from tests.games.lockstep import lockstep, scenarios_end_alike

pytestmark = pytest.mark.openspiel


def to_openspiel(action: str, state: dict) -> int:
    return (ord(action[0]) - ord("a")) + 7 * (int(action[1:]) - 1)


def test_scenarios_end_alike_in_openspiel():
    scenarios_end_alike("havannah", to_openspiel)


def test_lockstep_with_openspiel():
    assert lockstep("havannah", to_openspiel, num_games=300, seed=1) > 300 * 10
