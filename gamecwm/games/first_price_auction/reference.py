"""First-Price Sealed-Bid Auction: private values dealt by chance, sealed bids, chance breaks ties.

Chance deals each player a private value for the item, uniform from 1 to 5. Player 0 bids, then
player 1 bids without seeing that bid; a bid is a whole number from 0 up to the bidder's value
minus 1. The highest bid wins and pays its bid; chance then names the winner uniformly among the
highest bidders (its only choice when one bid is highest). The winner scores its value minus its
bid, the loser 0 (general-sum). Hidden information: each player knows only its own value and bid.
"""

import random

MAX_VALUE = 5
PLAYERS = (0, 1)
CHANCE, TERMINAL = -1, -4


def get_initial_state():
    # values and bids are listed in player order as they are dealt and made; winner is set last.
    return {"values": [], "bids": [], "winner": None}


def apply_action(state, action):
    legal = get_legal_actions(state)
    if action not in legal:
        raise ValueError(f"illegal action {action!r}; legal: {legal}")
    new_state = {"values": list(state["values"]), "bids": list(state["bids"]), "winner": state["winner"]}
    kind, number = action.split(":")
    if kind == "value":
        new_state["values"].append(int(number))
    elif kind == "bid":
        new_state["bids"].append(int(number))
    else:
        new_state["winner"] = int(number)
    return new_state


def get_current_player(state):
    if len(state["values"]) < len(PLAYERS):
        return CHANCE
    if len(state["bids"]) < len(PLAYERS):
        return len(state["bids"])
    return CHANCE if state["winner"] is None else TERMINAL


def get_player_name(player_id):
    return {0: "player 0", 1: "player 1", CHANCE: "chance", TERMINAL: "terminal"}[player_id]


def get_rewards(state):
    """The winner scores its value minus its bid, the loser 0; [0.0, 0.0] until the winner is named."""
    rewards = [0.0, 0.0]
    winner = state["winner"]
    if winner is not None:
        rewards[winner] = float(state["values"][winner] - state["bids"][winner])
    return rewards


def get_legal_actions(state):
    """Chance: "value:1".."value:5", then "winner:p" for each highest bidder p in player order.
    Players: "bid:0" up to "bid:<value - 1>", in increasing order."""
    player = get_current_player(state)
    if player == TERMINAL:
        return []
    if player != CHANCE:
        return [f"bid:{bid}" for bid in range(state["values"][player])]
    if len(state["values"]) < len(PLAYERS):
        return [f"value:{value}" for value in range(1, MAX_VALUE + 1)]
    top = max(state["bids"])
    return [f"winner:{p}" for p in PLAYERS if state["bids"][p] == top]


def get_observations(state):
    """Each player sees its own value and bid (None until dealt or made) and, at the end, the winner."""
    values, bids = state["values"], state["bids"]
    return [
        {
            "value": values[p] if p < len(values) else None,
            "bid": bids[p] if p < len(bids) else None,
            "winner": state["winner"],
        }
        for p in PLAYERS
    ]


def resample_history(obs_action_history, player_id):
    """Keep the player's own value and bid; draw what the opponent hid uniformly. Player 0 decides before
    player 1 bids, so only player 1's value is drawn; player 1 draws player 0's (value, bid) pair among
    the 15 pairs with bid < value."""
    if not obs_action_history:
        return []
    observation, action = obs_action_history[-1]
    if player_id == 0:
        values, bids = [observation["value"], random.randint(1, MAX_VALUE)], []
    else:
        value, bid = random.choice([(v, b) for v in range(1, MAX_VALUE + 1) for b in range(v)])
        values, bids = [value, observation["value"]], [bid]
    history = [f"value:{value}" for value in values] + [f"bid:{bid}" for bid in bids]
    return history + ([] if action is None else [action])
