"""Hanabi: resample_history draws the player's unseen cards with exactly their posterior probabilities."""

import itertools
import math
import random
from collections import Counter

from gamecwm.api import CHANCE, IllegalActionError, observation_history, replay
from gamecwm.games import get_pack

GAME = get_pack("hanabi").reference
CARDS = ("R1", "R2", "R3", "Y1", "Y2", "Y3")


def chance_probability(actions: list[str]) -> float:
    """The probability of the deals in `actions` (each card drawn in proportion to its copies left)."""
    state, probability = GAME.get_initial_state(), 1.0
    for action in actions:
        if GAME.get_current_player(state) == CHANCE:
            probability *= state["deck"][action.removeprefix("deal:")] / sum(state["deck"].values())
        state = GAME.apply_action(state, action)
    return probability


def exact_posterior(history, player: int, example: list[str]) -> dict[tuple, float]:
    """Every history the player cannot tell from `history`, found by trying each card at each deal it
    did not see (the deals in `example` whose log entry reads "deal:?"), weighted by chance."""
    log = history[-1][0]["log"]
    hidden = [i for i, entry in enumerate(log) if entry == f"p{player} deal:?"]
    weights = {}
    for cards in itertools.product(CARDS, repeat=len(hidden)):
        actions = list(example)
        for index, card in zip(hidden, cards, strict=True):
            actions[index] = f"deal:{card}"
        try:
            replay(GAME, actions)
        except IllegalActionError:
            continue
        if observation_history(GAME, actions, player) == history:
            weights[tuple(actions)] = chance_probability(actions)
    total = sum(weights.values())
    return {actions: weight / total for actions, weight in weights.items()}


def histories(rng: random.Random):
    """Prefixes of games with hints and plays, cut where the player has 2 to 4 unseen deals."""
    while True:
        state, actions = GAME.get_initial_state(), []
        while GAME.get_legal_actions(state):
            legal = GAME.get_legal_actions(state)
            hints = [a for a in legal if a.startswith("reveal")]
            action = rng.choice(hints if hints and rng.random() < 0.5 else legal)
            actions.append(action)
            state = GAME.apply_action(state, action)
            player = rng.randrange(2)
            history = observation_history(GAME, actions, player)
            if history and 2 <= history[-1][0]["log"].count(f"p{player} deal:?") <= 4 and rng.random() < 0.2:
                yield history, player


def test_resample_history_matches_the_exact_posterior():
    rng, checked = random.Random(5), 0
    random.seed(5)  # the reference samples with the module-level generator
    for history, player in histories(rng):
        example = GAME.resample_history(history, player)
        posterior = exact_posterior(history, player, example)
        if len(posterior) < 4:
            continue
        draws = 3000
        counts = Counter(tuple(GAME.resample_history(history, player)) for _ in range(draws))
        assert set(counts) <= set(posterior)
        for actions, probability in posterior.items():
            tolerance = 4.5 * math.sqrt(probability * (1 - probability) / draws) + 1e-9
            assert abs(counts[actions] / draws - probability) <= tolerance, (history[-1][0]["log"], actions)
        checked += 1
        if checked == 4:
            break
