"""Iterated Prisoner's Dilemma against OpenSpiel's `matrix_pd` repeated 5 times (`repeated_game`), played
turn by turn through `turn_based_simultaneous_game` (cooperate is 0, defect is 1 for both players)."""

import itertools

import pytest

from gamecwm.api import replay
from gamecwm.games import get_pack
from tests.games.lockstep import InfoStateRecorder, lockstep, pyspiel

pytestmark = pytest.mark.openspiel

CHOICES = ("cooperate", "defect")


def to_openspiel(action: str, state: dict) -> int:
    return CHOICES.index(action)


def test_lockstep_with_openspiel():
    recorder = InfoStateRecorder()
    assert lockstep("prisoners_dilemma", to_openspiel, num_games=300, seed=1, on_state=recorder) == 300 * 11
    recorder.check()


@pytest.mark.parametrize("first, second", list(itertools.product(CHOICES, CHOICES)))
def test_five_equal_rounds_pay_five_times_the_matrix_game(first, second):
    game = get_pack("prisoners_dilemma").reference
    matrix = pyspiel.load_game("matrix_pd").new_initial_state()
    matrix.apply_actions([CHOICES.index(first), CHOICES.index(second)])
    assert game.get_rewards(replay(game, [first, second] * 5)) == [5 * r for r in matrix.returns()]


def test_player_1_sees_past_rounds_but_not_the_current_choice():
    game = get_pack("prisoners_dilemma").reference
    seen = [game.get_observations(replay(game, ["defect", "cooperate", choice]))[1] for choice in CHOICES]
    assert seen[0] == seen[1] and seen[0]["rounds"] == [["defect", "cooperate"]]
