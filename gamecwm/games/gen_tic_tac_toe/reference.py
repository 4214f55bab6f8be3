"""Generalized Tic-Tac-Toe: a 6x6 perfect-information game with alternating moves and no chance.

Player 0 places "x", player 1 places "o". Four marks in a row, column or diagonal (either
direction) win (+1/-1); a full board without such a line is a draw (0/0). Actions are "row,col"
with 0-indexed row and column.
"""

SIZE = 6
CONNECT = 4
EMPTY, MARKS = ".", ("x", "o")
CHANCE, TERMINAL = -1, -4

# Directions of a line as (row step, column step): row, column, main diagonal, anti-diagonal.
DIRECTIONS = ((0, 1), (1, 0), (1, 1), (1, -1))


def _run_length(board, row, col, d_row, d_col):
    """How many cells past (row, col), stepping by (d_row, d_col), hold the same mark."""
    mark, count = board[row][col], 0
    r, c = row + d_row, col + d_col
    while 0 <= r < SIZE and 0 <= c < SIZE and board[r][c] == mark:
        count += 1
        r, c = r + d_row, c + d_col
    return count


def _makes_line(board, row, col):
    """True if the mark at (row, col) is part of CONNECT or more in a line."""
    return any(
        1 + _run_length(board, row, col, dr, dc) + _run_length(board, row, col, -dr, -dc) >= CONNECT
        for dr, dc in DIRECTIONS
    )


def _is_full(board):
    return all(cell != EMPTY for row in board for cell in row)


def _is_over(state):
    return state["winner"] is not None or _is_full(state["board"])


def get_initial_state():
    return {"board": [[EMPTY] * SIZE for _ in range(SIZE)], "player": 0, "winner": None}


def apply_action(state, action):
    legal = get_legal_actions(state)
    if action not in legal:
        raise ValueError(f"illegal action {action!r}; legal: {legal}")
    row, col = (int(x) for x in action.split(","))
    board = [cells[:] for cells in state["board"]]
    player = state["player"]
    board[row][col] = MARKS[player]
    winner = player if _makes_line(board, row, col) else None
    return {"board": board, "player": 1 - player, "winner": winner}


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
    """Empty cells in row-major order, as "row,col"; none once the game is over."""
    if _is_over(state):
        return []
    board = state["board"]
    return [f"{r},{c}" for r in range(SIZE) for c in range(SIZE) if board[r][c] == EMPTY]


def get_observations(state):
    """Both players see the whole board and whose turn it is; each gets its own copy."""
    player = get_current_player(state)
    return [{"board": [row[:] for row in state["board"]], "current_player": player} for _ in range(2)]
