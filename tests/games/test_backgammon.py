"""Backgammon: the opening roll, move orders, doubles and the turn limit."""

from __future__ import annotations

import pytest

from gamecwm.api import CHANCE, TERMINAL, replay
from gamecwm.games import get_pack


@pytest.fixture(scope="module")
def game():
    return get_pack("backgammon").reference


@pytest.mark.parametrize("roll, starter", [("roll:1-3", 1), ("roll:6-5", 0)])
def test_the_higher_opening_die_starts_with_both_dice(game, roll, starter):
    state = replay(game, [roll])
    assert game.get_current_player(state) == starter
    assert game.get_observations(state)[0]["dice"] == sorted(int(d) for d in roll[5::2])


def test_both_orders_of_the_same_moves_are_distinct_actions_with_one_result(game):
    one, other = replay(game, ["roll:3-1", "8/5 6/5"]), replay(game, ["roll:3-1", "6/5 8/5"])
    assert one == other and game.get_current_player(one) == CHANCE
    assert game.get_observations(one)[1]["checkers"][0][5] == 2


def test_a_double_is_two_actions_and_counts_as_one_turn(game):
    state = replay(game, ["roll:3-1", "8/5 6/5", "roll:2-2", "13/11 13/11"])
    assert game.get_current_player(state) == 1 and state["turns"] == 2
    state = game.apply_action(state, "6/4 6/4")
    assert game.get_current_player(state) == CHANCE and state["turns"] == 2
    with pytest.raises(ValueError, match="roll:1-1"):
        game.apply_action(replay(game, []), "roll:1-1")


def test_the_game_is_a_draw_when_the_counter_reaches_160(game):
    pack = get_pack("backgammon")
    actions = next(s.actions for s in pack.scenarios if "160" in s.name)
    before = replay(game, actions[:-1])
    assert game.get_current_player(before) in (0, 1) and game.get_observations(before)[0]["turns"] == 159
    after = game.apply_action(before, actions[-1])
    assert game.get_current_player(after) == TERMINAL and game.get_rewards(after) == [0.0, 0.0]
