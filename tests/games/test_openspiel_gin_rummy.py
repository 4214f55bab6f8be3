"""Gin Rummy against OpenSpiel's `gin_rummy` (default parameters).

OpenSpiel's action ids: cards 0..51 (suits s, c, d, h, ranks A..K) for deals, discards and layoffs,
then draw upcard 52, draw stock 53, pass 54, knock 55 and the 185 melds from 56; the mapping is read
from OpenSpiel's own action strings, so it also checks our meld names.

One rule differs in rare hands: OpenSpiel decides whether 11 cards may knock by taking one best
arrangement and dropping its highest unmelded card, which can overestimate the least deadwood of any
10 of them that our rules use (test_deadwood_agrees_with_openspiel). The seeded games below never
meet such a hand.
"""

import hashlib
import json
import random

import pytest

from gamecwm.api import CHANCE, TERMINAL
from gamecwm.games import get_pack
from tests.games.lockstep import InfoStateRecorder, lockstep, pyspiel

pytestmark = pytest.mark.openspiel

SPIEL_GAME = pyspiel.load_game("gin_rummy")
UTILS = pyspiel.gin_rummy.GinRummyUtils(13, 4, 10)  # ranks, suits, hand size
WORDS = {"Draw upcard": "draw_upcard", "Draw stock": "draw_stock", "Pass": "pass", "Knock": "knock"}


def _openspiel_ids() -> dict[str, int]:
    """Our names (a card, a player action, or "meld:<cards>") for OpenSpiel's player action ids."""
    state, ids = SPIEL_GAME.new_initial_state(), {}
    for action in range(SPIEL_GAME.num_distinct_actions()):
        text = state.action_to_string(0, action).split("Action: ")[1]
        ids[WORDS.get(text, text if len(text) == 2 else f"meld:{text}")] = action
    return ids


IDS = _openspiel_ids()


def to_openspiel(action: str, state: dict) -> int:
    kind, _, card = action.partition(":")
    return IDS[card] if kind in ("deal", "discard", "layoff") else IDS[action]


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()


class HashedInfoStateRecorder(InfoStateRecorder):
    """OpenSpiel's gin_rummy information state is the whole action-observation history as text (up to
    ~100 KB), so this recorder keeps digests of it and of our observations."""

    def __call__(self, game, ours, theirs, actions):
        if theirs.is_terminal() or theirs.is_chance_node():
            return
        observations = game.get_observations(ours)
        for player in (0, 1):
            info_state = _digest(theirs.information_state_string(player))
            observation = _digest(json.dumps(observations[player], sort_keys=True))
            self.ours_by_theirs[(player, info_state)].add(observation)
            self.theirs_by_ours[(player, observation)].add(info_state)


def test_lockstep_with_openspiel():
    recorder = HashedInfoStateRecorder()
    assert lockstep("gin_rummy", to_openspiel, num_games=200, seed=1, on_state=recorder) > 200 * 100
    recorder.check()


def _keen_player(game, state, legal, rng):
    """A player that knocks, melds and lays off whenever it can and keeps its deadwood low, so that
    knocks, gins and undercuts come up often (random play rarely knocks)."""
    eager = [a for a in legal if a == "knock" or a.startswith(("meld:", "layoff:"))]
    if eager and rng.random() < 0.9:
        return rng.choice(eager)
    observation = game.get_observations(state)[game.get_current_player(state)]
    hand = [IDS[card] for card in observation["hand"]]
    if "draw_upcard" in legal and rng.random() < 0.9:
        with_upcard = UTILS.min_deadwood(hand + [IDS[observation["upcard"]]])
        return "draw_upcard" if with_upcard < UTILS.min_deadwood(hand) else legal[1]  # stock, or pass
    discards = [a for a in legal if a.startswith("discard:")]
    if discards and rng.random() < 0.9:
        return min(discards, key=lambda a: UTILS.min_deadwood([c for c in hand if c != IDS[a[8:]]]))
    return rng.choice(legal)


def test_knocks_gins_and_undercuts_in_lockstep_with_openspiel():
    game, rng, recorder = get_pack("gin_rummy").reference, random.Random(3), HashedInfoStateRecorder()
    outcomes = {"knock": 0, "gin": 0, "undercut": 0}
    for index in range(300):
        ours, theirs, actions = game.get_initial_state(), SPIEL_GAME.new_initial_state(), []
        while not theirs.is_terminal():
            where = f"game {index}, after {actions[-8:]}"
            player, legal = game.get_current_player(ours), game.get_legal_actions(ours)
            assert player == (CHANCE if theirs.is_chance_node() else theirs.current_player()), where
            assert sorted(to_openspiel(a, ours) for a in legal) == sorted(theirs.legal_actions()), where
            recorder(game, ours, theirs, actions)
            action = rng.choice(legal) if player == CHANCE else _keen_player(game, ours, legal, rng)
            theirs.apply_action(to_openspiel(action, ours))
            ours = game.apply_action(ours, action)
            actions.append(action)
        assert game.get_current_player(ours) == TERMINAL
        assert game.get_rewards(ours) == list(theirs.returns()), f"game {index}: {actions}"
        knocker = ours["knocker"]
        if knocker is not None:
            outcomes["knock"] += 1
            outcomes["gin"] += not ours["hands"][knocker]  # the knocker laid every card
            outcomes["undercut"] += theirs.returns()[knocker] < 0
    recorder.check()
    assert outcomes["knock"] > 30 and outcomes["gin"] > 0 and outcomes["undercut"] > 0, outcomes


def test_deadwood_agrees_with_openspiel():
    """On 10 cards both find the least deadwood. On 11 cards about to discard, ours is the least
    deadwood of any 10 of them; OpenSpiel's shortcut equals it except in rare hands, never below."""
    game, rng = get_pack("gin_rummy").reference, random.Random(0)
    low_cards = [card for card in game.DECK if card[0] in "A234567"]  # meld-rich hands
    overestimated = 0
    for _ in range(2000):
        hand = rng.sample(low_cards, 11)
        ids = [IDS[card] for card in hand]
        assert game._deadwood(frozenset(hand[:10])) == UTILS.min_deadwood(ids[:10]), hand
        ours, theirs = game._deadwood(frozenset(hand), True), UTILS.min_deadwood(ids)
        assert ours <= theirs, hand
        overestimated += ours < theirs
    assert overestimated < 20
