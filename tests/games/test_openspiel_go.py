"""9x9 Go against OpenSpiel's `go` (point actions are row * 9 + col with row 0 = rank 1; 81 = pass)."""

import pytest

from tests.games.lockstep import lockstep

pytestmark = pytest.mark.openspiel

FILES = "abcdefghj"  # no i, as in OpenSpiel's point names


def to_openspiel(action: str, state: dict) -> int:
    if action == "pass":
        return 81
    return (int(action[1:]) - 1) * 9 + FILES.index(action[0])


def test_lockstep_with_openspiel():
    # Random 9x9 games run up to the 162-action cap, so fewer games than for small boards.
    assert lockstep("go", to_openspiel, num_games=100, seed=1) > 100 * 50
