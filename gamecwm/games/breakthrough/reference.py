"""Breakthrough on a 6x6 board: a perfect-information race game with captures and no chance.

Each player starts with two full rows of pieces. Player 0 ("black") starts on ranks 6 and 5 at the
top and moves first, down the board; player 1 ("white") starts on ranks 1 and 2 and moves up. A piece
steps one row forward, straight or diagonally, and captures only diagonally. Reaching the far rank,
or capturing every enemy piece, wins (+1/-1); there are no draws. Squares are named like chess
squares (files "a".."f" from the left, ranks "1".."6" from the bottom): "c5c4" is a step, "c5xd4"
a capture. The board is a list of rows: row 0 is rank 6 (the top), row 5 is rank 1 (the bottom).
"""

ROWS, COLS = 6, 6
FILES = "abcdef"
EMPTY, PIECES = ".", ("b", "w")
FORWARD = (1, -1)  # row step of each player's pieces: black moves down the list, white up
GOAL_ROW = (ROWS - 1, 0)  # the row each player must reach
CHANCE, TERMINAL = -1, -4


def _square(row, col):
    return f"{FILES[col]}{ROWS - row}"


def _coords(square):
    return ROWS - int(square[1]), FILES.index(square[0])


def _moves(board, player):
    """Every move of `player`: pieces top to bottom, left to right; per piece left, straight, right."""
    mine, theirs = PIECES[player], PIECES[1 - player]
    moves = []
    for row in range(ROWS):
        for col in range(COLS):
            if board[row][col] != mine:
                continue
            # A piece on its goal row would have ended the game, so the next row is on the board.
            to_row = row + FORWARD[player]
            for to_col in (col - 1, col, col + 1):
                if not 0 <= to_col < COLS:
                    continue
                target = board[to_row][to_col]
                if target == EMPTY:
                    moves.append(_square(row, col) + _square(to_row, to_col))
                elif target == theirs and to_col != col:  # captures are diagonal only
                    moves.append(_square(row, col) + "x" + _square(to_row, to_col))
    return moves


def get_initial_state():
    board = [[PIECES[0]] * COLS for _ in range(2)]
    board += [[EMPTY] * COLS for _ in range(ROWS - 4)]
    board += [[PIECES[1]] * COLS for _ in range(2)]
    return {"board": board, "player": 0, "winner": None}


def apply_action(state, action):
    legal = get_legal_actions(state)
    if action not in legal:
        raise ValueError(f"illegal action {action!r}; legal: {legal}")
    player = state["player"]
    (row, col), (to_row, to_col) = _coords(action[:2]), _coords(action[-2:])
    board = [line[:] for line in state["board"]]
    board[row][col], board[to_row][to_col] = EMPTY, PIECES[player]
    enemy_left = any(PIECES[1 - player] in line for line in board)
    winner = player if to_row == GOAL_ROW[player] or not enemy_left else None
    return {"board": board, "player": 1 - player, "winner": winner}


def get_current_player(state):
    # The player to move always has a move: its most advanced piece can step diagonally.
    return TERMINAL if state["winner"] is not None else state["player"]


def get_player_name(player_id):
    return {0: "black", 1: "white", CHANCE: "chance", TERMINAL: "terminal"}[player_id]


def get_rewards(state):
    winner = state["winner"]
    if winner is None:
        return [0.0, 0.0]
    return [1.0, -1.0] if winner == 0 else [-1.0, 1.0]


def get_legal_actions(state):
    """Moves in board order (see _moves); none once the game is over."""
    if state["winner"] is not None:
        return []
    return _moves(state["board"], state["player"])


def get_observations(state):
    """Both players see the whole board (rank 6 first, one string per row) and whose turn it is."""
    player = get_current_player(state)
    return [{"board": ["".join(line) for line in state["board"]], "current_player": player} for _ in range(2)]
