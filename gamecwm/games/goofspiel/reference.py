"""Goofspiel with 5 cards: chance (the prize order), hidden information and a simultaneous move.

Each player holds the cards 1 to 5, and a shuffled prize deck of 1 to 5 is turned over one card per
round. In each round both players secretly bid one card from their hand: player 0 first, then
player 1 without seeing player 0's bid (the simultaneous move, made sequential). The higher bid wins
the prize card's value in points; a tie discards it. Bid cards are spent. The last round, with one
card left everywhere, plays itself. Whoever has more points wins (+1/-1); equal points draw.
Bids stay hidden: each player only learns who won each round, so resample_history has to guess the
opponent's bids from the round winners.
"""

import itertools
import random

CARDS = (1, 2, 3, 4, 5)  # each player's hand and the prize deck
NUM_CARDS = len(CARDS)
CHANCE, TERMINAL = -1, -4


def _round_winner(bid0, bid1):
    """0 or 1 for the higher bid, None for a tie."""
    if bid0 == bid1:
        return None
    return 0 if bid0 > bid1 else 1


def _round_winners(state):
    """The winner of each finished round (player 1 bids last, so its bids count the finished rounds)."""
    bids = state["bids"]
    return [_round_winner(bids[0][index], bids[1][index]) for index in range(len(bids[1]))]


def _points(state):
    """Points of [player 0, player 1]: the prize of every round each has won."""
    points = [0, 0]
    for index, winner in enumerate(_round_winners(state)):
        if winner is not None:
            points[winner] += state["prizes"][index]
    return points


def _hand(state, player):
    return [card for card in CARDS if card not in state["bids"][player]]


def get_initial_state():
    # prizes: the prize cards turned over so far; bids[p]: player p's bids, one per round.
    return {"prizes": [], "bids": [[], []]}


def apply_action(state, action):
    legal = get_legal_actions(state)
    if action not in legal:
        raise ValueError(f"illegal action {action!r}; legal: {legal}")
    player = get_current_player(state)
    new_state = {"prizes": list(state["prizes"]), "bids": [list(bids) for bids in state["bids"]]}
    if player == CHANCE:
        new_state["prizes"].append(int(action.removeprefix("prize:")))
        return new_state
    new_state["bids"][player].append(int(action.removeprefix("bid:")))
    if len(new_state["bids"][1]) == NUM_CARDS - 1:
        # One card left in every hand and in the prize deck: the last round plays itself.
        new_state["prizes"].append(next(c for c in CARDS if c not in new_state["prizes"]))
        for p in (0, 1):
            new_state["bids"][p].append(_hand(new_state, p)[0])
    return new_state


def get_current_player(state):
    rounds_bid = len(state["bids"][1])
    if rounds_bid == NUM_CARDS:
        return TERMINAL
    if len(state["prizes"]) == rounds_bid:
        return CHANCE  # the next prize card is due
    return 0 if len(state["bids"][0]) == rounds_bid else 1


def get_player_name(player_id):
    return {0: "player 0", 1: "player 1", CHANCE: "chance", TERMINAL: "terminal"}[player_id]


def get_rewards(state):
    """+1 to the player with more points and -1 to the other; 0 each on equal points or before the end."""
    if get_current_player(state) != TERMINAL:
        return [0.0, 0.0]
    points = _points(state)
    if points[0] == points[1]:
        return [0.0, 0.0]
    return [1.0, -1.0] if points[0] > points[1] else [-1.0, 1.0]


def get_legal_actions(state):
    """Chance: the prize cards not yet turned, "prize:k" ascending. Players: "bid:k" for each card in hand."""
    player = get_current_player(state)
    if player == TERMINAL:
        return []
    if player == CHANCE:
        return [f"prize:{card}" for card in CARDS if card not in state["prizes"]]
    return [f"bid:{card}" for card in _hand(state, player)]


def get_observations(state):
    """Each player sees its own hand and bids, the prizes, who won each round, and whose turn it is.

    The opponent's bids are never shown, not even the one it just made in the current round.
    """
    public = {
        "prizes": list(state["prizes"]),
        "round_winners": _round_winners(state),
        "points": _points(state),
        "current_player": get_current_player(state),
    }
    return [{"hand": _hand(state, p), "my_bids": list(state["bids"][p]), **public} for p in (0, 1)]


def resample_history(obs_action_history, player_id):
    """Keep the prizes and the player's bids; draw the opponent's bids uniformly among those that
    produce the observed round winners (enumerating every ordered choice of the opponent's cards).
    """
    if not obs_action_history:
        return []
    observation, action = obs_action_history[-1]
    my_bids = observation["my_bids"] + ([] if action is None else [int(action.removeprefix("bid:"))])
    winners = observation["round_winners"]
    # Player 1 decides after player 0 has already bid in the current round: one more hidden bid.
    num_hidden = len(winners) + player_id

    def by_player(their_bids):
        return [my_bids, list(their_bids)] if player_id == 0 else [list(their_bids), my_bids]

    def consistent(bids):
        return all(_round_winner(bids[0][i], bids[1][i]) == winner for i, winner in enumerate(winners))

    candidates = map(by_player, itertools.permutations(CARDS, num_hidden))
    bids = random.choice([candidate for candidate in candidates if consistent(candidate)])
    actions = []
    for index, prize in enumerate(observation["prizes"]):
        actions.append(f"prize:{prize}")
        actions += [f"bid:{bids[p][index]}" for p in (0, 1) if index < len(bids[p])]
    return actions
