"""Y: a connection game on a triangular board of hexagonal cells; perfect information, no chance.

Player 0 places "x" stones, player 1 places "o" stones, one per turn on any empty cell. The first
player to own a group of connected stones touching all three sides of the triangle wins (+1/-1).
A full board always holds such a group, so there are no draws. There is no swap rule.

The board has SIZE rows: row r (0-indexed from the top) holds SIZE - r cells, columns 0..SIZE-1-r.
Actions are "row,col". Cell (r, c) touches the top side when r == 0, the left side when c == 0 and
the right side when r + c == SIZE - 1; its neighbours are (r-1, c), (r-1, c+1), (r, c-1), (r, c+1),
(r+1, c-1) and (r+1, c), whichever are on the board.
"""

SIZE = 10
EMPTY, STONES = ".", ("x", "o")
CHANCE, TERMINAL = -1, -4
STEPS = ((-1, 0), (-1, 1), (0, -1), (0, 1), (1, -1), (1, 0))


def _on_board(row, col):
    return row >= 0 and col >= 0 and row + col < SIZE


def _sides(row, col):
    """The sides the cell touches: 0 top, 1 left, 2 right (a corner cell touches two)."""
    return {side for side, touches in enumerate((row == 0, col == 0, row + col == SIZE - 1)) if touches}


def _connects_all_sides(board, row, col):
    """Flood-fill the group of the stone at (row, col); True if it touches all three sides."""
    stone, group, frontier, sides = board[row][col], {(row, col)}, [(row, col)], set()
    while frontier:
        r, c = frontier.pop()
        sides |= _sides(r, c)
        for dr, dc in STEPS:
            cell = (r + dr, c + dc)
            if cell not in group and _on_board(*cell) and board[cell[0]][cell[1]] == stone:
                group.add(cell)
                frontier.append(cell)
    return len(sides) == 3


def get_initial_state():
    return {"board": [[EMPTY] * (SIZE - row) for row in range(SIZE)], "player": 0, "winner": None}


def apply_action(state, action):
    legal = get_legal_actions(state)
    if action not in legal:
        raise ValueError(f"illegal action {action!r}; legal: {legal}")
    row, col = (int(x) for x in action.split(","))
    player = state["player"]
    board = [line[:] for line in state["board"]]
    board[row][col] = STONES[player]
    # Only the group of the new stone can have changed, so only it can have become a winner.
    winner = player if _connects_all_sides(board, row, col) else None
    return {"board": board, "player": 1 - player, "winner": winner}


def get_current_player(state):
    return TERMINAL if state["winner"] is not None else state["player"]


def get_player_name(player_id):
    return {0: "x", 1: "o", CHANCE: "chance", TERMINAL: "terminal"}[player_id]


def get_rewards(state):
    winner = state["winner"]
    if winner is None:
        return [0.0, 0.0]
    return [1.0, -1.0] if winner == 0 else [-1.0, 1.0]


def get_legal_actions(state):
    """Empty cells in row-major order ("0,0", "0,1", ..., "9,0"); none once the game is over."""
    if state["winner"] is not None:
        return []
    board = state["board"]
    return [f"{r},{c}" for r in range(SIZE) for c in range(SIZE - r) if board[r][c] == EMPTY]


def get_observations(state):
    """Both players see the whole board (row 0 first, one string per row) and whose turn it is."""
    player = get_current_player(state)
    return [{"board": ["".join(line) for line in state["board"]], "current_player": player} for _ in range(2)]
