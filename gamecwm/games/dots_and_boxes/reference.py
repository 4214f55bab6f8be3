"""Dots and Boxes: a 3x3-box perfect-information game with extra turns and no chance.

The board is a 4x4 grid of dots. Players take turns drawing one undrawn line between two adjacent
dots: horizontal lines "h,r,c" and vertical lines "v,r,c". A player who completes the fourth side
of one or two boxes owns them and must draw again; otherwise the turn passes. When all 24 lines are
drawn, the player owning more of the 9 boxes wins (+1/-1).
"""

ROWS, COLS = 3, 3  # boxes; the dots form a (ROWS + 1) x (COLS + 1) grid
CHANCE, TERMINAL = -1, -4


def _boxes_of(kind, row, col):
    """The boxes, as (row, col), that the line touches: one on the border, two inside."""
    if kind == "h":  # the box below and the box above
        candidates = [(row, col), (row - 1, col)]
    else:  # the box to the right and the box to the left
        candidates = [(row, col), (row, col - 1)]
    return [(r, c) for r, c in candidates if 0 <= r < ROWS and 0 <= c < COLS]


def _is_closed(state, row, col):
    """True if all four sides of box (row, col) are drawn."""
    h, v = state["h"], state["v"]
    return h[row][col] and h[row + 1][col] and v[row][col] and v[row][col + 1]


def _is_over(state):
    return all(owner is not None for row in state["boxes"] for owner in row)


def get_initial_state():
    # h[r][c]: the line from dot (r, c) to dot (r, c + 1); v[r][c]: from dot (r, c) to dot (r + 1, c).
    # boxes[r][c]: the player owning the box whose top-left dot is (r, c), or None.
    return {
        "h": [[False] * COLS for _ in range(ROWS + 1)],
        "v": [[False] * (COLS + 1) for _ in range(ROWS)],
        "boxes": [[None] * COLS for _ in range(ROWS)],
        "scores": [0, 0],
        "player": 0,
    }


def apply_action(state, action):
    legal = get_legal_actions(state)
    if action not in legal:
        raise ValueError(f"illegal action {action!r}; legal: {legal}")
    kind, row, col = action.split(",")
    row, col, player = int(row), int(col), state["player"]
    new_state = {
        "h": [line[:] for line in state["h"]],
        "v": [line[:] for line in state["v"]],
        "boxes": [line[:] for line in state["boxes"]],
        "scores": list(state["scores"]),
        "player": player,
    }
    new_state[kind][row][col] = True
    completed = [(r, c) for r, c in _boxes_of(kind, row, col) if _is_closed(new_state, r, c)]
    for r, c in completed:
        new_state["boxes"][r][c] = player
        new_state["scores"][player] += 1
    if not completed:  # completing a box earns another turn
        new_state["player"] = 1 - player
    return new_state


def get_current_player(state):
    return TERMINAL if _is_over(state) else state["player"]


def get_player_name(player_id):
    return {0: "player 0", 1: "player 1", CHANCE: "chance", TERMINAL: "terminal"}[player_id]


def get_rewards(state):
    if not _is_over(state):
        return [0.0, 0.0]
    lead = state["scores"][0] - state["scores"][1]  # never 0: there is an odd number of boxes
    return [1.0, -1.0] if lead > 0 else [-1.0, 1.0]


def get_legal_actions(state):
    """Undrawn lines: horizontal ones row by row, then vertical ones row by row; none at the end."""
    if _is_over(state):
        return []
    horizontal = [f"h,{r},{c}" for r in range(ROWS + 1) for c in range(COLS) if not state["h"][r][c]]
    vertical = [f"v,{r},{c}" for r in range(ROWS) for c in range(COLS + 1) if not state["v"][r][c]]
    return horizontal + vertical


def get_observations(state):
    """Both players see every drawn line, who owns each box, the scores and whose turn it is."""
    return [
        {
            "h": [line[:] for line in state["h"]],
            "v": [line[:] for line in state["v"]],
            "boxes": [line[:] for line in state["boxes"]],
            "scores": list(state["scores"]),
            "current_player": get_current_player(state),
        }
        for _ in range(2)
    ]
