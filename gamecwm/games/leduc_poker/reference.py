"""Leduc Poker: a two-round poker game with chance (the deals) and hidden information (private cards).

The deck has six cards, J, Q and K in spades and hearts. Each player antes 1 and gets one private
card; a betting round follows, then a public card is dealt and a second betting round follows.
Raises are 2 in round one and 4 in round two, at most two per round. At the showdown a private card
pairing the public card wins, otherwise the higher private card wins, and equal ranks split the pot.
Each player observes its own card, the public card once dealt, and the public betting.
"""

import random

DECK = ("Js", "Jh", "Qs", "Qh", "Ks", "Kh")  # rank then suit; ranks J < Q < K
RANKS = "JQK"
ANTE = 1
RAISE_SIZES = (2, 4)  # by betting round
MAX_RAISES = 2  # per betting round
CHANCE, TERMINAL = -1, -4


def _round_over(sequence):
    """A round ends when a call answers a raise, or when both players have called (checked)."""
    return len(sequence) >= 2 and sequence[-1] == "call"


def _betting_round(state):
    return 0 if state["public"] is None else 1


def _is_dealing(state):
    return None in state["cards"] or (state["public"] is None and _round_over(state["betting"][0]))


def _is_over(state):
    return any("fold" in sequence for sequence in state["betting"]) or _round_over(state["betting"][1])


def _contributions(betting):
    """Chips each player has put in: the ante, then calls match and raises top the highest stake."""
    chips = [ANTE, ANTE]
    for size, sequence in zip(RAISE_SIZES, betting, strict=True):
        for turn, action in enumerate(sequence):
            if action == "call":
                chips[turn % 2] = max(chips)
            elif action == "raise":
                chips[turn % 2] = max(chips) + size
    return chips


def _hand_strength(card, public):
    """A pair with the public card beats any unpaired card; then the card's rank decides."""
    return (card[0] == public[0], RANKS.index(card[0]))


def _loser(state):
    """The player who folded, else the weaker hand at showdown; None when the pot is split."""
    for sequence in state["betting"]:
        if sequence and sequence[-1] == "fold":
            return (len(sequence) - 1) % 2
    strength = [_hand_strength(card, state["public"]) for card in state["cards"]]
    if strength[0] == strength[1]:
        return None
    return 0 if strength[0] < strength[1] else 1


def get_initial_state():
    return {"cards": [None, None], "public": None, "betting": [[], []]}


def apply_action(state, action):
    legal = get_legal_actions(state)
    if action not in legal:
        raise ValueError(f"illegal action {action!r}; legal: {legal}")
    new_state = {
        "cards": list(state["cards"]),
        "public": state["public"],
        "betting": [list(round_actions) for round_actions in state["betting"]],
    }
    if not _is_dealing(state):
        new_state["betting"][_betting_round(state)].append(action)
    elif None in state["cards"]:
        new_state["cards"][state["cards"].index(None)] = action.removeprefix("deal:")
    else:
        new_state["public"] = action.removeprefix("deal:")
    return new_state


def get_current_player(state):
    if _is_dealing(state):
        return CHANCE
    if _is_over(state):
        return TERMINAL
    return len(state["betting"][_betting_round(state)]) % 2  # player 0 opens both rounds


def get_player_name(player_id):
    return {0: "player 0", 1: "player 1", CHANCE: "chance", TERMINAL: "terminal"}[player_id]


def get_rewards(state):
    """The winner takes the loser's chips, a split pot gives 0 each; [0.0, 0.0] until the end."""
    if not _is_over(state):
        return [0.0, 0.0]
    loser = _loser(state)
    if loser is None:
        return [0.0, 0.0]
    amount = float(_contributions(state["betting"])[loser])
    return [-amount, amount] if loser == 0 else [amount, -amount]


def get_legal_actions(state):
    """Chance: undealt cards in DECK order. Players: "fold" (only facing a raise), "call", "raise"."""
    player = get_current_player(state)
    if player == CHANCE:
        return [f"deal:{card}" for card in DECK if card not in state["cards"] and card != state["public"]]
    if player == TERMINAL:
        return []
    chips = _contributions(state["betting"])
    actions = ["fold"] if chips[player] < max(chips) else []
    actions.append("call")
    if state["betting"][_betting_round(state)].count("raise") < MAX_RAISES:
        actions.append("raise")
    return actions


def get_observations(state):
    """Each player sees its own card, the public card and the betting; never the opponent's card."""
    contributions = _contributions(state["betting"])
    return [
        {
            "card": state["cards"][player],
            "public": state["public"],
            "betting": [list(round_actions) for round_actions in state["betting"]],
            "contributions": list(contributions),
        }
        for player in (0, 1)
    ]


def resample_history(obs_action_history, player_id):
    """Keep the player's card, the public card and the betting; draw the opponent's card uniformly."""
    if not obs_action_history:
        return []
    observation, action = obs_action_history[-1]
    own, public = observation["card"], observation["public"]
    other = random.choice([card for card in DECK if card not in (own, public)])
    cards = [own, other] if player_id == 0 else [other, own]
    actions = [f"deal:{card}" for card in cards] + observation["betting"][0]
    if public is not None:
        actions += [f"deal:{public}"] + observation["betting"][1]
    return actions + ([] if action is None else [action])
