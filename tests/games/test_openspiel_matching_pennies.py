"""Matching Pennies against OpenSpiel's `matrix_mp`, played turn by turn through
`turn_based_simultaneous_game` (heads is 0, tails is 1 for both players)."""

import itertools

import pytest

from gamecwm.api import replay
from gamecwm.games import get_pack
from tests.games.lockstep import InfoStateRecorder, lockstep, pyspiel

pytestmark = pytest.mark.openspiel

CHOICES = ("heads", "tails")


def to_openspiel(action: str, state: dict) -> int:
    return CHOICES.index(action)


def test_lockstep_with_openspiel():
    recorder = InfoStateRecorder()
    assert lockstep("matching_pennies", to_openspiel, num_games=200, seed=1, on_state=recorder) == 200 * 3
    recorder.check()


@pytest.mark.parametrize("first, second", list(itertools.product(CHOICES, CHOICES)))
def test_returns_match_the_simultaneous_matrix_game(first, second):
    game = get_pack("matching_pennies").reference
    matrix = pyspiel.load_game("matrix_mp").new_initial_state()
    matrix.apply_actions([CHOICES.index(first), CHOICES.index(second)])
    assert game.get_rewards(replay(game, [first, second])) == list(matrix.returns())


def test_player_1_cannot_see_player_0s_coin():
    game = get_pack("matching_pennies").reference
    seen = {repr(game.get_observations(replay(game, [choice]))[1]) for choice in CHOICES}
    assert len(seen) == 1
