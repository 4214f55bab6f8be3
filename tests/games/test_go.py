"""Go: illegal placements are rejected, captures remove whole chains, and repetition ends the game."""

from __future__ import annotations

import pytest

from gamecwm.api import TERMINAL, replay
from gamecwm.games import get_pack

KO = ["c3", "d3", "b2", "e2", "c1", "d1", "j9", "c2", "d2"]


@pytest.fixture(scope="module")
def game():
    return get_pack("go").reference


@pytest.mark.parametrize(
    "actions, action",
    [
        (["b1", "a1", "a2"], "a1"),  # suicide for White
        (["e5"], "e5"),  # occupied
        (KO, "c2"),  # ko point
        ([], "i5"),  # no file i
        (["pass", "pass"], "pass"),  # game over
    ],
)
def test_illegal_actions_are_rejected(game, actions, action):
    state = replay(game, actions)
    assert action not in game.get_legal_actions(state)
    with pytest.raises(ValueError, match=action):
        game.apply_action(state, action)


def test_a_capture_removes_the_whole_chain_and_sets_no_ko(game):
    # White's two stones a1, b1 lose their last liberty when Black plays c1.
    state = replay(game, ["a2", "a1", "b2", "b1", "c1"])
    assert state["board"][:3] == "..X" and state["ko"] is None
    assert "a1" in game.get_legal_actions(state)


def test_regions_touching_both_colours_count_for_nobody(game):
    state = replay(game, ["e5", "d5", "pass", "pass"])
    assert game.get_current_player(state) == TERMINAL
    assert game.get_rewards(state) == [-1.0, 1.0]  # 1 - 1 - 7.5 < 0: White wins on komi


def test_recreating_a_position_is_a_draw_but_a_pass_is_not(game):
    cycle = ["b2", "d3", "c3", "e2", "c1", "d1", "g9", "e8", "h8", "f9", "g7", "f7", "f8", "c2"]
    cycle += ["d2", "g8", "pass", "c2"]
    state = replay(game, cycle)
    assert game.get_current_player(state) == 0 and not state["repeated"]
    final = game.apply_action(state, "f8")
    assert final["repeated"] and game.get_current_player(final) == TERMINAL
    assert game.get_rewards(final) == [0.0, 0.0]
