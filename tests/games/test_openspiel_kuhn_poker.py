"""Kuhn Poker against OpenSpiel's `kuhn_poker` (cards J, Q, K are 0, 1, 2; pass is 0, bet is 1)."""

import pytest

from tests.games.lockstep import InfoStateRecorder, deal_or_move, lockstep

pytestmark = pytest.mark.openspiel

CARDS = ("J", "Q", "K")
ACTIONS = ("pass", "bet")


to_openspiel = deal_or_move(CARDS, ACTIONS)


def test_lockstep_with_openspiel():
    recorder = InfoStateRecorder()
    assert lockstep("kuhn_poker", to_openspiel, num_games=300, seed=1, on_state=recorder) > 300 * 4
    recorder.check()
