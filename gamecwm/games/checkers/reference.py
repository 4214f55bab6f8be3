"""Checkers (8x8 draughts): a perfect-information game of diagonal moves and jumps, with no chance.

White (player 0) moves first from the bottom, Black (player 1) from the top. Men step one square
diagonally forward and kings in any diagonal direction; a piece jumps over an adjacent enemy piece
to the empty square beyond and captures it. Capturing is mandatory. Each jump is one action: after
a jump the same piece must keep jumping while it can, unless that jump crowned it, which ends the
turn. A player with no legal move loses (+1/-1); 40 actions in a row without a capture draw (0/0).

Actions are "c3d4" for a step and "c3xe5" for a jump: files a-h from the left, ranks 1-8 from
White's side. The board is a list of 8 rows; row 0 is rank 8 (the top) and column 0 is file a.
"""

SIZE = 8
QUIET_LIMIT = 40  # actions in a row without a capture that end the game in a draw
EMPTY = "."
MEN, KINGS = ("w", "b"), ("W", "B")  # White's and Black's pieces
CROWN_ROW = (0, SIZE - 1)  # White's men are crowned on rank 8 (row 0), Black's on rank 1
FILES = "abcdefgh"
CHANCE, TERMINAL = -1, -4

# Diagonal directions as (row step, column step), in move-listing order:
# up-left, up-right, down-right, down-left ("up" is towards rank 8).
DIRECTIONS = ((-1, -1), (-1, 1), (1, 1), (1, -1))
# Men move forward only: White's up the board, Black's down.
FORWARD = (DIRECTIONS[:2], DIRECTIONS[2:])

# Square names by [row][col]: "a8" is the top-left corner, "h1" the bottom-right.
NAMES = [[f"{FILES[col]}{SIZE - row}" for col in range(SIZE)] for row in range(SIZE)]
# Pieces only ever stand on the dark squares, those with row + col odd (a1 is dark).
DARK_SQUARES = [(row, col) for row in range(SIZE) for col in range(SIZE) if (row + col) % 2]


def _square(name):
    return SIZE - int(name[1]), FILES.index(name[0])


def _on_board(row, col):
    return 0 <= row < SIZE and 0 <= col < SIZE


def _piece_moves(board, row, col, player):
    """The steps and the jumps of the piece at (row, col), as two lists of action strings."""
    piece, enemies = board[row][col], (MEN[1 - player], KINGS[1 - player])
    directions = DIRECTIONS if piece == KINGS[player] else FORWARD[player]
    steps, jumps = [], []
    for d_row, d_col in directions:
        r, c = row + d_row, col + d_col
        if not _on_board(r, c):
            continue
        if board[r][c] == EMPTY:
            steps.append(NAMES[row][col] + NAMES[r][c])
            continue
        land_r, land_c = r + d_row, c + d_col  # where a jump over (r, c) lands
        if board[r][c] in enemies and _on_board(land_r, land_c) and board[land_r][land_c] == EMPTY:
            jumps.append(NAMES[row][col] + "x" + NAMES[land_r][land_c])
    return steps, jumps


def get_initial_state():
    board = [[EMPTY] * SIZE for _ in range(SIZE)]
    for row, col in DARK_SQUARES:  # Black's men fill the three top rows, White's the three bottom rows
        if row < 3 or row >= SIZE - 3:
            board[row][col] = MEN[1] if row < 3 else MEN[0]
    return {"board": board, "player": 0, "jumper": None, "quiet": 0}


def apply_action(state, action):
    legal = get_legal_actions(state)
    if action not in legal:
        raise ValueError(f"illegal action {action!r}; legal: {legal}")
    player = state["player"]
    (row, col), (to_row, to_col) = _square(action[:2]), _square(action[-2:])
    board = [line[:] for line in state["board"]]
    piece, board[row][col] = board[row][col], EMPTY
    crowned = piece == MEN[player] and to_row == CROWN_ROW[player]
    board[to_row][to_col] = KINGS[player] if crowned else piece
    new_state = {"board": board, "player": 1 - player, "jumper": None, "quiet": state["quiet"] + 1}
    if "x" in action:
        board[(row + to_row) // 2][(col + to_col) // 2] = EMPTY
        new_state["quiet"] = 0
        # The same piece jumps again if it can, unless this jump crowned it.
        if not crowned and _piece_moves(board, to_row, to_col, player)[1]:
            new_state.update(player=player, jumper=NAMES[to_row][to_col])
    return new_state


def get_current_player(state):
    return state["player"] if get_legal_actions(state) else TERMINAL


def get_player_name(player_id):
    return {0: "white", 1: "black", CHANCE: "chance", TERMINAL: "terminal"}[player_id]


def get_rewards(state):
    if state["quiet"] >= QUIET_LIMIT or get_legal_actions(state):
        return [0.0, 0.0]
    # The player to move has no legal move and loses.
    return [-1.0, 1.0] if state["player"] == 0 else [1.0, -1.0]


def get_legal_actions(state):
    """Jumps if any piece can jump (during a multiple jump, only the jumping piece's), else steps.

    Pieces in board order (rank 8 first, files a to h), each piece's actions in the direction
    order up-left, up-right, down-right, down-left; none once the game is over.
    """
    if state["quiet"] >= QUIET_LIMIT:
        return []
    board, player = state["board"], state["player"]
    if state["jumper"] is not None:
        return _piece_moves(board, *_square(state["jumper"]), player)[1]
    steps, jumps = [], []
    for row, col in DARK_SQUARES:
        if board[row][col] in (MEN[player], KINGS[player]):
            piece_steps, piece_jumps = _piece_moves(board, row, col, player)
            steps += piece_steps
            jumps += piece_jumps
    return jumps or steps


def get_observations(state):
    """Both players see the whole position: board, player to move, the piece that must keep jumping
    (or None) and the number of actions since the last capture."""
    observation = {
        "board": [line[:] for line in state["board"]],
        "current_player": get_current_player(state),
        "jumper": state["jumper"],
        "quiet": state["quiet"],
    }
    return [observation, dict(observation, board=[line[:] for line in state["board"]])]
