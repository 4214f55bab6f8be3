"""Goofspiel against OpenSpiel's `goofspiel` (5 cards, random prize order, win/loss returns, imp_info).

OpenSpiel's goofspiel is a simultaneous-move game; `convert_to_turn_based` makes player 0 bid first
and player 1 bid without seeing it, as in ours. Prize cards and bid cards k are action ids k - 1.
With imp_info the information states show a player's own bids and who won each round, never the
opponent's bids.
"""

import pytest

from tests.games import lockstep as harness
from tests.games.lockstep import InfoStateRecorder, lockstep

pytestmark = pytest.mark.openspiel


def to_openspiel(action: str, state: dict) -> int:
    return int(action.split(":")[1]) - 1


def test_lockstep_with_openspiel(monkeypatch):
    pyspiel, load_game = harness.pyspiel, harness.pyspiel.load_game

    def load_turn_based(name, params):
        return pyspiel.convert_to_turn_based(load_game(name, params))

    monkeypatch.setattr(pyspiel, "load_game", load_turn_based)  # the harness loads the game by name
    recorder = InfoStateRecorder()
    assert lockstep("goofspiel", to_openspiel, num_games=400, seed=1, on_state=recorder) > 400 * 12
    recorder.check()
