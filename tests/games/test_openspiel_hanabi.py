"""Hanabi against OpenSpiel's `hanabi` (the Hanabi Learning Environment) with 2 colours, 3 ranks, 2 cards.

OpenSpiel numbers the deals R1 R2 R3 Y1 Y2 Y3 as 0..5 and the moves in the order of our legal
actions: discard 0-1, play 2-3, reveal colour 4-5, reveal rank 6-8. It has no information state
string, only an observation string (the current tokens, fireworks, hands with hint knowledge, deck
size and discards, not the history), so instead of `InfoStateRecorder` every state's observations
are rendered in that text form and compared; the chance probabilities are compared too.
"""

import random

import pytest

from gamecwm.api import CHANCE, TERMINAL
from gamecwm.games import get_pack
from tests.games.lockstep import deal_or_move, lockstep, pyspiel

pytestmark = pytest.mark.openspiel

CARDS = ("R1", "R2", "R3", "Y1", "Y2", "Y3")
MOVES = ("discard:0", "discard:1", "play:0", "play:1", "reveal_color:R", "reveal_color:Y")
MOVES += ("reveal_rank:1", "reveal_rank:2", "reveal_rank:3")


to_openspiel = deal_or_move(CARDS, MOVES)


def _knowledge(k: dict) -> str:
    return (k["color"] or "X") + (k["rank"] or "X") + "|" + k["colors"] + k["ranks"]


def render(observation: dict, viewer: int, current: int) -> str:
    """Our observation in the Hanabi Learning Environment's text form."""
    fireworks = "".join(f"{color}{height} " for color, height in observation["fireworks"].items())
    text = f"Life tokens: {observation['life_tokens']}\nInfo tokens: {observation['info_tokens']}\n"
    text += f"Fireworks: {fireworks}\nHands:\n" + ("Cur player\n" if current == viewer else "")
    text += "".join(f"XX || {_knowledge(k)}\n" for k in observation["my_hand"])
    text += "-----\n" + ("Cur player\n" if current == 1 - viewer else "")
    cards = zip(observation["partner_hand"], observation["partner_knowledge"], strict=True)
    text += "".join(f"{card} || {_knowledge(k)}\n" for card, k in cards)
    discards = "".join(f" {card}" for card in observation["discards"])
    return text + f"Deck size: {observation['deck_size']}\nDiscards:{discards}"


def check_views(game, ours: dict, theirs) -> None:
    """Observations match OpenSpiel's text for both players; deals have OpenSpiel's probabilities."""
    if theirs.is_terminal():
        return
    player = game.get_current_player(ours)
    for viewer, observation in enumerate(game.get_observations(ours)):
        assert render(observation, viewer, player) == theirs.observation_string(viewer)
    if player == CHANCE:
        probability = dict(theirs.chance_outcomes())
        total = sum(ours["deck"].values())
        for action in game.get_legal_actions(ours):
            copies = ours["deck"][action.removeprefix("deal:")]
            assert probability[to_openspiel(action, ours)] == pytest.approx(copies / total)


def test_lockstep_with_openspiel():
    def on_state(game, ours, theirs, actions):
        check_views(game, ours, theirs)

    assert lockstep("hanabi", to_openspiel, num_games=300, seed=1, on_state=on_state) > 300 * 5


def test_careful_play_in_lockstep_reaches_the_end_of_the_deck():
    """Random play misplays early; here plays are only made when they succeed, so games run through
    the whole deck, the last round of turns and completed fireworks."""
    pack = get_pack("hanabi")
    game, rng = pack.reference, random.Random(2)
    spiel_game = pyspiel.load_game(pack.openspiel["name"], pack.openspiel["params"])
    scores = set()
    for _ in range(200):
        ours, theirs = game.get_initial_state(), spiel_game.new_initial_state()
        while not theirs.is_terminal():
            check_views(game, ours, theirs)
            player, legal = game.get_current_player(ours), game.get_legal_actions(ours)
            assert [to_openspiel(a, ours) for a in legal] == theirs.legal_actions()
            if player != CHANCE:
                hand = [card["card"] for card in ours["hands"][player]]
                good = {f"play:{i}" for i, c in enumerate(hand) if ours["fireworks"][c[0]] == int(c[1]) - 1}
                legal = sorted(good) or [a for a in legal if not a.startswith("play")] or legal
            action = rng.choice(legal)
            theirs.apply_action(to_openspiel(action, ours))
            ours = game.apply_action(ours, action)
        assert game.get_current_player(ours) == TERMINAL
        assert game.get_rewards(ours) == theirs.returns()
        scores.add(theirs.returns()[0])
    assert 6.0 in scores and len(scores) > 2
