"""Havannah on a hexagonal board of side 4 (37 hexagonal cells): a perfect-information connection
game with alternating stone placement and no chance.

Player 0 places "x" stones, player 1 places "o" stones, one per turn on any empty cell. A player wins
by forming a ring (a loop of its stones around at least one cell), a bridge (a group touching two of
the six corners) or a fork (a group touching three of the six sides, corners excluded): +1/-1. A full
board without any of these is a draw (0/0). There is no swap rule.

Cells are named "<column letter><row number>": column x is "a".."g" (x = 0..6), row y is "1".."7"
(y = 0..6), and (x, y) is on the board when |x - y| <= 3. The six neighbours of (x, y) are
(x - 1, y), (x + 1, y), (x, y - 1), (x, y + 1), (x - 1, y - 1) and (x + 1, y + 1).
"""

from collections import deque

SIDE = 4  # cells along each of the six sides of the hexagon
DIAMETER = 2 * SIDE - 1
EMPTY, STONES = ".", ("x", "o")
CHANCE, TERMINAL = -1, -4
STEPS = ((-1, 0), (1, 0), (0, -1), (0, 1), (-1, -1), (1, 1))


def _name(x, y):
    return f"{chr(ord('a') + x)}{y + 1}"


def _on_board(x, y):
    return 0 <= x < DIAMETER and 0 <= y < DIAMETER and abs(x - y) < SIDE


def _neighbors(x, y):
    return [_name(x + dx, y + dy) for dx, dy in STEPS if _on_board(x + dx, y + dy)]


_COORDS = [(x, y) for y in range(DIAMETER) for x in range(DIAMETER) if _on_board(x, y)]
# All cells, row by row (row 1 first) and by column within a row: the order of the legal actions.
CELLS = [_name(x, y) for x, y in _COORDS]
NEIGHBORS = {_name(x, y): _neighbors(x, y) for x, y in _COORDS}
CORNERS = {"a1", "d1", "g4", "g7", "d7", "a4"}
# The border cells between two corners, one set per side (corners belong to no side).
SIDES = [{"b1", "c1"}, {"e2", "f3"}, {"g5", "g6"}, {"e7", "f7"}, {"b5", "c6"}, {"a2", "a3"}]
RIM = CORNERS.union(*SIDES)


def _group(board, cell):
    """The cells of the group (connected stones of one colour) that holds `cell`."""
    stone, group, frontier = board[cell], {cell}, [cell]
    while frontier:
        for neighbor in NEIGHBORS[frontier.pop()]:
            if neighbor not in group and board[neighbor] == stone:
                group.add(neighbor)
                frontier.append(neighbor)
    return group


def _has_ring(board, stone):
    """True if `stone`'s stones encircle some cell (a ring around it, whatever the cell holds).

    Open cells are those joined to the rim by a chain of cells holding no `stone` stone. A cell off
    the rim is encircled when none of its neighbours is open.
    """
    open_cells = {cell for cell in RIM if board[cell] != stone}
    frontier = deque(open_cells)
    while frontier:
        for neighbor in NEIGHBORS[frontier.popleft()]:
            if neighbor not in open_cells and board[neighbor] != stone:
                open_cells.add(neighbor)
                frontier.append(neighbor)
    return any(open_cells.isdisjoint(NEIGHBORS[cell]) for cell in CELLS if cell not in RIM)


def _wins(board, cell):
    """True if the stone just placed on `cell` completes a bridge, a fork or a ring."""
    group = _group(board, cell)
    bridge = len(group & CORNERS) >= 2
    fork = sum(1 for side in SIDES if group & side) >= 3
    return bridge or fork or _has_ring(board, board[cell])


def _is_over(state):
    return state["winner"] is not None or EMPTY not in state["board"].values()


def get_initial_state():
    return {"board": {cell: EMPTY for cell in CELLS}, "player": 0, "winner": None}


def apply_action(state, action):
    legal = get_legal_actions(state)
    if action not in legal:
        raise ValueError(f"illegal action {action!r}; legal: {legal}")
    player = state["player"]
    board = dict(state["board"])
    board[action] = STONES[player]
    winner = player if _wins(board, action) else None
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
    """Empty cells in CELLS order (row 1 first, columns a..g within a row); none once over."""
    if _is_over(state):
        return []
    return [cell for cell in CELLS if state["board"][cell] == EMPTY]


def get_observations(state):
    """Both players see every cell's content and whose turn it is; each gets its own copy."""
    player = get_current_player(state)
    return [{"board": dict(state["board"]), "current_player": player} for _ in range(2)]
