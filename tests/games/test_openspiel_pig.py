"""Pig against OpenSpiel's `pig` (player actions 0 = roll, 1 = stop; chance outcome k - 1 = face k)."""

import random

import pytest

from gamecwm.api import TERMINAL, load_module
from gamecwm.games import get_pack
from tests.games.lockstep import lockstep

pytestmark = pytest.mark.openspiel
pyspiel = pytest.importorskip("pyspiel")


def to_openspiel(action: str, state: dict) -> int:
    if action.startswith("roll:"):
        return int(action.split(":")[1]) - 1
    return {"roll": 0, "stop": 1}[action]


def same_scores(game, ours, theirs, actions):
    """Our scores, turn total and turn owner are those OpenSpiel prints."""
    obs, printed = game.get_observations(ours)[0], str(theirs)
    expected = f"Scores: {obs['scores'][0]} {obs['scores'][1]}, Turn total: {obs['turn_total']}"
    assert printed.startswith(expected), f"after {actions[-6:]}: ours {expected!r}, OpenSpiel {printed!r}"
    if not theirs.is_terminal():
        assert f"Current player: {obs['turn_player']}" in printed


def test_lockstep_with_openspiel():
    assert lockstep("pig", to_openspiel, num_games=200, seed=1, on_state=same_scores) > 200 * 50


def test_decision_limit_matches_openspiel():
    """Random play never reaches 1000 decisions, so shrink both games until it often runs out."""
    game = load_module(get_pack("pig").reference_path, name="pig_small")
    game.HORIZON, game.WIN_SCORE = 15, 20
    spiel_game = pyspiel.load_game("pig", {"horizon": 15, "winscore": 20})
    rng, outcomes = random.Random(3), set()
    for _ in range(300):
        ours, theirs = game.get_initial_state(), spiel_game.new_initial_state()
        while not theirs.is_terminal():
            assert game.get_current_player(ours) != TERMINAL
            action = rng.choice(game.get_legal_actions(ours))
            theirs.apply_action(to_openspiel(action, ours))
            ours = game.apply_action(ours, action)
        assert game.get_current_player(ours) == TERMINAL and game.get_rewards(ours) == theirs.returns()
        outcomes.add(tuple(theirs.returns()))
    assert (0.0, 0.0) in outcomes and len(outcomes) == 3
