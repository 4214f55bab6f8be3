"""Tic-Tac-Toe: a 3x3 perfect-information game with alternating moves and no chance.

Player 0 places "x", player 1 places "o". Three in a row, column or diagonal wins (+1/-1); a full
board without a line is a draw (0/0). Actions are "row,col" with 0-indexed row and column.
"""

import copy

SIZE = 3
EMPTY, MARKS = ".", ("x", "o")
CHANCE, TERMINAL = -1, -4

# Every line of three cells that wins: rows, columns and both diagonals.
LINES = (
    [[(r, c) for c in range(SIZE)] for r in range(SIZE)]
    + [[(r, c) for r in range(SIZE)] for c in range(SIZE)]
    + [[(i, i) for i in range(SIZE)], [(i, SIZE - 1 - i) for i in range(SIZE)]]
)


def _winner(board):
    """The player whose mark fills a line, or None."""
    for line in LINES:
        marks = {board[r][c] for r, c in line}
        if len(marks) == 1 and EMPTY not in marks:
            return MARKS.index(marks.pop())
    return None


def _is_full(board):
    return all(cell != EMPTY for row in board for cell in row)


def _is_over(state):
    return _winner(state["board"]) is not None or _is_full(state["board"])


def get_initial_state():
    return {"board": [[EMPTY] * SIZE for _ in range(SIZE)], "player": 0}


def apply_action(state, action):
    if action not in get_legal_actions(state):
        raise ValueError(f"illegal action {action!r}; legal: {get_legal_actions(state)}")
    row, col = (int(x) for x in action.split(","))
    new_state = copy.deepcopy(state)
    new_state["board"][row][col] = MARKS[state["player"]]
    new_state["player"] = 1 - state["player"]
    return new_state


def get_current_player(state):
    return TERMINAL if _is_over(state) else state["player"]


def get_player_name(player_id):
    return {0: "x", 1: "o", CHANCE: "chance", TERMINAL: "terminal"}[player_id]


def get_rewards(state):
    winner = _winner(state["board"])
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
    """Both players see the whole board and whose turn it is."""
    observation = {"board": copy.deepcopy(state["board"]), "current_player": get_current_player(state)}
    return [observation, copy.deepcopy(observation)]
