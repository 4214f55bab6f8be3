"""Connect Four against OpenSpiel's `connect_four` (actions are column indices 0-6)."""

import pytest

from tests.games.lockstep import lockstep

pytestmark = pytest.mark.openspiel


def to_openspiel(action: str, state: dict) -> int:
    return int(action)


def test_lockstep_with_openspiel():
    assert lockstep("connect4", to_openspiel, num_games=300, seed=1) > 300 * 7
