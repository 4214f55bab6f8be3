"""Every reference in the catalog: its scenarios pass and random play respects the contract."""

from __future__ import annotations

import copy
import random

import pytest

from gamecwm.api import CHANCE, TERMINAL, observation_history, replay
from gamecwm.games import catalog, run_scenario

PACKS = [p for p in catalog() if p.has_reference]
IMPERFECT = [p for p in PACKS if p.info == "imperfect"]
MAX_STEPS = 500  # as the verifier's fuzzer: a random game still running by then is left there
# Random games per test: 200, fewer where one random game is long (chess runs ~340 plies on average).
RANDOM_GAMES = {"chess": 50}


def random_games(pack) -> int:
    return RANDOM_GAMES.get(pack.id, 200)


def random_game(game, rng: random.Random) -> list[str]:
    """Play random legal actions to the end (or MAX_STEPS), checking the contract at every step."""
    state, actions = game.get_initial_state(), []
    for _ in range(MAX_STEPS):
        player = game.get_current_player(state)
        legal = game.get_legal_actions(state)
        assert isinstance(legal, list) and all(isinstance(a, str) for a in legal)
        assert (player == TERMINAL) == (legal == []), f"terminal iff no legal actions, after {actions}"
        assert legal == game.get_legal_actions(state), "legal actions are not deterministic"
        assert player in (0, 1, CHANCE, TERMINAL)
        observations = game.get_observations(state)
        assert isinstance(observations, list) and len(observations) == 2
        assert all(isinstance(o, dict) for o in observations)
        rewards = game.get_rewards(state)
        assert len(rewards) == 2 and all(isinstance(r, float) for r in rewards)
        if player == TERMINAL:
            return actions
        assert len(set(legal)) == len(legal), f"duplicate legal actions {legal}"
        action = rng.choice(legal)
        state = game.apply_action(state, action)
        actions.append(action)
    return actions


@pytest.mark.parametrize("pack", PACKS, ids=lambda p: p.id)
def test_reference_passes_its_scenarios(pack):
    failures = [r for s in pack.scenarios if not (r := run_scenario(pack.reference, s)).passed]
    assert not failures, failures


@pytest.mark.parametrize("pack", PACKS, ids=lambda p: p.id)
def test_random_play_respects_the_contract(pack):
    game, rng = pack.reference, random.Random(0)
    for _ in range(random_games(pack)):
        actions = random_game(game, rng)
        if len(actions) < MAX_STEPS:
            assert game.get_current_player(replay(game, actions)) == TERMINAL


@pytest.mark.parametrize("pack", PACKS, ids=lambda p: p.id)
def test_apply_action_never_mutates_its_input(pack):
    game, rng = pack.reference, random.Random(1)
    for _ in range(random_games(pack)):
        state = game.get_initial_state()
        for _ in range(MAX_STEPS):
            if game.get_current_player(state) == TERMINAL:
                break
            snapshot = copy.deepcopy(state)
            state_after = game.apply_action(state, rng.choice(game.get_legal_actions(state)))
            assert state == snapshot, "apply_action changed its input state"
            state = state_after


@pytest.mark.parametrize("pack", IMPERFECT, ids=lambda p: p.id)
def test_resample_history_reproduces_the_players_view(pack):
    game, rng = pack.reference, random.Random(2)
    varied = 0  # histories for which repeated sampling gave different action sequences
    for index in range(200):
        actions = random_game(game, rng)
        cut = rng.randrange(len(actions) + 1)
        prefix = actions[:cut]
        for player in (0, 1):
            history = observation_history(game, prefix, player)
            if not history:
                continue
            samples = set()
            for _ in range(5):
                sampled = game.resample_history(copy.deepcopy(history), player)
                assert isinstance(sampled, list) and all(isinstance(a, str) for a in sampled)
                replay(game, sampled)  # every action legal in turn
                assert observation_history(game, sampled, player) == history, f"game {index}, player {player}"
                samples.add(tuple(sampled))
            varied += len(samples) > 1
    assert varied > 20, f"resample_history varied on only {varied} histories: is it sampling at all?"
