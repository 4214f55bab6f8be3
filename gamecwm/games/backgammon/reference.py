"""Backgammon: a race-and-hit board game with chance (the dice) and perfect information.

Each player moves 15 checkers from its own 24-point towards its 1-point and bears them off; the first
to bear off all 15 wins (+1/-1). A turn is one action that plays the two dice ("13/10 8/7"); a
double is played as two such actions in a row. Chance rolls the dice ("roll:3-5"). After 160 turns
without a winner the game is a draw. Rules and action strings follow OpenSpiel's `backgammon`.
"""

import functools

CHECKERS = 15
MAX_TURNS = 160
# Index of a player's checker counts: 0 = borne off, 1..24 = its own points, 25 = on the bar.
OFF, BAR = 0, 25
START = {24: 2, 13: 5, 8: 3, 6: 5}
# Chance outcomes "roll:a-b": the opening roll (player 0's die, player 1's die) has no doubles.
ROLLS = [f"roll:{a}-{b}" for a in range(1, 7) for b in range(1, 7)]
OPENING_ROLLS = [roll for roll in ROLLS if roll[5] != roll[7]]
CHANCE, TERMINAL = -1, -4


def _start_counts():
    return [START.get(index, 0) for index in range(BAR + 1)]


def _single_moves(mine, theirs, dice):
    """Every (from, die) one checker may play now, from its owner's counts `mine` and `theirs`.

    My point p is the opponent's point 25 - p; a point with two or more opposing checkers is closed.
    """
    if mine[BAR]:
        return {(BAR, die) for die in dice if theirs[die] <= 1}  # entering lands on my point 25 - die
    home = not any(mine[7:BAR])
    furthest = max((p for p in range(1, 7) if mine[p]), default=0) if home else 0
    moves = set()
    for point in range(1, BAR):
        if mine[point]:
            for die in dice:
                to = point - die
                if to >= 1:
                    if theirs[BAR - to] <= 1:
                        moves.add((point, die))
                elif home and (to == 0 or point == furthest):
                    moves.add((point, die))
    return moves


def _move_checker(mine, theirs, point, die):
    """Move one checker in place; a lone opposing checker where it lands goes to its bar."""
    to = max(point - die, OFF)
    mine[point] -= 1
    mine[to] += 1
    if to != OFF and theirs[BAR - to] == 1:
        theirs[BAR - to] = 0
        theirs[BAR] += 1


def _sequences(mine, theirs, dice):
    """Every way to play the two dice one after the other, as lists of (from, die): two moves, or one
    move when the other die cannot follow it, or the empty list when nothing can move."""
    found = []
    for point, die in _single_moves(mine, theirs, dice):
        mine_after, theirs_after = list(mine), list(theirs)
        _move_checker(mine_after, theirs_after, point, die)
        other = dice[1] if die == dice[0] else dice[0]
        seconds = _single_moves(mine_after, theirs_after, [other])
        found += [[(point, die), second] for second in seconds] or [[(point, die)]]
    return found or [[]]


@functools.cache
def _move_text(point, die):
    """One checker move: "13/10", "bar/22", or "3/off:6" for bearing off (naming the die used)."""
    start = "bar" if point == BAR else str(point)
    return f"{start}/{point - die}" if point > die else f"{start}/off:{die}"


def _notation(moves):
    """The checker moves in play order, separated by spaces, or "pass" when there are none."""
    return " ".join([_move_text(point, die) for point, die in moves]) or "pass"


@functools.lru_cache(maxsize=1024)
def _plays(mine, theirs, dice):
    """Map each legal action string to its checker moves: play as many dice as possible, else the larger.

    Cached on tuples, as a search asks about the same position many times (callers must not modify it).
    """
    found = _sequences(mine, theirs, dice)
    most = max(len(moves) for moves in found)
    plays = [moves for moves in found if len(moves) == most]
    if most == 1:
        larger = max(moves[0][1] for moves in plays)
        plays = [moves for moves in plays if moves[0][1] == larger]
    return {_notation(moves): moves for moves in plays}


def _legal_plays(state):
    """The mover's legal plays: action string -> list of (from, die) checker moves."""
    player = state["mover"]
    checkers = state["checkers"]
    return _plays(tuple(checkers[player]), tuple(checkers[1 - player]), tuple(state["dice"]))


def _winner(state):
    return next((p for p in (0, 1) if state["checkers"][p][OFF] == CHECKERS), None)


def _is_over(state):
    return _winner(state) is not None or state["turns"] >= MAX_TURNS


def get_initial_state():
    # checkers[p]: player p's counts in its own numbering (index 0 = off, 1..24 = points, 25 = bar).
    # dice: the two dice the mover plays, sorted (empty while a roll is due).
    # mover: who plays the dice, or whom the next roll is for; None before the opening roll.
    # second_half: the mover plays the second half of a double. turns: the turn counter.
    return {
        "checkers": [_start_counts(), _start_counts()],
        "dice": [],
        "mover": None,
        "second_half": False,
        "turns": 0,
    }


def apply_action(state, action):
    player = get_current_player(state)
    plays = _legal_plays(state) if player in (0, 1) else {}  # action string -> checker moves
    legal = sorted(plays) or get_legal_actions(state)
    if action not in legal:
        raise ValueError(f"illegal action {action!r}; legal: {legal}")
    new_state = dict(state, checkers=[counts[:] for counts in state["checkers"]], dice=list(state["dice"]))
    if player == CHANCE:
        first, second = int(action[5]), int(action[7])
        if state["mover"] is None:  # opening roll: player 0 rolled `first`, player 1 `second`
            new_state["mover"] = 0 if first > second else 1
        new_state["dice"] = sorted([first, second])
        return new_state
    moves = plays[action]
    mine, theirs = new_state["checkers"][player], new_state["checkers"][1 - player]
    for point, die in moves:
        _move_checker(mine, theirs, point, die)
    dice = state["dice"]
    if state["second_half"]:
        new_state["second_half"] = False
    else:
        new_state["turns"] += 1
        # A double whose first half used both dice gives the same player a second half.
        new_state["second_half"] = dice[0] == dice[1] and len(moves) == 2
    if not new_state["second_half"]:
        new_state["dice"], new_state["mover"] = [], 1 - player
    return new_state


def get_current_player(state):
    if _is_over(state):
        return TERMINAL
    return state["mover"] if state["dice"] else CHANCE


def get_player_name(player_id):
    return {0: "player 0", 1: "player 1", CHANCE: "chance", TERMINAL: "terminal"}[player_id]


def get_rewards(state):
    """+1 for bearing off all 15 checkers first, -1 for the other player; 0/0 otherwise."""
    winner = _winner(state)
    if winner is None:
        return [0.0, 0.0]
    return [1.0, -1.0] if winner == 0 else [-1.0, 1.0]


def get_legal_actions(state):
    """Rolls "roll:a-b" (a then b from 1 to 6; no doubles at the opening), or moves in string order."""
    player = get_current_player(state)
    if player == TERMINAL:
        return []
    if player == CHANCE:
        return list(OPENING_ROLLS if state["mover"] is None else ROLLS)
    return sorted(_legal_plays(state))


def get_observations(state):
    """Both players see the whole position: checkers, dice, whose turn it is and the turn count."""
    player = get_current_player(state)
    return [
        {
            "checkers": [counts[:] for counts in state["checkers"]],
            "dice": list(state["dice"]),
            "mover": state["mover"],
            "second_half": state["second_half"],
            "turns": state["turns"],
            "current_player": player,
        }
        for _ in (0, 1)
    ]
