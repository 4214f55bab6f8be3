"""Havannah against OpenSpiel's `havannah` at board_size 4 without the swap rule.

OpenSpiel numbers the cell in column x (letter) and row y (number - 1) as x + 7 * y, and writes it
as our action string ("a1" is 0, "d4" is 24).
"""

import pytest

from gamecwm.games import get_pack
from tests.games.lockstep import lockstep, pyspiel

pytestmark = pytest.mark.openspiel


def to_openspiel(action: str, state: dict) -> int:
    return (ord(action[0]) - ord("a")) + 7 * (int(action[1:]) - 1)


def test_scenarios_end_alike_in_openspiel():
    pack = get_pack("havannah")
    game, spiel_game = pack.reference, pyspiel.load_game("havannah", pack.openspiel["params"])
    for scenario in pack.scenarios:
        ours, theirs = game.get_initial_state(), spiel_game.new_initial_state()
        for action in scenario.actions:
            theirs.apply_action(to_openspiel(action, ours))
            ours = game.apply_action(ours, action)
        assert theirs.is_terminal() == (game.get_legal_actions(ours) == []), scenario.name
        assert game.get_rewards(ours) == theirs.returns(), scenario.name


def test_lockstep_with_openspiel():
    assert lockstep("havannah", to_openspiel, num_games=300, seed=1) > 300 * 10
