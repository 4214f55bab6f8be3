"""Generalized Tic-Tac-Toe against OpenSpiel's `mnk` game (6x6, four in a row); cells are row * 6 + col."""

import pytest

from tests.games.lockstep import lockstep

pytestmark = pytest.mark.openspiel


def to_openspiel(action: str, state: dict) -> int:
    row, col = map(int, action.split(","))
    return row * 6 + col


def test_lockstep_with_openspiel():
    assert lockstep("gen_tic_tac_toe", to_openspiel, num_games=300, seed=3) > 300 * 7
