"""Hanabi (a small two-player game): cooperation with chance (card draws) and hidden information.

The deck has 12 cards in two colours, red "R" and yellow "Y", with ranks 1, 2 and 3: three copies of
each 1, two of each 2 and one of each 3. Each player holds 2 cards facing outwards: it sees its
partner's cards but not its own. On its turn a player plays a card onto the fireworks (each colour
must be built 1, 2, 3 in order), discards a card to regain an information token, or spends a token
to tell the partner which of its cards have a given colour or rank. There are 3 information tokens
and a single life: the first misplay ends the game with score 0. Both players get the same reward,
the number of cards played successfully (at most 6).
"""

import itertools
import random

COLORS = "RY"
RANKS = "123"
COPIES = {"1": 3, "2": 2, "3": 1}  # copies of each card of a rank, in every colour
CARDS = tuple(color + rank for color in COLORS for rank in RANKS)  # R1 R2 R3 Y1 Y2 Y3
HAND_SIZE = 2
MAX_INFO_TOKENS = 3
MAX_LIFE_TOKENS = 1
CHANCE, TERMINAL = -1, -4


def _deck_size(state):
    return sum(state["deck"].values())


def _score(state):
    return 0 if state["life_tokens"] == 0 else sum(state["fireworks"].values())


def _is_over(state):
    return (
        state["life_tokens"] == 0
        or sum(state["fireworks"].values()) == len(COLORS) * len(RANKS)
        or state["turns_left"] == 0
    )


def _player_to_deal(state):
    """The first player holding fewer than HAND_SIZE cards while the deck has cards, or None."""
    if _deck_size(state) == 0:
        return None
    return next((p for p in (0, 1) if len(state["hands"][p]) < HAND_SIZE), None)


def _knowledge(card):
    """What a card's holder knows about it: hinted colour and rank (or None), and what is still possible."""
    return {key: card[key] for key in ("color", "rank", "colors", "ranks")}


def _apply_hint(hand, action):
    """Tell a hand which cards have a colour or a rank; return the positions touched."""
    kind, value = action.split(":")
    field, plausible = ("color", "colors") if kind == "reveal_color" else ("rank", "ranks")
    touched = []
    for position, card in enumerate(hand):
        if value in card["card"]:
            card[field], card[plausible] = value, value
            touched.append(str(position))
        else:
            card[plausible] = card[plausible].replace(value, "")
    return touched


def _sample_hand(unseen, knowledge):
    """Draw the cards at the hand positions described by `knowledge` from the `unseen` copies.

    Each assignment that fits the hints is weighted by the number of ways to pick those physical
    cards among the unseen copies, so every consistent deal of the physical cards is equally likely.
    """
    options = [[c for c in CARDS if c[0] in k["colors"] and c[1] in k["ranks"]] for k in knowledge]
    hands, weights = [], []
    for hand in itertools.product(*options):
        weight, left = 1, dict(unseen)
        for card in hand:
            weight *= left[card]
            left[card] -= 1
        if weight > 0:
            hands.append(hand)
            weights.append(weight)
    return list(random.choices(hands, weights)[0])


def get_initial_state():
    return {
        "deck": {card: COPIES[card[1]] for card in CARDS},  # copies not dealt yet
        "hands": [[], []],  # per player, by position: {"card", "color", "rank", "colors", "ranks"}
        "fireworks": {color: 0 for color in COLORS},  # highest rank played per colour
        "info_tokens": MAX_INFO_TOKENS,
        "life_tokens": MAX_LIFE_TOKENS,
        "discards": [],
        "turns_left": 2,  # player turns left once the deck is empty
        "moves": 0,  # player moves so far; player 0 moves first
        "log": [],  # every event, e.g. "p1 deal:R1", "p0 play:0 R1", "p1 reveal_rank:2 0,1"
    }


def apply_action(state, action):
    legal = get_legal_actions(state)
    if action not in legal:
        raise ValueError(f"illegal action {action!r}; legal: {legal}")
    # A shallow copy, then fresh copies of everything this action may change.
    new_state = dict(state)
    hands = [[dict(card) for card in hand] for hand in state["hands"]]
    new_state.update(hands=hands, fireworks=dict(state["fireworks"]), log=list(state["log"]))
    player = get_current_player(state)
    if player == CHANCE:
        card, receiver = action.removeprefix("deal:"), _player_to_deal(state)
        new_state["deck"] = dict(state["deck"])
        new_state["deck"][card] -= 1
        hands[receiver].append({"card": card, "color": None, "rank": None, "colors": COLORS, "ranks": RANKS})
        new_state["log"].append(f"p{receiver} {action}")
        return new_state
    if _deck_size(state) == 0:
        new_state["turns_left"] -= 1
    new_state["moves"] += 1
    kind, argument = action.split(":")
    if kind in ("play", "discard"):
        card = hands[player].pop(int(argument))["card"]
        color, rank = card[0], int(card[1])
        if kind == "play" and new_state["fireworks"][color] == rank - 1:
            new_state["fireworks"][color] = rank
            if rank == len(RANKS):  # a completed firework earns a token back
                new_state["info_tokens"] = min(state["info_tokens"] + 1, MAX_INFO_TOKENS)
        else:
            new_state["discards"] = state["discards"] + [card]
            if kind == "play":
                new_state["life_tokens"] -= 1
            else:
                new_state["info_tokens"] += 1
        new_state["log"].append(f"p{player} {action} {card}")
    else:
        new_state["info_tokens"] -= 1
        touched = _apply_hint(hands[1 - player], action)
        new_state["log"].append(f"p{player} {action} {','.join(touched)}")
    return new_state


def get_current_player(state):
    if _is_over(state):
        return TERMINAL
    if _player_to_deal(state) is not None:
        return CHANCE
    return state["moves"] % 2


def get_player_name(player_id):
    return {0: "player 0", 1: "player 1", CHANCE: "chance", TERMINAL: "terminal"}[player_id]


def get_rewards(state):
    """Both players get the score (the cards played, 0 after losing the life) once the game is over."""
    if not _is_over(state):
        return [0.0, 0.0]
    return [float(_score(state))] * 2


def get_legal_actions(state):
    """Chance: "deal:<card>" for the cards left, in CARDS order (likelihood proportional to copies left).
    Players: "discard:<i>" (below the token maximum), "play:<i>", then with a token left
    "reveal_color:<c>" and "reveal_rank:<r>" that touch at least one of the partner's cards."""
    player = get_current_player(state)
    if player == TERMINAL:
        return []
    if player == CHANCE:
        return [f"deal:{card}" for card in CARDS if state["deck"][card] > 0]
    positions = range(len(state["hands"][player]))
    actions = [f"discard:{i}" for i in positions] if state["info_tokens"] < MAX_INFO_TOKENS else []
    actions += [f"play:{i}" for i in positions]
    if state["info_tokens"] > 0:
        partner = [card["card"] for card in state["hands"][1 - player]]
        actions += [f"reveal_color:{c}" for c in COLORS if any(card[0] == c for card in partner)]
        actions += [f"reveal_rank:{r}" for r in RANKS if any(card[1] == r for card in partner)]
    return actions


def get_observations(state):
    """Each player sees its partner's cards, what both know from hints, the public state and the log,
    where the cards dealt to itself read "deal:?"."""
    observations = []
    for player in (0, 1):
        mine, partner = state["hands"][player], state["hands"][1 - player]
        hidden = f"p{player} deal:"
        observations.append(
            {
                "my_hand": [_knowledge(card) for card in mine],
                "partner_hand": [card["card"] for card in partner],
                "partner_knowledge": [_knowledge(card) for card in partner],
                "fireworks": dict(state["fireworks"]),
                "info_tokens": state["info_tokens"],
                "life_tokens": state["life_tokens"],
                "deck_size": _deck_size(state),
                "discards": list(state["discards"]),
                "log": [hidden + "?" if entry.startswith(hidden) else entry for entry in state["log"]],
            }
        )
    return observations


def resample_history(obs_action_history, player_id):
    """Replay the player's log. Its own cards that were played or discarded are known; the cards now
    in its hand are drawn among the copies it has not seen, consistent with every hint, so that each
    consistent deal of the physical cards is equally likely (see _sample_hand)."""
    if not obs_action_history:
        return []
    observation, action = obs_action_history[-1]
    events = [entry.split(" ") for entry in observation["log"]]
    me = f"p{player_id}"
    unseen = {card: COPIES[card[1]] for card in CARDS}
    hand, known = [], {}  # hand: for each position, the index of the event that dealt its card
    for index, (who, move, *detail) in enumerate(events):
        if move == "deal:?":
            hand.append(index)
        elif move.startswith("deal:"):
            unseen[move.removeprefix("deal:")] -= 1
        elif who == me and move.split(":")[0] in ("play", "discard"):
            known[hand.pop(int(move.split(":")[1]))] = detail[0]
            unseen[detail[0]] -= 1
    known.update(zip(hand, _sample_hand(unseen, observation["my_hand"]), strict=True))
    actions = [f"deal:{known[i]}" if move == "deal:?" else move for i, (_, move, *_) in enumerate(events)]
    return actions + ([] if action is None else [action])
