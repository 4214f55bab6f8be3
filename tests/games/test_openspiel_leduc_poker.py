"""Leduc Poker against OpenSpiel's `leduc_poker` (cards Js..Kh are 0..5; fold, call, raise are 0, 1, 2)."""

import pytest

from tests.games.lockstep import InfoStateRecorder, lockstep

pytestmark = pytest.mark.openspiel

DECK = ("Js", "Jh", "Qs", "Qh", "Ks", "Kh")
ACTIONS = ("fold", "call", "raise")


def to_openspiel(action: str, state: dict) -> int:
    if action.startswith("deal:"):
        return DECK.index(action.removeprefix("deal:"))
    return ACTIONS.index(action)


def test_lockstep_with_openspiel():
    recorder = InfoStateRecorder()
    assert lockstep("leduc_poker", to_openspiel, num_games=500, seed=1, on_state=recorder) > 500 * 6
    recorder.check()
