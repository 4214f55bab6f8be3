"""Negotiation: two players bargain over how to split a pool of items; chance and hidden information.

Chance draws the number of proposal turns (4 to 10), the pool (0 to 5 units of each of 3 item
types) and each player's private value per unit of each type (0 to 10), one number at a time.
Players alternate, player 0 first: a turn is a proposal (the units the proposer keeps; the other
player would get the rest) or, once a proposal is on the table, "accept". Accepting ends the game
and each player scores its own value of its share (general-sum); when the turns run out without
agreement both score 0. Hidden information: each player knows only its own values.
"""

import functools
import itertools
import random

NUM_ITEMS = 3
MIN_TURNS, MAX_TURNS = 4, 10
MAX_QUANTITY = 5  # units of one item type in the pool
MAX_VALUE = 10  # value of one unit to a player
# What chance draws, in this order: the turn limit, the pool counts, then both players' values.
CHANCE_RANGES = {
    "turns": range(MIN_TURNS, MAX_TURNS + 1),
    "pool": range(MAX_QUANTITY + 1),
    "value": range(MAX_VALUE + 1),
}
CHANCE, TERMINAL = -1, -4


def _chance_kind(state):
    """What the next chance action draws ("turns", "pool" or "value"), or None once all is drawn."""
    if state["turns"] is None:
        return "turns"
    if len(state["pool"]) < NUM_ITEMS:
        return "pool"
    return "value" if len(state["values"][1]) < NUM_ITEMS else None


@functools.cache
def _proposals(pool):
    """Every split of the pool, as the proposer's share, in lexicographic order."""
    shares = itertools.product(*(range(count + 1) for count in pool))
    return tuple("propose:" + ",".join(map(str, share)) for share in shares)


def _share(action):
    return [int(count) for count in action.removeprefix("propose:").split(",")]


def get_initial_state():
    # proposals[i] is the share kept by the player who made the i-th proposal (players alternate).
    return {"turns": None, "pool": [], "values": [[], []], "proposals": [], "agreed": False}


def apply_action(state, action):
    legal = get_legal_actions(state)
    if action not in legal:
        raise ValueError(f"illegal action {action!r}; legal: {legal}")
    new_state = {
        "turns": state["turns"],
        "pool": list(state["pool"]),
        "values": [list(values) for values in state["values"]],
        "proposals": [list(share) for share in state["proposals"]],
        "agreed": state["agreed"],
    }
    kind, _, number = action.partition(":")
    if kind == "turns":
        new_state["turns"] = int(number)
    elif kind == "pool":
        new_state["pool"].append(int(number))
    elif kind == "value":
        new_state["values"][0 if len(state["values"][0]) < NUM_ITEMS else 1].append(int(number))
    elif kind == "accept":
        new_state["agreed"] = True
    else:
        new_state["proposals"].append(_share(action))
    return new_state


def get_current_player(state):
    if _chance_kind(state) is not None:
        return CHANCE
    if state["agreed"] or len(state["proposals"]) == state["turns"]:
        return TERMINAL
    return len(state["proposals"]) % 2


def get_player_name(player_id):
    return {0: "player 0", 1: "player 1", CHANCE: "chance", TERMINAL: "terminal"}[player_id]


def get_rewards(state):
    """After an agreement each player gets its own value of its share; otherwise [0.0, 0.0]."""
    if not state["agreed"]:
        return [0.0, 0.0]
    proposer = (len(state["proposals"]) - 1) % 2
    kept = state["proposals"][-1]
    shares = {proposer: kept, 1 - proposer: [total - k for total, k in zip(state["pool"], kept, strict=True)]}
    return [float(sum(v * n for v, n in zip(state["values"][p], shares[p], strict=True))) for p in (0, 1)]


def get_legal_actions(state):
    """Chance: "turns:4".."turns:10", then "pool:0".."pool:5", then "value:0".."value:10".
    Players: every "propose:a,b,c" in lexicographic order, then "accept" once a proposal exists."""
    player = get_current_player(state)
    if player == TERMINAL:
        return []
    if player == CHANCE:
        kind = _chance_kind(state)
        return [f"{kind}:{number}" for number in CHANCE_RANGES[kind]]
    actions = list(_proposals(tuple(state["pool"])))
    if state["proposals"]:
        actions.append("accept")
    return actions


def get_observations(state):
    """Each player sees the turn limit, the pool, its own values and every proposal; never the
    opponent's values."""
    return [
        {
            "turns": state["turns"],
            "pool": list(state["pool"]),
            "my_values": list(state["values"][player]),
            "proposals": [list(share) for share in state["proposals"]],
            "agreed": state["agreed"],
        }
        for player in (0, 1)
    ]


def resample_history(obs_action_history, player_id):
    """Keep everything the player saw; draw the opponent's values as chance does (uniform and
    independent), which is exactly their distribution given the player's view."""
    if not obs_action_history:
        return []
    observation, action = obs_action_history[-1]
    other = [random.randint(0, MAX_VALUE) for _ in range(NUM_ITEMS)]
    values = [observation["my_values"], other] if player_id == 0 else [other, observation["my_values"]]
    actions = [f"turns:{observation['turns']}"] + [f"pool:{count}" for count in observation["pool"]]
    actions += [f"value:{value}" for value in values[0] + values[1]]
    actions += ["propose:" + ",".join(map(str, share)) for share in observation["proposals"]]
    return actions + ([] if action is None else [action])
