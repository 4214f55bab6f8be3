"""Heads-up limit Texas hold'em: chance (cards dealt one at a time) and hidden information (hole cards).

Two players and a 52-card deck. Player 0 posts the big blind (10 chips), player 1 the small blind (5).
Each player gets two private hole cards, then four betting rounds follow (pre-flop, flop, turn and
river) with five shared board cards dealt 3, 1 and 1 between them. Bets and raises have a fixed size
(10 in the first two rounds, 20 in the last two), at most 3 raises pre-flop and 4 in later rounds.
At the showdown the best five-card hand out of each player's seven cards wins the pot.
Each player observes its own hole cards, the board and the public betting.
"""

import collections
import random

RANKS = "23456789TJQKA"
SUITS = "cdhs"
DECK = tuple(rank + suit for rank in RANKS for suit in SUITS)  # 2c 2d 2h 2s 3c ... As
HOLE_CARDS = 2
BLINDS = (10, 5)  # player 0 posts the big blind, player 1 the small blind
RAISE_SIZES = (10, 10, 20, 20)  # by betting round: pre-flop, flop, turn, river
MAX_RAISES = (3, 4, 4, 4)  # per betting round, both players together
FIRST_TO_ACT = (1, 0, 0, 0)  # the small blind opens the pre-flop round, the big blind the others
BOARD_SIZES = (0, 3, 4, 5)  # board cards on the table during each betting round
CHANCE, TERMINAL = -1, -4

# Hand categories, weakest first; a hand's value is (category, tie-break ranks...).
HIGH_CARD, PAIR, TWO_PAIR, TRIPS, STRAIGHT, FLUSH, FULL_HOUSE, QUADS, STRAIGHT_FLUSH = range(9)


def _straight_high(ranks):
    """The top rank index of the best straight among `ranks` (indices into RANKS), or None.

    An ace also plays low, so A-2-3-4-5 is a straight whose top card is the five (index 3).
    """
    present = set(ranks)
    if RANKS.index("A") in present:
        present.add(-1)
    for high in range(len(RANKS) - 1, 2, -1):
        if all(high - step in present for step in range(5)):
            return high
    return None


def _hand_value(cards):
    """The value of the best five-card hand among `cards`: a tuple, higher is better."""
    ranks = sorted((RANKS.index(card[0]) for card in cards), reverse=True)
    by_suit = collections.defaultdict(list)
    for card in cards:
        by_suit[card[1]].append(RANKS.index(card[0]))
    flush = next((sorted(r, reverse=True) for r in by_suit.values() if len(r) >= 5), None)
    if flush and (high := _straight_high(flush)) is not None:
        return (STRAIGHT_FLUSH, high)
    # Ranks grouped by how often they occur, the most frequent (then the highest) first.
    groups = sorted(collections.Counter(ranks).items(), key=lambda item: (item[1], item[0]), reverse=True)
    (top, top_count), (second, second_count) = groups[0], groups[1]
    kickers = [rank for rank in ranks if rank != top]
    if top_count == 4:
        return (QUADS, top, kickers[0])
    if top_count == 3 and second_count >= 2:
        return (FULL_HOUSE, top, second)
    if flush:
        return (FLUSH, *flush[:5])
    if (high := _straight_high(ranks)) is not None:
        return (STRAIGHT, high)
    if top_count == 3:
        return (TRIPS, top, *kickers[:2])
    if top_count == 2 and second_count == 2:
        return (TWO_PAIR, top, second, next(rank for rank in kickers if rank != second))
    if top_count == 2:
        return (PAIR, top, *kickers[:3])
    return (HIGH_CARD, *ranks[:5])


def _round_over(sequence):
    """A round ends when a call answers a raise, or when both players have called (checked)."""
    return len(sequence) >= 2 and sequence[-1] == "call"


def _betting_round(state):
    return max(r for r, size in enumerate(BOARD_SIZES) if len(state["board"]) >= size)


def _folder(state):
    """The player who folded, or None."""
    for r, sequence in enumerate(state["betting"]):
        if sequence and sequence[-1] == "fold":
            return (FIRST_TO_ACT[r] + len(sequence) - 1) % 2
    return None


def _is_over(state):
    return _folder(state) is not None or _round_over(state["betting"][-1])


def _is_dealing(state):
    if len(state["hole"][1]) < HOLE_CARDS:
        return True
    r = _betting_round(state)
    return r < len(BOARD_SIZES) - 1 and _folder(state) is None and _round_over(state["betting"][r])


def _contributions(betting):
    """Chips each player has put in: the blinds, then calls match and raises top the highest stake."""
    chips = list(BLINDS)
    for r, sequence in enumerate(betting):
        player = FIRST_TO_ACT[r]
        for action in sequence:
            if action == "call":
                chips[player] = max(chips)
            elif action == "raise":
                chips[player] = max(chips) + RAISE_SIZES[r]
            player = 1 - player
    return chips


def get_initial_state():
    # Cards are kept in the order they were dealt.
    return {"hole": [[], []], "board": [], "betting": [[], [], [], []]}


def apply_action(state, action):
    legal = get_legal_actions(state)
    if action not in legal:
        raise ValueError(f"illegal action {action!r}; legal: {legal}")
    new_state = {
        "hole": [list(cards) for cards in state["hole"]],
        "board": list(state["board"]),
        "betting": [list(sequence) for sequence in state["betting"]],
    }
    if not _is_dealing(state):
        new_state["betting"][_betting_round(state)].append(action)
    elif len(state["hole"][1]) < HOLE_CARDS:
        player = 0 if len(state["hole"][0]) < HOLE_CARDS else 1
        new_state["hole"][player].append(action.removeprefix("deal:"))
    else:
        new_state["board"].append(action.removeprefix("deal:"))
    return new_state


def get_current_player(state):
    if _is_dealing(state):
        return CHANCE
    if _is_over(state):
        return TERMINAL
    r = _betting_round(state)
    return (FIRST_TO_ACT[r] + len(state["betting"][r])) % 2


def get_player_name(player_id):
    return {0: "big blind", 1: "small blind", CHANCE: "chance", TERMINAL: "terminal"}[player_id]


def get_rewards(state):
    """The winner takes the loser's contribution; a split pot gives 0 each; [0.0, 0.0] until the end."""
    if not _is_over(state):
        return [0.0, 0.0]
    loser = _folder(state)
    if loser is None:
        values = [_hand_value(state["hole"][p] + state["board"]) for p in (0, 1)]
        if values[0] == values[1]:
            return [0.0, 0.0]
        loser = 0 if values[0] < values[1] else 1
    amount = float(_contributions(state["betting"])[loser])
    return [-amount, amount] if loser == 0 else [amount, -amount]


def get_legal_actions(state):
    """Chance: undealt cards in DECK order. Players: "fold" (only facing a raise), "call", "raise"."""
    player = get_current_player(state)
    if player == TERMINAL:
        return []
    if player == CHANCE:
        dealt = set(state["hole"][0] + state["hole"][1] + state["board"])
        return [f"deal:{card}" for card in DECK if card not in dealt]
    chips = _contributions(state["betting"])
    actions = ["fold"] if chips[player] < chips[1 - player] else []
    actions.append("call")
    r = _betting_round(state)
    if state["betting"][r].count("raise") < MAX_RAISES[r]:
        actions.append("raise")
    return actions


def get_observations(state):
    """Each player sees its own hole cards, the board and the betting; never the opponent's cards.

    Cards dealt as a group (the two hole cards, the three flop cards) are shown in DECK order, as
    their dealing order tells nothing; the turn and the river follow the flop.
    """
    board = sorted(state["board"][:3], key=DECK.index) + state["board"][3:]
    contributions = _contributions(state["betting"])
    return [
        {
            "hole": sorted(state["hole"][player], key=DECK.index),
            "board": list(board),
            "betting": [list(sequence) for sequence in state["betting"]],
            "contributions": list(contributions),
        }
        for player in (0, 1)
    ]


def resample_history(obs_action_history, player_id):
    """Keep the player's view and draw the rest uniformly: the opponent's hole cards among the unseen
    cards, and the dealing order of the player's hole cards and of the flop (all equally likely)."""
    if not obs_action_history:
        return []
    observation, action = obs_action_history[-1]
    hole, board = list(observation["hole"]), list(observation["board"])
    other = random.sample([card for card in DECK if card not in hole and card not in board], HOLE_CARDS)
    random.shuffle(hole)
    board = random.sample(board[:3], len(board[:3])) + board[3:]
    holes = [hole, other] if player_id == 0 else [other, hole]
    actions = [f"deal:{card}" for card in holes[0] + holes[1]]
    for r, sequence in enumerate(observation["betting"]):
        if len(board) < BOARD_SIZES[r]:
            break
        if r > 0:
            actions += [f"deal:{card}" for card in board[BOARD_SIZES[r - 1] : BOARD_SIZES[r]]]
        actions += sequence
    return actions + ([] if action is None else [action])
