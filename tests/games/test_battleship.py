"""Battleship: resample_history draws exactly the opponent fleets that fit the player's shot results."""

import random

from gamecwm.api import TERMINAL, observation_history
from gamecwm.games import get_pack


def _random_game(game, rng):
    actions, state = [], game.get_initial_state()
    while game.get_current_player(state) != TERMINAL:
        actions.append(rng.choice(game.get_legal_actions(state)))
        state = game.apply_action(state, actions[-1])
    return actions


def _consistent_fleets(game, actions, player):
    """Brute force: every opponent fleet that, put in place of the true one, gives the same history."""
    history, opponent = observation_history(game, actions, player), 1 - player
    short, long = game.PLACEMENTS[2], game.PLACEMENTS[3]
    fleets = set()
    for fleet in ((a, b) for a in short for b in long if short[a].isdisjoint(long[b])):
        changed = list(actions)
        changed[opponent], changed[opponent + 2] = fleet
        try:
            if observation_history(game, changed, player) == history:
                fleets.add(fleet)
        except ValueError:  # the game would have ended earlier: not consistent
            pass
    return fleets


def test_resample_history_draws_every_consistent_fleet():
    game, rng = get_pack("battleship").reference, random.Random(5)
    random.seed(5)  # the reference samples with the module-level generator
    checked = 0
    while checked < 3:
        actions = _random_game(game, rng)
        player = rng.randrange(2)
        consistent = _consistent_fleets(game, actions, player)
        if len(consistent) > 20:
            continue  # too many to see them all in a few hundred draws
        history = observation_history(game, actions, player)
        draws = [game.resample_history(history, player) for _ in range(200)]
        assert {(sampled[1 - player], sampled[3 - player]) for sampled in draws} == consistent
        assert observation_history(game, draws[0], player) == history
        checked += 1
