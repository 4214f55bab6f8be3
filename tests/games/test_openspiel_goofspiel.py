"""Goofspiel against OpenSpiel's `goofspiel` (5 cards, random prize order, win/loss returns, imp_info).

OpenSpiel's goofspiel is a simultaneous-move game; `convert_to_turn_based` makes player 0 bid first
and player 1 bid without seeing it, as in ours. Prize cards and bid cards k are action ids k - 1.
With imp_info the information states show a player's own bids and who won each round, never the
opponent's bids.
"""

import pytest

from gamecwm.games import get_pack
from tests.games.lockstep import InfoStateRecorder, lockstep, pyspiel

pytestmark = pytest.mark.openspiel


def to_openspiel(action: str, state: dict) -> int:
    return int(action.split(":")[1]) - 1


def test_lockstep_with_openspiel():
    twin = get_pack("goofspiel").openspiel
    turn_based = pyspiel.convert_to_turn_based(pyspiel.load_game(twin["name"], twin["params"]))
    recorder = InfoStateRecorder()
    assert (
        lockstep("goofspiel", to_openspiel, num_games=400, seed=1, on_state=recorder, spiel_game=turn_based) > 400 * 12
    )
    recorder.check()
