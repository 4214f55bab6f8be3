"""Gin Rummy: one hand of two-player gin with knocking, gin and undercut bonuses.

Chance deals a 52-card deck card by card (ten to each player, then the face-up upcard) and every card
drawn from the stock. Players draw the upcard or a stock card and discard, building melds (sets and
runs); with at most 10 points of unmelded cards a player may knock, lay its melds, and let the
opponent lay off cards and its own melds before the deadwood is compared.
Hidden information: each player sees its own hand and the public play, never the opponent's cards.
"""

import functools
import random

RANKS = "A23456789TJQK"
SUITS = "scdh"  # spades, clubs, diamonds, hearts
DECK = tuple(rank + suit for suit in SUITS for rank in RANKS)
ORDER = {card: index for index, card in enumerate(DECK)}
VALUE = {card: min(RANKS.index(card[0]) + 1, 10) for card in DECK}  # ace 1, faces 10
HAND_SIZE = 10
KNOCK_LIMIT = 10  # most deadwood a knocker may keep
GIN_BONUS = UNDERCUT_BONUS = 25
WALL = 2  # stock size that ends the drawing
MAX_UPCARD_DRAWS = 50  # the 50th "draw_upcard" of the draw phase ends the hand in a draw
CHANCE, TERMINAL = -1, -4


def _meld_table():
    """Every meld, as its cards joined: sets by rank (3-card sets by missing suit, then the 4-card
    set), then runs of 3, 4 and 5 cards by length, suit and lowest rank."""
    melds = []
    for rank in RANKS:
        cards = [rank + suit for suit in SUITS]
        melds += ["".join(cards[:i] + cards[i + 1 :]) for i in range(4)] + ["".join(cards)]
    for length in (3, 4, 5):
        for suit in SUITS:
            melds += ["".join(r + suit for r in RANKS[low : low + length]) for low in range(14 - length)]
    return melds


MELDS = _meld_table()
MELD_CARDS = {meld: frozenset(meld[i : i + 2] for i in range(0, len(meld), 2)) for meld in MELDS}


def _value(cards):
    return sum(VALUE[card] for card in cards)


def _melds_in(cards):
    """The melds made only of `cards` (a frozenset), in table order."""
    return [meld for meld in MELDS if MELD_CARDS[meld] <= cards]


@functools.lru_cache(maxsize=1 << 16)
def _deadwood(cards, drop=False):
    """Least deadwood of `cards` (a frozenset) over every arrangement into disjoint melds. With `drop`
    (11 cards about to discard) each arrangement's most valuable unmelded card is not counted, which
    gives the least deadwood of any 10 of the cards."""
    melds = [MELD_CARDS[meld] for meld in _melds_in(cards)]

    def least(left, start):
        values = [VALUE[card] for card in left]
        best = sum(values) - (max(values) if drop and values else 0)
        for i in range(start, len(melds)):
            if melds[i] <= left:
                best = min(best, least(left - melds[i], i + 1))
        return best

    return least(cards, 0)


def _layoff_targets(knocker_melds, layoffs):
    """Cards the defender may lay off: the fourth card of a 3-card set, and the card beyond each end
    of a run, where a card already laid off next to an end extends the run (two per end at most)."""
    targets = set()
    for meld in knocker_melds:
        if meld[0] == meld[2]:  # a set
            if len(meld) == 6:
                targets |= {meld[0] + suit for suit in SUITS} - MELD_CARDS[meld]
            continue
        suit, low, high = meld[1], RANKS.index(meld[0]), RANKS.index(meld[-2])
        if low > 0 and RANKS[low - 1] + suit in layoffs:
            low -= 1
        if high < 12 and RANKS[high + 1] + suit in layoffs:
            high += 1
        targets |= {RANKS[rank] + suit for rank in (low - 1, high + 1) if 0 <= rank < 13}
    return targets


def _logged_copy(state, actor, action):
    """A copy of `state` (its lists copied, so the input never changes) with `action` logged."""
    new = dict(state)
    for key in ("deck", "pile", "layoffs"):
        new[key] = list(state[key])
    for key in ("hands", "melds", "dealt"):
        new[key] = [list(part) for part in state[key]]
    new["log"] = state["log"] + [f"{get_player_name(actor)} {action}"]
    return new


def _sample_cards(pool, count, budget):
    """`count` distinct cards of `pool` in random order, uniform among the draws worth at most
    `budget` points in total (any draw when `budget` is None)."""
    if budget is None:
        return random.sample(pool, count)

    @functools.cache
    def ways(i, k, b):  # draws of k cards from pool[i:] worth at most b
        if k == 0:
            return 1
        if i == len(pool):
            return 0
        value = VALUE[pool[i]]
        return ways(i + 1, k, b) + (ways(i + 1, k - 1, b - value) if value <= b else 0)

    chosen = []
    for i, card in enumerate(pool):
        if len(chosen) == count:
            break
        k, b = count - len(chosen), budget - _value(chosen)
        if VALUE[card] <= b and random.random() * ways(i, k, b) < ways(i + 1, k - 1, b - VALUE[card]):
            chosen.append(card)
    random.shuffle(chosen)
    return chosen


def get_initial_state():
    return {
        "deck": list(DECK),  # undealt cards (the stock once the deal is over), in DECK order
        "hands": [[], []],  # kept in DECK order
        "upcard": None,
        "pile": [],  # discards buried under the upcard, out of play
        "phase": "deal",  # deal, first_upcard, draw, discard, knock, layoff, meld, wall, over
        "player": 0,  # who acts, or who receives the next stock card
        "passes": 0,  # passes on the first upcard
        "taken": None,  # the upcard the player now discarding just took
        "repeat": False,  # the last discard threw back the upcard just taken
        "upcard_draws": 0,
        "knocker": None,
        "melds": [[], []],  # melds each player laid, as action names
        "layoffs": [],
        "log": [],  # every action so far, after its actor: "chance deal:As", "p0 pass", ...
        "dealt": [[], []],  # log indices of the cards dealt to each player, which only it sees
    }


def apply_action(state, action):
    legal = get_legal_actions(state)
    if action not in legal:
        raise ValueError(f"illegal action {action!r}; legal: {legal}")
    actor, phase, player = get_current_player(state), state["phase"], state["player"]
    new = _logged_copy(state, actor, action)
    hand = new["hands"][player]
    kind, _, card = action.partition(":")  # card: a card, or a meld's name
    if kind == "deal":
        new["deck"].remove(card)
        dealt = len(DECK) - len(new["deck"])
        if dealt == 2 * HAND_SIZE + 1:
            new["upcard"], new["phase"] = card, "first_upcard"
            return new
        if dealt <= 2 * HAND_SIZE:
            player = (dealt - 1) // HAND_SIZE
            hand = new["hands"][player]
        else:
            new["phase"] = "discard"
        hand.append(card)
        new["dealt"][player].append(len(state["log"]))
    elif kind == "draw_upcard":
        new["upcard_draws"] += phase == "draw"  # first-upcard draws do not count
        if new["upcard_draws"] == MAX_UPCARD_DRAWS:
            new["phase"] = "over"
            return new
        hand.append(state["upcard"])
        new["taken"], new["upcard"], new["phase"] = state["upcard"], None, "discard"
    elif kind == "draw_stock":
        new["pile"].append(state["upcard"])
        new["taken"], new["upcard"], new["phase"] = None, None, "deal"
    elif kind == "knock":
        if phase == "wall":  # the knock takes the upcard
            hand.append(state["upcard"])
            new["upcard"] = None
        new["knocker"], new["phase"] = player, "knock"
    elif kind == "discard":
        hand.remove(card)
        if phase == "knock":
            new["pile"].append(card)
        else:
            repeat = card == state["taken"]
            new["upcard"], new["repeat"], new["player"] = card, repeat, 1 - player
            if repeat and state["repeat"]:  # both players threw back the upcard they took
                new["phase"] = "over"
            else:
                new["phase"] = "wall" if len(state["deck"]) == WALL else "draw"
    elif kind == "meld":
        for melded in MELD_CARDS[card]:
            hand.remove(melded)
        new["melds"][player].append(card)
    elif kind == "layoff":
        hand.remove(card)
        new["layoffs"].append(card)
    elif phase == "first_upcard":  # "pass"
        new["passes"] += 1
        new["player"] = 1 - player
    elif phase == "knock":
        new["phase"], new["player"] = ("layoff" if hand else "meld"), 1 - player  # no layoffs on gin
    else:
        new["phase"] = "meld" if phase == "layoff" else "over"
    hand.sort(key=ORDER.get)
    return new


def get_current_player(state):
    return {"deal": CHANCE, "over": TERMINAL}.get(state["phase"], state["player"])


def get_player_name(player_id):
    return {0: "p0", 1: "p1", CHANCE: "chance", TERMINAL: "terminal"}[player_id]


def get_rewards(state):
    """The knocker scores the defender's deadwood minus its own, +25 for gin; a negative score
    costs 25 more (undercut). No knock: [0.0, 0.0]."""
    knocker = state["knocker"]
    if state["phase"] != "over" or knocker is None:
        return [0.0, 0.0]
    own, other = _value(state["hands"][knocker]), _value(state["hands"][1 - knocker])
    score = other - own + (GIN_BONUS if own == 0 else 0)
    if score < 0:
        score -= UNDERCUT_BONUS
    return [float(score), float(-score)] if knocker == 0 else [float(-score), float(score)]


def get_legal_actions(state):
    """Listed in one global order: card actions ("deal:", "discard:", "layoff:") in DECK order, then
    "draw_upcard", "draw_stock", "pass", "knock", then "meld:" actions in meld-table order."""
    phase = state["phase"]
    if phase == "over":
        return []
    if phase == "deal":
        return [f"deal:{card}" for card in state["deck"]]
    hand = state["hands"][state["player"]]
    cards = frozenset(hand)
    if phase == "first_upcard":
        return ["draw_stock"] if state["passes"] == 2 else ["draw_upcard", "pass"]
    if phase == "draw":
        return ["draw_upcard", "draw_stock"]
    if phase == "wall":
        can_knock = _deadwood(cards | {state["upcard"]}, True) <= KNOCK_LIMIT
        return ["pass"] + ["knock"] * can_knock
    if phase == "discard":
        return [f"discard:{card}" for card in hand] + ["knock"] * (_deadwood(cards, True) <= KNOCK_LIMIT)
    if phase == "knock":  # discard, then lay melds that keep the deadwood within the limit
        if len(hand) > HAND_SIZE:
            return [f"discard:{card}" for card in hand if _deadwood(cards - {card}) <= KNOCK_LIMIT]
        melds = [f"meld:{m}" for m in _melds_in(cards) if _deadwood(cards - MELD_CARDS[m]) <= KNOCK_LIMIT]
        return ["pass"] * (_value(hand) <= KNOCK_LIMIT) + melds
    if phase == "layoff":
        targets = _layoff_targets(state["melds"][state["knocker"]], state["layoffs"])
        return [f"layoff:{card}" for card in hand if card in targets] + ["pass"]
    return ["pass"] + [f"meld:{meld}" for meld in _melds_in(cards)]  # the defender's melds


def get_observations(state):
    """Each player sees its own hand, the upcard, the discard pile, the stock size, the laid melds and
    layoffs, and every action so far, except that cards dealt to the opponent read "deal:??"."""
    observations = []
    for player in (0, 1):
        seen = list(state["log"])
        for i in state["dealt"][1 - player]:
            seen[i] = "chance deal:??"
        observations.append(
            {
                "hand": list(state["hands"][player]),
                "upcard": state["upcard"],
                "discard_pile": list(state["pile"]),
                "stock_size": len(state["deck"]),
                "melds": [list(melds) for melds in state["melds"]],
                "layoffs": list(state["layoffs"]),
                "phase": state["phase"],
                "current_player": get_current_player(state),
                "log": seen,
            }
        )
    return observations


def resample_history(obs_action_history, player_id):
    """Fill in the hidden deals ("chance deal:??": the opponent's ten cards and its stock draws),
    uniformly among the fillings consistent with everything the player saw.

    A card the opponent revealed (discarded, melded, laid off) that it had not taken from the upcard
    must come from one of its hidden deals before that moment: these forced cards take uniformly
    chosen free slots, earliest deadline first (the number of choices never depends on earlier
    ones). The other slots get a uniform draw of unseen cards in random order; if the opponent
    knocked, the cards it kept (those and its unrevealed upcards) are worth at most KNOCK_LIMIT.
    """
    if not obs_action_history:
        return []
    observation, action = obs_action_history[-1]
    log = observation["log"] + ([f"{get_player_name(player_id)} {action}"] if action is not None else [])
    opponent = get_player_name(1 - player_id)
    slots, forced, kept, seen, upcard = [], [], [], set(), None
    history = [entry.split(" ") for entry in log]
    for index, (actor, act) in enumerate(history):
        kind, _, arg = act.partition(":")
        cards = sorted(MELD_CARDS[arg]) if kind == "meld" else [arg] if arg not in ("", "??") else []
        seen.update(cards)
        if act == "deal:??":
            slots.append(index)
        elif actor == opponent and (kind == "draw_upcard" or kind == "knock" and upcard):
            kept.append(upcard)
        elif actor == opponent and kind in ("discard", "meld", "layoff"):
            for card in cards:
                if card in kept:
                    kept.remove(card)
                else:
                    forced.append((len(slots), card))
        if kind == "discard" or index == 2 * HAND_SIZE:
            upcard = arg
        elif kind in ("draw_upcard", "draw_stock", "knock"):
            upcard = None
    filled = {}
    for deadline, card in sorted(forced):
        filled[random.choice([i for i in slots[:deadline] if i not in filled])] = card
    free = [i for i in slots if i not in filled]
    knocked = [opponent, "knock"] in history
    budget = KNOCK_LIMIT - _value(kept) if knocked else None
    pool = [card for card in DECK if card not in seen]
    filled.update(zip(free, _sample_cards(pool, len(free), budget), strict=True))
    return [f"deal:{filled[i]}" if i in filled else act for i, (_, act) in enumerate(history)]
