"""Kuhn Poker: a three-card poker game with chance (the deal) and hidden information (the cards).

Each player antes 1 chip and is dealt one of J, Q, K; the third card stays hidden. Players then
"pass" or "bet" 1 chip in turn. A pass facing a bet folds; otherwise the higher card wins the pot.
Each player observes only its own card, plus the public betting history.
"""

import random

CARDS = ("J", "Q", "K")  # lowest to highest
ANTE, BET = 1, 1
ACTIONS = ("pass", "bet")
CHANCE, TERMINAL = -1, -4


def _is_dealing(state):
    return None in state["cards"]


def _is_over(state):
    """Betting ends after three actions, or after two unless they were "pass" then "bet"."""
    betting = state["betting"]
    return len(betting) == 3 or (len(betting) == 2 and betting != ["pass", "bet"])


def _contributions(betting):
    """Chips each player has put in: the ante plus 1 for each of its bets (calls included)."""
    return [ANTE + BET * betting[player::2].count("bet") for player in (0, 1)]


def _loser(state):
    """The player who folded (passed facing a bet), else the holder of the lower card."""
    betting = state["betting"]
    if betting[-1] == "pass" and "bet" in betting:
        return (len(betting) - 1) % 2
    ranks = [CARDS.index(card) for card in state["cards"]]
    return 0 if ranks[0] < ranks[1] else 1


def get_initial_state():
    return {"cards": [None, None], "betting": []}


def apply_action(state, action):
    legal = get_legal_actions(state)
    if action not in legal:
        raise ValueError(f"illegal action {action!r}; legal: {legal}")
    new_state = {"cards": list(state["cards"]), "betting": list(state["betting"])}
    if _is_dealing(state):
        new_state["cards"][state["cards"].index(None)] = action.removeprefix("deal:")
    else:
        new_state["betting"].append(action)
    return new_state


def get_current_player(state):
    if _is_dealing(state):
        return CHANCE
    if _is_over(state):
        return TERMINAL
    return len(state["betting"]) % 2


def get_player_name(player_id):
    return {0: "player 0", 1: "player 1", CHANCE: "chance", TERMINAL: "terminal"}[player_id]


def get_rewards(state):
    """The winner takes the loser's chips; [0.0, 0.0] until the game is over."""
    if not _is_over(state):
        return [0.0, 0.0]
    loser = _loser(state)
    amount = float(_contributions(state["betting"])[loser])
    return [-amount, amount] if loser == 0 else [amount, -amount]


def get_legal_actions(state):
    """Chance deals the cards not yet dealt, as "deal:J" < "deal:Q" < "deal:K"; players "pass", "bet"."""
    player = get_current_player(state)
    if player == CHANCE:
        return [f"deal:{card}" for card in CARDS if card not in state["cards"]]
    if player == TERMINAL:
        return []
    return list(ACTIONS)


def get_observations(state):
    """Each player sees its own card (None before the deal) and the public betting, never the other card."""
    betting = state["betting"]
    return [
        {"card": state["cards"][player], "betting": list(betting), "contributions": _contributions(betting)}
        for player in (0, 1)
    ]


def resample_history(obs_action_history, player_id):
    """Keep the player's card and the betting it saw; draw the opponent's card from the other two."""
    if not obs_action_history:
        return []
    observation, action = obs_action_history[-1]
    own = observation["card"]
    other = random.choice([card for card in CARDS if card != own])
    cards = [own, other] if player_id == 0 else [other, own]
    betting = observation["betting"] + ([] if action is None else [action])
    return [f"deal:{card}" for card in cards] + betting
