"""Leduc Poker against OpenSpiel's `leduc_poker` (cards Js..Kh are 0..5; fold, call, raise are 0, 1, 2)."""

import pytest

from tests.games.lockstep import InfoStateRecorder, deal_or_move, lockstep

pytestmark = pytest.mark.openspiel

DECK = ("Js", "Jh", "Qs", "Qh", "Ks", "Kh")
ACTIONS = ("fold", "call", "raise")


to_openspiel = deal_or_move(DECK, ACTIONS)


def test_lockstep_with_openspiel():
    recorder = InfoStateRecorder()
    assert lockstep("leduc_poker", to_openspiel, num_games=500, seed=1, on_state=recorder) > 500 * 6
    recorder.check()
