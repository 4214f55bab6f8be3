"""Hand of War: a 16-card battle game with chance (the deal) and hidden information (hands, piles).

Chance deals a shuffled deck of A, K, Q, J in four suits face down: 8 cards to each player's draw
pile. Each player holds 3 cards. In every battle player 0 plays a card, then player 1 plays one
without seeing it; the higher rank takes both cards (and the pot) into its win pile. On a tie both
cards go to the pot, each player burns its top card face down into the pot, and the next battle
decides who takes it. Hands refill to 3 after every battle; when a pile runs out the game ends and
the larger win pile wins (+1/-1, a draw at equal size).
Hidden information: a player sees its own hand and draws and both cards of every battle, never the
opponent's hand, the piles' order or the burned cards; resample_history re-deals what it cannot see.
"""

import copy
import random

RANKS = "AKQJ"  # highest first
SUITS = "shdc"
DECK = [rank + suit for rank in RANKS for suit in SUITS]
PILE_SIZE, HAND_SIZE = 8, 3
CHANCE, TERMINAL = -1, -4


def _strength(card):
    """Higher for stronger cards: A > K > Q > J. Suits never matter."""
    return len(RANKS) - RANKS.index(card[0])


def _in_deck_order(cards):
    return sorted(cards, key=DECK.index)


def _draw(state, player):
    """Move the player's top pile card into its hand."""
    card = state["piles"][player].pop(0)
    state["hands"][player].append(card)
    state["drawn"][player].append(card)


def _resolve_battle(state):
    """Score the two cards on the table, burn on a tie, refill the hands; an empty pile ends the game.

    Both piles always hold the same number of cards, so they run out together.
    """
    cards = state["table"]
    state["battles"].append(list(cards))
    state["pot"] += cards
    state["table"] = [None, None]
    if _strength(cards[0]) != _strength(cards[1]):
        winner = 0 if _strength(cards[0]) > _strength(cards[1]) else 1
        state["won"][winner] += state["pot"]
        state["pot"] = []
    elif all(state["piles"]):  # a tie: each player burns its top card face down into the pot
        state["pot"] += [state["piles"][player].pop(0) for player in (0, 1)]
    else:
        state["over"] = True
        return
    if all(state["piles"]):
        _draw(state, 0)
        _draw(state, 1)
    else:
        state["over"] = True


def _is_dealing(state):
    return not state["drawn"][0]  # the hands are drawn right after the deal


def get_initial_state():
    # piles: draw piles, top card first. drawn: every card each player drew, in order.
    # table: the cards played in the current battle. battles: [player 0's, player 1's] card per battle.
    # pot: tied and burned cards, won by the next battle's winner. won: the win piles.
    return {
        "piles": [[], []],
        "hands": [[], []],
        "drawn": [[], []],
        "table": [None, None],
        "battles": [],
        "pot": [],
        "won": [[], []],
        "over": False,
    }


def apply_action(state, action):
    legal = get_legal_actions(state)
    if action not in legal:
        raise ValueError(f"illegal action {action!r}; legal: {legal}")
    player = get_current_player(state)
    new_state = copy.deepcopy(state)
    card = action.split(":")[1]
    if player == CHANCE:
        receiver = 0 if len(state["piles"][0]) < PILE_SIZE else 1
        new_state["piles"][receiver].append(card)
        if len(new_state["piles"][1]) == PILE_SIZE:  # the deal is complete: both draw their hands
            for drawer in (0, 1):
                for _ in range(HAND_SIZE):
                    _draw(new_state, drawer)
        return new_state
    new_state["hands"][player].remove(card)
    new_state["table"][player] = card
    if player == 1:
        _resolve_battle(new_state)
    return new_state


def get_current_player(state):
    if _is_dealing(state):
        return CHANCE
    if state["over"]:
        return TERMINAL
    return 0 if state["table"][0] is None else 1


def get_player_name(player_id):
    return {0: "player 0", 1: "player 1", CHANCE: "chance", TERMINAL: "terminal"}[player_id]


def get_rewards(state):
    """At the end, the larger win pile wins (+1/-1); equal piles draw. 0/0 until then."""
    if not state["over"]:
        return [0.0, 0.0]
    sizes = [len(pile) for pile in state["won"]]
    if sizes[0] == sizes[1]:
        return [0.0, 0.0]
    return [1.0, -1.0] if sizes[0] > sizes[1] else [-1.0, 1.0]


def get_legal_actions(state):
    """Chance: "deal:<card>" for each undealt card; players: "play:<card>" for each card in hand.
    Both in deck order: A, K, Q, J, each in suit order s, h, d, c."""
    player = get_current_player(state)
    if player == CHANCE:
        dealt = state["piles"][0] + state["piles"][1]
        return [f"deal:{card}" for card in DECK if card not in dealt]
    if player == TERMINAL:
        return []
    return [f"play:{card}" for card in _in_deck_order(state["hands"][player])]


def get_observations(state):
    """A player sees its hand, its own draws, both cards of every finished battle and the public counts;
    of the current battle only its own card and whether the opponent has played."""
    observations = []
    for player in (0, 1):
        observations.append(
            {
                "hand": _in_deck_order(state["hands"][player]),
                "my_draws": list(state["drawn"][player]),
                "battles": [list(cards) for cards in state["battles"]],
                "my_card": state["table"][player],
                "opponent_played": state["table"][1 - player] is not None,
                "pile_sizes": [len(pile) for pile in state["piles"]],
                "win_pile_sizes": [len(pile) for pile in state["won"]],
                "pot_size": len(state["pot"]),
                "current_player": get_current_player(state),
            }
        )
    return observations


def _draw_positions(battles):
    """Pile positions (0 = top) each player has drawn, in order, while the game goes on after `battles`:
    the 3-card hand, then after each battle one draw, after skipping a burned card on a tie."""
    positions = list(range(HAND_SIZE))
    for card0, card1 in battles:
        burned = _strength(card0) == _strength(card1)
        positions.append(positions[-1] + 1 + burned)
    return positions


def resample_history(obs_action_history, player_id):
    """Draw a history uniformly among those consistent with what `player_id` saw.

    Known: the player's own draws (their pile positions follow from the ties) and every card the
    opponent played. The opponent played each battle's card from its 3-card hand, i.e. from 3 of its
    drawn pile positions; every choice of position leaves the same number of ways to place the unseen
    cards, so picking one of the 3 uniformly, battle after battle, is exact. A hidden current card of
    player 0 is one more uniform pick from its hand. All other positions get the unseen cards shuffled.
    """
    if not obs_action_history:
        return []  # no decision yet: nothing seen that needs explaining
    observation, action = obs_action_history[-1]
    opponent = 1 - player_id
    battles = observation["battles"]
    positions = _draw_positions(battles)
    piles = [[None] * PILE_SIZE, [None] * PILE_SIZE]
    for position, card in zip(positions, observation["my_draws"], strict=True):
        piles[player_id][position] = card
    hand, next_draws = positions[:HAND_SIZE], iter(positions[HAND_SIZE:])
    for cards in battles:
        position = random.choice(hand)
        hand.remove(position)
        piles[opponent][position] = cards[opponent]
        hand.append(next(next_draws))
    unseen = [card for card in DECK if card not in piles[0] + piles[1]]
    random.shuffle(unseen)
    for pile in piles:
        for position in range(PILE_SIZE):
            if pile[position] is None:
                pile[position] = unseen.pop()
    actions = [f"deal:{card}" for card in piles[0] + piles[1]]
    for cards in battles:
        actions += [f"play:{cards[0]}", f"play:{cards[1]}"]
    if player_id == 1:  # player 0's card in the current battle is hidden: any card of its hand
        actions.append(f"play:{piles[0][random.choice(hand)]}")
    return actions + ([action] if action is not None else [])
