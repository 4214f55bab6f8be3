"""Liar's Dice with one die each: chance (the dice) and hidden information (each player's own die).

Each player rolls one six-sided die in secret. Player 0 opens with a bid "at least q of the two dice
show face f"; the players then alternate, each either raising the bid or calling "liar" on the
previous bid. Sixes are wild: a six counts towards every face. After a call the dice are revealed:
if the bid holds the bidder wins (+1/-1), otherwise the caller wins.
Each player observes its own die and the public bidding, never the opponent's die.
"""

import random

FACES = (1, 2, 3, 4, 5, 6)
WILD = 6  # a six counts as every face
NUM_DICE = 2  # one die per player: bids name a quantity from 1 to 2
# Every bid from the weakest to the strongest: quantity first, then face.
BIDS = tuple(f"bid:{quantity}-{face}" for quantity in range(1, NUM_DICE + 1) for face in FACES)
LIAR = "liar"
CHANCE, TERMINAL = -1, -4


def _parse_bid(bid):
    """'bid:2-5' -> (2, 5)."""
    quantity, face = bid.removeprefix("bid:").split("-")
    return int(quantity), int(face)


def _bid_holds(bid, dice):
    """A bid holds when at least `quantity` dice show its face, sixes counting as any face."""
    quantity, face = _parse_bid(bid)
    return sum(1 for die in dice if die in (face, WILD)) >= quantity


def get_initial_state():
    # dice[p] is player p's die (None until rolled); bidding lists the players' actions in order.
    return {"dice": [None, None], "bidding": []}


def apply_action(state, action):
    legal = get_legal_actions(state)
    if action not in legal:
        raise ValueError(f"illegal action {action!r}; legal: {legal}")
    new_state = {"dice": list(state["dice"]), "bidding": list(state["bidding"])}
    if get_current_player(state) == CHANCE:
        new_state["dice"][state["dice"].index(None)] = int(action.removeprefix("roll:"))
    else:
        new_state["bidding"].append(action)
    return new_state


def get_current_player(state):
    if None in state["dice"]:
        return CHANCE
    if state["bidding"][-1:] == [LIAR]:
        return TERMINAL
    return len(state["bidding"]) % 2  # player 0 bids first


def get_player_name(player_id):
    return {0: "player 0", 1: "player 1", CHANCE: "chance", TERMINAL: "terminal"}[player_id]


def get_rewards(state):
    """After a call, the bidder gets +1 if its bid holds and -1 if not; the caller the opposite."""
    if get_current_player(state) != TERMINAL:
        return [0.0, 0.0]
    bidder = (len(state["bidding"]) - 2) % 2  # who made the bid that was called
    winner = bidder if _bid_holds(state["bidding"][-2], state["dice"]) else 1 - bidder
    return [1.0, -1.0] if winner == 0 else [-1.0, 1.0]


def get_legal_actions(state):
    """Chance: "roll:1".."roll:6". Players: every bid above the last one (weakest first), then "liar"."""
    player = get_current_player(state)
    if player == CHANCE:
        return [f"roll:{face}" for face in FACES]
    if player == TERMINAL:
        return []
    if not state["bidding"]:
        return list(BIDS)  # the opening bid; there is nothing to call yet
    return list(BIDS[BIDS.index(state["bidding"][-1]) + 1 :]) + [LIAR]


def get_observations(state):
    """Each player sees its own die and the public bidding; the opponent's die stays hidden."""
    return [{"my_die": state["dice"][player], "bidding": list(state["bidding"])} for player in (0, 1)]


def resample_history(obs_action_history, player_id):
    """Keep the player's die and the bidding; draw the opponent's die uniformly.

    Any bid is legal whatever the bidder's die, so the bidding says nothing certain about the hidden
    die: all six faces are consistent with what the player saw.
    """
    if not obs_action_history:
        return []
    observation, action = obs_action_history[-1]
    dice = [observation["my_die"], observation["my_die"]]
    dice[1 - player_id] = random.choice(FACES)
    actions = [f"roll:{die}" for die in dice] + observation["bidding"]
    return actions + ([] if action is None else [action])
