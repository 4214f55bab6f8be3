"""Pentago: a 6x6 perfect-information game of placing marbles and twisting quadrants, no chance.

Player 0 places "x" marbles, player 1 places "o" marbles. A move places one marble on an empty cell,
then rotates one of the four 3x3 quadrants a quarter turn clockwise or counter-clockwise. Five in a
row (row, column or diagonal) after the rotation wins (+1/-1); if the rotation makes five in a row for
both players, or the board fills up without one, the game is a draw (0/0).
Actions are "row,col,quadrant,direction", e.g. "2,3,TR,cw".
"""

SIZE, HALF = 6, 3
EMPTY, MARKS = ".", ("x", "o")
CHANCE, TERMINAL = -1, -4

# Quadrants by name: the (row, col) of their top-left cell. Listed in the order legal actions use.
QUADRANTS = {"TL": (0, 0), "TR": (0, 3), "BL": (3, 0), "BR": (3, 3)}
DIRECTIONS = ("cw", "ccw")
CELLS = [(r, c) for r in range(SIZE) for c in range(SIZE)]  # row-major
# Every action string, mapped to its parts (row, col, quadrant, direction), in legal-action order.
ACTIONS = {f"{r},{c},{q},{d}": (r, c, q, d) for r, c in CELLS for q in QUADRANTS for d in DIRECTIONS}

# Every run of five cells in a line: horizontal, vertical and both diagonals.
LINES = [
    [(r + i * dr, c + i * dc) for i in range(5)]
    for dr, dc in ((0, 1), (1, 0), (1, 1), (1, -1))
    for r in range(SIZE)
    for c in range(SIZE)
    if 0 <= r + 4 * dr < SIZE and 0 <= c + 4 * dc < SIZE
]


def _rotate(board, quadrant, direction):
    """Rotate a quadrant of `board` in place by a quarter turn, as seen with row 0 at the top."""
    top, left = QUADRANTS[quadrant]
    block = [row[left : left + HALF] for row in board[top : top + HALF]]
    for i in range(HALF):
        for j in range(HALF):
            # Clockwise, the block's left column becomes its top row; counter-clockwise, its right column.
            source = block[HALF - 1 - j][i] if direction == "cw" else block[j][HALF - 1 - i]
            board[top + i][left + j] = source


def _five_in_a_row(board):
    """The players (none, one or both) whose marbles fill some line of five."""
    filled = set()
    for line in LINES:
        marks = {board[r][c] for r, c in line}
        if len(marks) == 1:
            filled |= marks
    return [p for p in (0, 1) if MARKS[p] in filled]


def get_initial_state():
    # "over" becomes True at a win or a draw; "winner" stays None for a draw.
    return {"board": [[EMPTY] * SIZE for _ in range(SIZE)], "player": 0, "over": False, "winner": None}


def apply_action(state, action):
    move = ACTIONS.get(action)
    if state["over"] or move is None or state["board"][move[0]][move[1]] != EMPTY:
        raise ValueError(f"illegal action {action!r}; legal: {get_legal_actions(state)}")
    row, col, quadrant, direction = move
    board = [line[:] for line in state["board"]]
    board[row][col] = MARKS[state["player"]]
    _rotate(board, quadrant, direction)
    fives = _five_in_a_row(board)  # a twist can make a line for either player, or for both
    full = all(cell != EMPTY for line in board for cell in line)
    return {
        "board": board,
        "player": 1 - state["player"],
        "over": bool(fives) or full,
        "winner": fives[0] if len(fives) == 1 else None,
    }


def get_current_player(state):
    return TERMINAL if state["over"] else state["player"]


def get_player_name(player_id):
    return {0: "x", 1: "o", CHANCE: "chance", TERMINAL: "terminal"}[player_id]


def get_rewards(state):
    winner = state["winner"]
    if winner is None:
        return [0.0, 0.0]
    return [1.0, -1.0] if winner == 0 else [-1.0, 1.0]


def get_legal_actions(state):
    """Empty cells in row-major order, each with its 8 twists in ACTIONS order; none at the end."""
    if state["over"]:
        return []
    board = state["board"]
    return [action for action, (r, c, _, _) in ACTIONS.items() if board[r][c] == EMPTY]


def get_observations(state):
    """Both players see the whole board (row 0 on top) and whose turn it is; each gets its own copy."""
    player = get_current_player(state)
    return [{"board": [line[:] for line in state["board"]], "current_player": player} for _ in range(2)]
