"""First-price auction against OpenSpiel's `first_sealed_auction` (2 players, max_value 5): values, bids
and the winner chosen by chance are OpenSpiel's action ids themselves ("value:3" is 3, "winner:1" is 1)."""

import pytest

from tests.games.lockstep import InfoStateRecorder, lockstep

pytestmark = pytest.mark.openspiel


def to_openspiel(action: str, state: dict) -> int:
    return int(action.split(":")[1])


def test_lockstep_with_openspiel():
    recorder = InfoStateRecorder()
    assert lockstep("first_price_auction", to_openspiel, num_games=400, seed=1, on_state=recorder) == 400 * 6
    recorder.check()
