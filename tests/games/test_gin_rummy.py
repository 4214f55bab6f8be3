"""Gin Rummy: deadwood, the knock rule, endings and scoring, hidden hands and the history sampler."""

import collections
import itertools
import random

import pytest

from gamecwm.api import TERMINAL, observation_history, replay
from gamecwm.games import get_pack


@pytest.fixture(scope="module")
def game():
    return get_pack("gin_rummy").reference


def deal(p0, p1, upcard):
    return [f"deal:{card}" for card in p0.split() + p1.split() + [upcard]]


NO_MELDS = deal("As 3s 5s 7s 9s Js Kc 2d 4d 6d", "8d Td Qd Ah 3h 5h 7h 9h Jh Kh", "2c")


@pytest.mark.parametrize(
    "hand, deadwood",
    [
        ("As 2s 3s 7c 7d 7h 9s Ts Js Kd", 10),  # run, set, run and a king
        ("6s 7s 8s 6c 7c 8c 8d", 8),  # two runs beat the set of eights
        ("Qh Kh Ah", 21),  # the ace is low only: no run
        ("Ah 2h 3h", 0),
        ("As 2s 3s 4s 5s 6s 7s", 0),  # a 7-card run (laid as 3 + 4)
        ("7s 7c 7d 7h 8h 9h", 0),  # the 7h serves the run, the other three the set
        ("Tc Jc Qc Kc Kd Kh", 0),
        ("2c 3d 4h 5s 6c 7d 8h 9s Tc Jd", 64),  # no meld at all
    ],
)
def test_deadwood_takes_the_best_arrangement(game, hand, deadwood):
    assert game._deadwood(frozenset(hand.split())) == deadwood


def test_deadwood_after_discarding_is_the_best_of_the_ten_card_hands(game):
    rng = random.Random(0)
    low_cards = [card for card in game.DECK if card[0] in "A23456"]
    for _ in range(300):
        hand = frozenset(rng.sample(low_cards, 11))
        assert game._deadwood(hand, True) == min(game._deadwood(hand - {card}) for card in hand)
    # Discarding the 6d leaves 3s4s5s6s + 4h5h6h and 2h 3c 5d: 10. OpenSpiel's shortcut keeps the sets
    # 5s5d5h + 6s6d6h (also 33 points melded) and drops a 4 from the rest: 12, so it forbids the knock.
    assert game._deadwood(frozenset("2h 3c 3s 4h 4s 5d 5h 5s 6d 6h 6s".split()), True) == 10


def test_a_tie_after_a_knock_scores_nothing(game):
    actions = deal("As 2s 3s 7c 7d 7h 9s Ts Js 5d", "4c 5c 6c Jc Qc Kc 8s 8d 8h 5h", "Kd") + [
        "draw_upcard", "knock", "discard:Kd", "meld:As2s3s", "meld:7c7d7h", "meld:9sTsJs", "pass",
        "pass", "meld:4c5c6c", "meld:JcQcKc", "meld:8s8d8h", "pass",
    ]  # fmt: skip
    state = replay(game, actions)
    assert game.get_current_player(state) == TERMINAL and game.get_rewards(state) == [0.0, 0.0]


def test_the_wall_ends_the_drawing(game):
    """Both players draw from the stock and throw the drawn card away until two cards are left."""
    state = replay(game, NO_MELDS + ["pass", "pass"])
    while game.get_observations(state)[0]["phase"] != "wall":
        state = game.apply_action(state, "draw_stock")
        card = game.get_legal_actions(state)[0].removeprefix("deal:")
        state = game.apply_action(game.apply_action(state, f"deal:{card}"), f"discard:{card}")
    assert game.get_observations(state)[0]["stock_size"] == 2
    assert game.get_legal_actions(state) == ["pass"]  # no drawing, and too much deadwood to knock
    state = game.apply_action(state, "pass")
    assert game.get_current_player(state) == TERMINAL and game.get_rewards(state) == [0.0, 0.0]


def test_the_fiftieth_upcard_draw_ends_the_hand(game):
    state = replay(game, NO_MELDS)
    for draws in range(51):  # draw 0 is the first-upcard decision, which does not count
        taken = game.get_observations(state)[0]["upcard"]
        state = game.apply_action(state, "draw_upcard")
        if draws < 50:
            assert game.get_current_player(state) in (0, 1)
            legal = game.get_legal_actions(state)
            state = game.apply_action(state, next(a for a in legal if a != f"discard:{taken}"))
    assert game.get_current_player(state) == TERMINAL and game.get_rewards(state) == [0.0, 0.0]


def test_observations_hide_the_opponents_cards(game):
    p0, p1 = "2c 3h 4d 6s 6c 6h 8c 8d Jh Kh", "As 2s 3s 4s 5c 5d 5h 9d Td Jd"
    state = replay(game, deal(p0, p1, "Qd") + ["pass", "pass", "draw_stock", "deal:Qs"])
    mine, theirs = game.get_observations(state)
    assert mine["hand"] == sorted(p0.split() + ["Qs"], key=game.DECK.index)
    assert theirs["hand"] == sorted(p1.split(), key=game.DECK.index)
    assert mine["log"][10:20] == ["chance deal:??"] * 10 and theirs["log"][:10] == ["chance deal:??"] * 10
    assert mine["log"][-1] == "chance deal:Qs" and theirs["log"][-1] == "chance deal:??"
    assert not set(p0.split() + ["Qs"]) & set(str(theirs).replace("'", " ").replace(":", " ").split())


def test_resample_places_a_revealed_card_in_any_earlier_hidden_deal(game):
    """Player 0 discards the Kh after drawing from the stock: player 1 cannot tell which of player
    0's 11 hidden deals brought it, so each is equally likely."""
    actions = deal("2c 3h 4d 6s 6c 6h 8c 8d Jh Kh", "As 2s 3s 4s 5c 5d 5h 9d Td Jd", "Qd")
    actions += ["pass", "pass", "draw_stock", "deal:Qs", "discard:Kh"]
    history = observation_history(game, actions, 1)
    random.seed(1)
    where = collections.Counter()
    for _ in range(2200):
        sampled = game.resample_history(history, 1)
        assert observation_history(game, sampled, 1) == history
        where[sampled.index("deal:Kh")] += 1
    assert set(where) == set(range(10)) | {24} and min(where.values()) > 120


def test_resample_keeps_a_knockers_hidden_cards_within_the_limit(game):
    """Player 0 knocks keeping three unseen cards: player 1 samples them uniformly among the 3-card
    sets worth at most 10 points."""
    p1 = "As 2s 3s Ah 2h 3c 4c 5c 6c 2c"
    actions = deal("4s 5s 6s 7s 8c 8d 8h Ac 2d 3h", p1, "Kc")
    actions += ["draw_upcard", "knock", "discard:Kc", "meld:4s5s6s7s", "meld:8c8d8h", "pass"]
    history = observation_history(game, actions, 1)
    seen = set(p1.split()) | {"Kc", "4s", "5s", "6s", "7s", "8c", "8d", "8h"}
    pool = [card for card in game.DECK if card not in seen]
    allowed = {frozenset(c) for c in itertools.combinations(pool, 3) if sum(game.VALUE[x] for x in c) <= 10}
    random.seed(2)
    kept = collections.Counter()
    for _ in range(30 * len(allowed)):
        sampled = game.resample_history(history, 1)
        dealt = {action.removeprefix("deal:") for action in sampled[:10]}
        kept[frozenset(dealt - seen)] += 1
    assert set(kept) == allowed and min(kept.values()) > 10


def _keen_game(game, rng):
    """A game where players knock, meld and lay off whenever they can and discard to keep the least
    deadwood, so that it ends with a knock more often than not."""
    state, actions = game.get_initial_state(), []
    while (player := game.get_current_player(state)) != TERMINAL:
        legal = game.get_legal_actions(state)
        eager = [a for a in legal if a == "knock" or a.startswith(("meld:", "layoff:"))]
        discards = [a for a in legal if a.startswith("discard:")]
        if player == -1:
            action = rng.choice(legal)
        elif eager:
            action = rng.choice(eager)
        elif discards:
            hand = frozenset(game.get_observations(state)[player]["hand"])
            action = min(discards, key=lambda a: game._deadwood(hand - {a.removeprefix("discard:")}))
        elif legal[0] == "draw_upcard":  # take the upcard only if it helps; else the stock, or pass
            observation = game.get_observations(state)[player]
            hand = frozenset(observation["hand"])
            helps = game._deadwood(hand | {observation["upcard"]}, True) < game._deadwood(hand)
            action = legal[0] if helps else legal[1]
        else:
            action = rng.choice(legal)
        state = game.apply_action(state, action)
        actions.append(action)
    return actions


def test_resample_history_after_knocks(game):
    rng, knocks = random.Random(5), 0
    random.seed(5)
    for _ in range(30):
        actions = _keen_game(game, rng)
        if "knock" not in actions:
            continue
        knocks += 1
        for cut in range(actions.index("knock") - 4, len(actions) + 1):
            for player in (0, 1):
                history = observation_history(game, actions[:cut], player)
                sampled = game.resample_history(history, player)
                assert observation_history(game, sampled, player) == history, (actions[:cut], player)
    assert knocks > 10
