"""Tic-Tac-Toe against OpenSpiel's `tic_tac_toe` (actions are cell indices row * 3 + col)."""

import pytest

from tests.games.lockstep import lockstep

pytestmark = pytest.mark.openspiel


def to_openspiel(action: str, state: dict) -> int:
    row, col = map(int, action.split(","))
    return row * 3 + col


def test_lockstep_with_openspiel():
    assert lockstep("tic_tac_toe", to_openspiel, num_games=300, seed=1) > 300 * 5
