"""Connect Four: a 6x7 perfect-information game with gravity, alternating moves and no chance.

Player 0 drops "x" discs, player 1 drops "o" discs. A disc falls to the lowest empty cell of the
chosen column. Four or more in a row horizontally, vertically or diagonally wins (+1/-1); a full
board without such a line is a draw (0/0). Actions are column numbers "0".."6".
The board is a list of rows: row 0 is the top, row 5 the bottom.
"""

ROWS, COLS = 6, 7
CONNECT = 4
EMPTY, MARKS = ".", ("x", "o")
CHANCE, TERMINAL = -1, -4

# Each action string and the column it names, in increasing order (the order legal actions are listed).
COLUMNS = {str(c): c for c in range(COLS)}
# Directions of a line as (row step, column step): horizontal, vertical and both diagonals.
DIRECTIONS = ((0, 1), (1, 0), (1, 1), (1, -1))


def _run_length(board, row, col, d_row, d_col):
    """How many cells past (row, col), stepping by (d_row, d_col), hold the same mark."""
    mark, count = board[row][col], 0
    r, c = row + d_row, col + d_col
    while 0 <= r < ROWS and 0 <= c < COLS and board[r][c] == mark:
        count += 1
        r, c = r + d_row, c + d_col
    return count


def _makes_line(board, row, col):
    """True if the disc at (row, col) is part of CONNECT or more in a row."""
    return any(
        1 + _run_length(board, row, col, dr, dc) + _run_length(board, row, col, -dr, -dc) >= CONNECT
        for dr, dc in DIRECTIONS
    )


def _is_full(board):
    # The top row fills last, so a full top row means a full board.
    return EMPTY not in board[0]


def _is_over(state):
    return state["winner"] is not None or _is_full(state["board"])


def get_initial_state():
    return {"board": [[EMPTY] * COLS for _ in range(ROWS)], "player": 0, "winner": None}


def apply_action(state, action):
    col = COLUMNS.get(action)
    if col is None or _is_over(state) or state["board"][0][col] != EMPTY:
        raise ValueError(f"illegal action {action!r}; legal: {get_legal_actions(state)}")
    board = [row[:] for row in state["board"]]
    row = next(r for r in range(ROWS - 1, -1, -1) if board[r][col] == EMPTY)  # the lowest empty cell
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
    """Columns that are not full, in increasing order, as "0".."6"; none once the game is over."""
    if _is_over(state):
        return []
    top = state["board"][0]
    return [name for name, c in COLUMNS.items() if top[c] == EMPTY]


def get_observations(state):
    """Both players see the whole board (row 0 on top) and whose turn it is; each gets its own copy."""
    player = get_current_player(state)
    return [{"board": [row[:] for row in state["board"]], "current_player": player} for _ in range(2)]
