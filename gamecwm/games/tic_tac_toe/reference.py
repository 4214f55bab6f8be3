"""Tic-Tac-Toe: a 3x3 perfect-information game with alternating moves and no chance.

Player 0 places "x", player 1 places "o". Three in a row, column or diagonal wins (+1/-1); a full
board without a line is a draw (0/0). Actions are "row,col" with 0-indexed row and column.
"""

SIZE = 3
EMPTY, MARKS = ".", ("x", "o")
CHANCE, TERMINAL = -1, -4

# Each action string and the cell it names, in row-major order (the order legal actions are listed).
CELLS = {f"{r},{c}": (r, c) for r in range(SIZE) for c in range(SIZE)}
# Every line of three cells that wins: rows, columns and both diagonals.
LINES = (
    [[(r, c) for c in range(SIZE)] for r in range(SIZE)]
    + [[(r, c) for r in range(SIZE)] for c in range(SIZE)]
    + [[(i, i) for i in range(SIZE)], [(i, SIZE - 1 - i) for i in range(SIZE)]]
)
# The lines through each cell: a new mark can only complete one of these.
LINES_THROUGH = {cell: [line for line in LINES if cell in line] for cell in CELLS.values()}


def _completes_line(board, row, col):
    """True if the mark just placed at (row, col) fills one of the lines through that cell."""
    mark = board[row][col]
    return any(all(board[r][c] == mark for r, c in line) for line in LINES_THROUGH[(row, col)])


def _is_over(state):
    return state["winner"] is not None or not any(EMPTY in row for row in state["board"])


def get_initial_state():
    return {"board": [[EMPTY] * SIZE for _ in range(SIZE)], "player": 0, "winner": None}


def apply_action(state, action):
    cell = CELLS.get(action)
    if cell is None or _is_over(state) or state["board"][cell[0]][cell[1]] != EMPTY:
        raise ValueError(f"illegal action {action!r}; legal: {get_legal_actions(state)}")
    row, col = cell
    board = [cells[:] for cells in state["board"]]
    player = state["player"]
    board[row][col] = MARKS[player]
    winner = player if _completes_line(board, row, col) else None
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
    return [name for name, (r, c) in CELLS.items() if board[r][c] == EMPTY]


def get_observations(state):
    """Both players see the whole board and whose turn it is; each gets its own copy."""
    player = get_current_player(state)
    return [{"board": [row[:] for row in state["board"]], "current_player": player} for _ in range(2)]
