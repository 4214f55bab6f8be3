"""Blackjack: one player against a dealer bound by house rules, dealt card by card from one deck.

Chance deals from a shuffled 52-card deck: two cards to the player (player 0), then the dealer's
face-down hole card and its face-up card. The player "hit"s (takes a card) or "stand"s; going over 21
busts and loses at once. Then the dealer (player 1) turns its hole card up and must "hit" on 16 or less
and "stand" on 17 or more, soft 17 included: each dealer turn has exactly one legal action.
The total nearer to 21 wins 1 from the other side, equal totals give 0 (zero-sum).
Exercises chance (every card dealt) and hidden information (the dealer's hole card).
"""

import random

RANKS = "A23456789TJQK"
SUITS = "cdhs"
DECK = tuple(rank + suit for suit in SUITS for rank in RANKS)  # clubs, diamonds, hearts, spades
TARGET = 21
DEALER_STANDS_AT = 17
PLAYER, DEALER = 0, 1
CHANCE, TERMINAL = -1, -4


def _total(hand):
    """Aces count 1, or 11 for one of them when that does not pass 21; tens and faces count 10."""
    total = sum(min(RANKS.index(card[0]) + 1, 10) for card in hand)
    if any(card[0] == "A" for card in hand) and total + 10 <= TARGET:
        total += 10
    return total


def _receiver(state):
    """Whose hand the next card goes to, or None when no card is due."""
    hands, moves = state["hands"], state["moves"]
    for player in (PLAYER, DEALER):  # the initial deal: the player's two cards, then the dealer's
        if len(hands[player]) < 2:
            return player
    for player in (PLAYER, DEALER):  # a hit not answered by a card yet
        if moves[player].count("hit") > len(hands[player]) - 2:
            return player
    return None


def _player_done(state):
    """The player's turn is over once it stands or busts; the hole card is then turned up."""
    return "stand" in state["moves"][PLAYER] or _total(state["hands"][PLAYER]) > TARGET


def get_initial_state():
    # hands[0] is the player's, hands[1] the dealer's (hole card first); moves[p] lists p's hits and stand.
    return {"hands": [[], []], "moves": [[], []]}


def apply_action(state, action):
    legal = get_legal_actions(state)
    if action not in legal:
        raise ValueError(f"illegal action {action!r}; legal: {legal}")
    new_state = {"hands": [list(hand) for hand in state["hands"]], "moves": [list(m) for m in state["moves"]]}
    receiver = _receiver(state)
    if receiver is not None:
        new_state["hands"][receiver].append(action.removeprefix("deal:"))
    else:
        new_state["moves"][get_current_player(state)].append(action)
    return new_state


def get_current_player(state):
    if _receiver(state) is not None:
        return CHANCE
    hands = state["hands"]
    if _total(hands[PLAYER]) > TARGET or _total(hands[DEALER]) > TARGET or "stand" in state["moves"][DEALER]:
        return TERMINAL
    return DEALER if _player_done(state) else PLAYER


def get_player_name(player_id):
    return {PLAYER: "player", DEALER: "dealer", CHANCE: "chance", TERMINAL: "terminal"}[player_id]


def get_rewards(state):
    """A bust loses; otherwise the higher total wins 1 and equal totals give 0. [0.0, 0.0] until the end."""
    if get_current_player(state) != TERMINAL:
        return [0.0, 0.0]
    mine, dealer = (_total(hand) for hand in state["hands"])
    if mine > TARGET:
        result = -1
    elif dealer > TARGET:
        result = 1
    else:
        result = (mine > dealer) - (mine < dealer)
    return [float(result), float(-result)]


def get_legal_actions(state):
    """Chance: every card not dealt yet, as "deal:<card>" in DECK order. Player: "hit", "stand".
    Dealer: only "hit" below 17, only "stand" from 17 on."""
    player = get_current_player(state)
    if player == TERMINAL:
        return []
    if player == CHANCE:
        dealt = state["hands"][PLAYER] + state["hands"][DEALER]
        return [f"deal:{card}" for card in DECK if card not in dealt]
    if player == PLAYER:
        return ["hit", "stand"]
    return ["hit"] if _total(state["hands"][DEALER]) < DEALER_STANDS_AT else ["stand"]


def get_observations(state):
    """The dealer sees every card. The player sees its own cards and the dealer's, except the hole card
    (None) until its own turn is over."""
    player_cards, dealer_cards = state["hands"]
    seen = list(dealer_cards)
    if seen and not _player_done(state):
        seen[0] = None
    return [
        {"player_cards": list(player_cards), "dealer_cards": seen},
        {"player_cards": list(player_cards), "dealer_cards": list(dealer_cards)},
    ]


def resample_history(obs_action_history, player_id):
    """Rebuild the deal from the cards the player saw. The player draws the hidden hole card uniformly
    from the cards it has not seen; the dealer sees every card, so its history is fully known."""
    if not obs_action_history:
        return []
    observation, action = obs_action_history[-1]
    mine, dealer = observation["player_cards"], list(observation["dealer_cards"])
    if dealer[0] is None:
        dealer[0] = random.choice([card for card in DECK if card not in mine and card not in dealer])
    history = [f"deal:{card}" for card in mine[:2] + dealer[:2]]
    for card in mine[2:]:
        history += ["hit", f"deal:{card}"]
    if player_id == DEALER:  # the dealer only acts after the player stands
        history.append("stand")
        for card in dealer[2:]:
            history += ["hit", f"deal:{card}"]
    return history + ([] if action is None else [action])
