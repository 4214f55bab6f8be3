"""Go on a 9x9 board: a perfect-information game of placing and capturing stones, with no chance.

Black (player 0) and White (player 1) take turns placing a stone on an empty point or passing. A
chain of stones left without an empty neighbour is captured. Suicide is illegal, and the simple ko
rule forbids retaking a single stone at once. The game ends after two passes in a row or after 162
actions, and ends at once as a draw when a stone recreates an earlier whole-board position.
Area scoring with komi 7.5 for White decides the winner (+1/-1).

Points are named "a1".."j9" (files a-j without i, ranks 1-9 from the bottom); "pass" passes.
The board is an 81-character string: point p = row * 9 + col, row 0 is rank 1, col 0 is file a.
"""

SIZE = 9
POINTS = SIZE * SIZE
KOMI = 7.5
MAX_ACTIONS = 2 * POINTS  # the game stops after this many actions, passes included
FILES = "abcdefghj"  # Go coordinates skip the letter i
EMPTY, STONES = ".", ("X", "O")  # Black's and White's stones
PASS = "pass"
CHANCE, TERMINAL = -1, -4

NAMES = tuple(f"{FILES[p % SIZE]}{p // SIZE + 1}" for p in range(POINTS))
POINT_OF = {name: p for p, name in enumerate(NAMES)}


def _neighbors(p):
    row, col = divmod(p, SIZE)
    steps = ((row + 1, col), (row, col + 1), (row, col - 1), (row - 1, col))
    return tuple(r * SIZE + c for r, c in steps if 0 <= r < SIZE and 0 <= c < SIZE)


# The up to four points orthogonally next to each point.
NEIGHBORS = tuple(_neighbors(p) for p in range(POINTS))


def _chain(board, start):
    """Flood fill from the stone at `start`: the stones of its chain and the set of its liberties."""
    color, stones, liberties, stack = board[start], {start}, set(), [start]
    while stack:
        for q in NEIGHBORS[stack.pop()]:
            if board[q] == EMPTY:
                liberties.add(q)
            elif board[q] == color and q not in stones:
                stones.add(q)
                stack.append(q)
    return stones, liberties


def _legal_points(state):
    """Empty points, other than the ko point, where the new stone's chain will have a liberty."""
    board, ko, color = state["board"], state["ko"], STONES[state["player"]]
    counts = {}  # liberties of the chains examined so far, by stone
    legal = []
    for p in range(POINTS):
        if board[p] != EMPTY or p == ko:
            continue
        for q in NEIGHBORS[p]:
            if board[q] == EMPTY:  # the new stone keeps this liberty
                legal.append(p)
                break
        else:
            # Surrounded by stones: legal if it joins a friendly chain that keeps another liberty,
            # or fills the last liberty of an enemy chain (which is then captured).
            for q in NEIGHBORS[p]:
                if q not in counts:
                    stones, liberties = _chain(board, q)
                    counts.update(dict.fromkeys(stones, len(liberties)))
                if (board[q] == color) == (counts[q] > 1):
                    legal.append(p)
                    break
    return legal


def _area_difference(board):
    """Black's area minus White's: stones, plus empty regions that border stones of one colour only."""
    difference, counted = 0, set()
    for p in range(POINTS):
        if board[p] != EMPTY:
            difference += 1 if board[p] == STONES[0] else -1
        elif p not in counted:
            region, borders, stack = {p}, set(), [p]
            while stack:
                for q in NEIGHBORS[stack.pop()]:
                    if board[q] != EMPTY:
                        borders.add(board[q])
                    elif q not in region:
                        region.add(q)
                        stack.append(q)
            counted |= region
            if len(borders) == 1:
                difference += len(region) if STONES[0] in borders else -len(region)
    return difference


def _is_over(state):
    return state["repeated"] or state["passes"] >= 2 or state["actions"] >= MAX_ACTIONS


def get_initial_state():
    board = EMPTY * POINTS
    return {
        "board": board,
        "player": 0,
        "ko": None,  # index of the point the player to move may not play (simple ko), or None
        "passes": 0,  # consecutive passes just played
        "actions": 0,  # actions played so far, passes included
        "positions": [board],  # every distinct whole-board position seen so far
        "repeated": False,  # a stone recreated an earlier position: the game ended as a draw
    }


def apply_action(state, action):
    player, board = state["player"], state["board"]
    p = POINT_OF.get(action)
    if _is_over(state) or (action != PASS and (p is None or board[p] != EMPTY or p == state["ko"])):
        raise ValueError(f"illegal action {action!r}; legal: {get_legal_actions(state)}")
    new_state = dict(state, player=1 - player, ko=None, actions=state["actions"] + 1)
    if action == PASS:
        new_state["passes"] = state["passes"] + 1
        return new_state
    color, enemy = STONES[player], STONES[1 - player]
    surrounded = all(board[q] == enemy for q in NEIGHBORS[p])
    cells = list(board)
    cells[p] = color
    captured = []
    for q in NEIGHBORS[p]:  # only the enemy chains touching the new stone can lose their last liberty
        if cells[q] == enemy:
            stones, liberties = _chain(cells, q)
            if not liberties:
                for s in stones:
                    cells[s] = EMPTY
                captured.extend(stones)
    if not _chain(cells, p)[1]:
        raise ValueError(f"illegal action {action!r}: suicide; legal: {get_legal_actions(state)}")
    if surrounded and len(captured) == 1:
        new_state["ko"] = captured[0]  # the lone captured stone may not be retaken at once
    board = "".join(cells)
    new_state.update(board=board, passes=0)
    if board in state["positions"]:
        new_state["repeated"] = True
    else:
        new_state["positions"] = state["positions"] + [board]
    return new_state


def get_current_player(state):
    return TERMINAL if _is_over(state) else state["player"]


def get_player_name(player_id):
    return {0: "black", 1: "white", CHANCE: "chance", TERMINAL: "terminal"}[player_id]


def get_rewards(state):
    if not _is_over(state) or state["repeated"]:
        return [0.0, 0.0]
    black_score = _area_difference(state["board"]) - KOMI
    return [1.0, -1.0] if black_score > 0 else [-1.0, 1.0]


def get_legal_actions(state):
    """Legal points in the order a1, b1, ..., j1, a2, ..., j9, then "pass"; none once the game is over."""
    if _is_over(state):
        return []
    return [NAMES[p] for p in _legal_points(state)] + [PASS]


def get_observations(state):
    """Both players see the whole position: board, player to move, ko point, pass and action counts,
    and the earlier positions (a stone that recreates one ends the game)."""
    ko = state["ko"]
    observation = {
        "board": state["board"],
        "current_player": get_current_player(state),
        "ko": None if ko is None else NAMES[ko],
        "passes": state["passes"],
        "actions": state["actions"],
        "positions": list(state["positions"]),
    }
    return [observation, dict(observation, positions=list(state["positions"]))]
