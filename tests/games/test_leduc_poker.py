"""Leduc Poker: resample_history draws every opponent card the player cannot rule out."""

import random

from gamecwm.api import TERMINAL, observation_history, replay
from gamecwm.games import get_pack

DECK = {"Js", "Jh", "Qs", "Qh", "Ks", "Kh"}


def test_resample_history_covers_the_information_set_at_every_prefix():
    game, rng = get_pack("leduc_poker").reference, random.Random(3)
    random.seed(3)  # the reference samples with the module-level generator
    for _ in range(15):
        actions, state = [], game.get_initial_state()
        while game.get_current_player(state) != TERMINAL:
            actions.append(rng.choice(game.get_legal_actions(state)))
            state = game.apply_action(state, actions[-1])
        for cut in range(len(actions) + 1):
            for player in (0, 1):
                history = observation_history(game, actions[:cut], player)
                if not history:
                    continue
                seen = {history[-1][0]["card"], history[-1][0]["public"]}
                opponent_cards = set()
                for _ in range(60):
                    sampled = game.resample_history(history, player)
                    assert observation_history(game, sampled, player) == history
                    opponent_cards.add(replay(game, sampled)["cards"][1 - player])
                assert opponent_cards == DECK - seen, f"prefix {actions[:cut]}, player {player}"
