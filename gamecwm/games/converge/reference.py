"""Converge: a 5x5 race to the centre with stunning, perfect information and no chance.

Each player has two units. A turn moves one own unit one step (8 directions) to an empty cell; every
enemy unit next to the destination is stunned and cannot move on its owner's next turn. A player
with no possible move must "pass". The first unit to reach the centre (2,2) wins (+1/-1); after 50
turns (passes included) without that, the game is a draw (0/0).
Actions are "move (r1,c1) to (r2,c2)" and "pass".
"""

SIZE = 5
CENTRE = (2, 2)
MAX_TURNS = 50  # turns of both players together; a pass is a turn
EMPTY, MARKS = ".", ("x", "o")
START = {(0, 0): "x", (0, 4): "x", (4, 0): "o", (4, 4): "o"}
CHANCE, TERMINAL = -1, -4


def _neighbours(row, col):
    """The on-board cells next to (row, col), diagonals included, in row-major order."""
    return [
        (r, c)
        for r in range(row - 1, row + 2)
        for c in range(col - 1, col + 2)
        if (r, c) != (row, col) and 0 <= r < SIZE and 0 <= c < SIZE
    ]


def _moves(state):
    """The mover's possible moves in row-major order of the unit's cell, then of its destination."""
    board, mark = state["board"], MARKS[state["player"]]
    return [
        f"move ({r},{c}) to ({nr},{nc})"
        for r in range(SIZE)
        for c in range(SIZE)
        if board[r][c] == mark and [r, c] not in state["stunned"]
        for nr, nc in _neighbours(r, c)
        if board[nr][nc] == EMPTY
    ]


def _is_over(state):
    return state["winner"] is not None or state["turns"] >= MAX_TURNS


def get_initial_state():
    # "stunned": cells of the mover's units that may not move this turn (set by the previous turn).
    return {
        "board": [[START.get((r, c), EMPTY) for c in range(SIZE)] for r in range(SIZE)],
        "player": 0,
        "stunned": [],
        "turns": 0,
        "winner": None,
    }


def apply_action(state, action):
    legal = get_legal_actions(state)
    if action not in legal:
        raise ValueError(f"illegal action {action!r}; legal: {legal}")
    player = state["player"]
    new_state = {
        "board": [row[:] for row in state["board"]],
        "player": 1 - player,
        "stunned": [],  # the mover's own stuns wear off with this turn; a pass stuns nobody
        "turns": state["turns"] + 1,
        "winner": None,
    }
    if action != "pass":
        r1, c1, r2, c2 = (int(ch) for ch in action if ch.isdigit())
        board = new_state["board"]
        board[r1][c1], board[r2][c2] = EMPTY, MARKS[player]
        enemy = MARKS[1 - player]
        new_state["stunned"] = [[r, c] for r, c in _neighbours(r2, c2) if board[r][c] == enemy]
        if (r2, c2) == CENTRE:
            new_state["winner"] = player
    return new_state


def get_current_player(state):
    return TERMINAL if _is_over(state) else state["player"]


def get_player_name(player_id):
    return {0: "x", 1: "o", CHANCE: "chance", TERMINAL: "terminal"}[player_id]


def get_rewards(state):
    winner = state["winner"]
    if winner is None:
        return [0.0, 0.0]
    return [1.0, -1.0] if winner == 0 else [-1.0, 1.0]


def get_legal_actions(state):
    """The mover's moves (see _moves), or ["pass"] when it has none; nothing once the game is over."""
    if _is_over(state):
        return []
    return _moves(state) or ["pass"]


def get_observations(state):
    """Both players see the board, whose turn it is, the stunned units and the number of turns played."""
    return [
        {
            "board": [row[:] for row in state["board"]],
            "current_player": get_current_player(state),
            "stunned": [cell[:] for cell in state["stunned"]],
            "turns": state["turns"],
        }
        for _ in range(2)
    ]
