"""Quadranto: a 4x4 pursuit game with chance placement and hidden positions.

Chance places player 0 in the top-left quadrant and player 1 in the bottom-right one. The players
then alternate moving one step ("Up", "Down", "Left", "Right") or "Stay". Moving onto the opponent's
cell catches it and wins (+1/-1); 20 player moves without a catch is a draw (0/0).
Hidden information: each player sees its own exact cell but only the quadrant of the opponent, so
resample_history has to guess the opponent's trajectory from the quadrants observed along the way.
"""

import itertools
import random

SIZE = 4
MAX_MOVES = 20  # player moves of both players together
CHANCE, TERMINAL = -1, -4

# Player moves as (row step, column step), in the order legal actions are listed. Up decreases the row.
MOVES = {"Up": (-1, 0), "Down": (1, 0), "Left": (0, -1), "Right": (0, 1), "Stay": (0, 0)}
# The quadrant chance places each player in.
START_QUADRANTS = ("Q1", "Q4")


def _quadrant(cell):
    """The quadrant of a cell: "Q1" top-left, "Q2" top-right, "Q3" bottom-left, "Q4" bottom-right."""
    row, col = cell
    return f"Q{1 + 2 * (row // 2) + col // 2}"


def _quadrant_cells(quadrant):
    """The four cells of a quadrant in row-major order, as [row, col] lists."""
    return [[r, c] for r in range(SIZE) for c in range(SIZE) if _quadrant((r, c)) == quadrant]


def _moved(cell, move):
    d_row, d_col = MOVES[move]
    return [cell[0] + d_row, cell[1] + d_col]


def _legal_moves(cell):
    """The moves that keep a player on the board, in MOVES order."""
    return [m for m in MOVES if all(0 <= x < SIZE for x in _moved(cell, m))]


def _neighbours(cell):
    """The cells one move away from `cell`, itself included, as tuples. Moves are symmetric."""
    return [tuple(_moved(cell, m)) for m in _legal_moves(cell)]


def _move_between(start, end):
    """The move that takes a player from `start` to the adjacent (or same) cell `end`."""
    return next(m for m in MOVES if _moved(start, m) == list(end))


def _copy_path(path):
    """A copy of a list of [row, col] cells (cheaper than copy.deepcopy, which matters for search)."""
    return [list(cell) for cell in path]


def _moves_made(state):
    return sum(len(path[1:]) for path in state["paths"])


def get_initial_state():
    # paths[p] lists every cell player p has stood on, from its starting cell to its current one.
    return {"paths": [[], []], "winner": None}


def apply_action(state, action):
    legal = get_legal_actions(state)
    if action not in legal:
        raise ValueError(f"illegal action {action!r}; legal: {legal}")
    new_state = {"paths": [_copy_path(path) for path in state["paths"]], "winner": state["winner"]}
    player = get_current_player(state)
    if player == CHANCE:
        placed = 0 if not state["paths"][0] else 1
        new_state["paths"][placed].append([int(x) for x in action.split(":")[1].split(",")])
        return new_state
    cell = _moved(state["paths"][player][-1], action)
    new_state["paths"][player].append(cell)
    if cell == state["paths"][1 - player][-1]:
        new_state["winner"] = player
    return new_state


def get_current_player(state):
    if not state["paths"][1]:
        return CHANCE
    moves = _moves_made(state)
    if state["winner"] is not None or moves == MAX_MOVES:
        return TERMINAL
    return moves % 2


def get_player_name(player_id):
    return {0: "p0", 1: "p1", CHANCE: "chance", TERMINAL: "terminal"}[player_id]


def get_rewards(state):
    if state["winner"] is None:
        return [0.0, 0.0]
    return [1.0, -1.0] if state["winner"] == 0 else [-1.0, 1.0]


def get_legal_actions(state):
    """Chance: the start quadrant's cells, row-major. Players: Up, Down, Left, Right, Stay, on the board."""
    player = get_current_player(state)
    if player == TERMINAL:
        return []
    if player == CHANCE:
        placed = 0 if not state["paths"][0] else 1
        return [f"place_p{placed}:{r},{c}" for r, c in _quadrant_cells(START_QUADRANTS[placed])]
    return _legal_moves(state["paths"][player][-1])


def get_observations(state):
    """Each player sees its own path of cells and the quadrant of every cell the opponent stood on."""
    observations = []
    for player in (0, 1):
        mine, theirs = state["paths"][player], state["paths"][1 - player]
        quadrants = [_quadrant(cell) for cell in theirs]
        observations.append(
            {
                "my_cell": list(mine[-1]) if mine else None,
                "opponent_quadrant": quadrants[-1] if quadrants else None,
                "my_path": _copy_path(mine),
                "opponent_quadrants": quadrants,
                "moves_made": _moves_made(state),
                "current_player": get_current_player(state),
                "winner": state["winner"],  # only set by a catch, which both players witness
            }
        )
    return observations


def _sample_opponent_path(my_path, quadrants, player_id, ends_with_my_move):
    """Draw the opponent's cells uniformly among paths that match `quadrants` and never caught anyone.

    Forward filter: counts[i][cell] is the number of valid opponent paths whose i-th cell is `cell`.
    Backward sample: pick the last cell by its count, then each earlier cell among its neighbours.
    """
    # While the opponent stands on its i-th cell, we stand on my_path[i - player_id] when it arrives
    # and then move to my_path[i - player_id + 1]; no catch may happen, except on our very last move.
    last = len(my_path) - 1 if ends_with_my_move else len(my_path)

    def allowed(i):
        ours = [my_path[j] for j in (i - player_id, i - player_id + 1) if 0 <= j < last]
        return [tuple(cell) for cell in _quadrant_cells(quadrants[i]) if cell not in ours]

    counts = [{cell: 1 for cell in allowed(0)}]
    for i in range(1, len(quadrants)):
        counts.append({cell: sum(counts[-1].get(n, 0) for n in _neighbours(cell)) for cell in allowed(i)})
    path = []
    options = counts[-1]
    for i in range(len(quadrants) - 1, -1, -1):
        cell = random.choices(list(options), weights=list(options.values()))[0]
        path.append(list(cell))
        if i > 0:
            options = {n: counts[i - 1].get(n, 0) for n in _neighbours(cell)}
    return path[::-1]


def resample_history(obs_action_history, player_id):
    if not obs_action_history:
        return []  # no decision yet, so nothing seen that needs explaining
    last_obs, last_action = obs_action_history[-1]
    ends_with_my_move = last_action is not None
    my_moves = [action for _, action in obs_action_history if action is not None]
    my_path = _copy_path(last_obs["my_path"])
    if ends_with_my_move:
        my_path.append(_moved(my_path[-1], last_action))
    their_path = _sample_opponent_path(my_path, last_obs["opponent_quadrants"], player_id, ends_with_my_move)
    their_moves = [_move_between(a, b) for a, b in itertools.pairwise(their_path)]
    paths = [my_path, their_path] if player_id == 0 else [their_path, my_path]
    moves = [my_moves, their_moves] if player_id == 0 else [their_moves, my_moves]
    actions = [f"place_p{p}:{paths[p][0][0]},{paths[p][0][1]}" for p in (0, 1)]
    # Player 0 moves first and the players alternate.
    actions += [moves[t % 2][t // 2] for t in range(len(moves[0]) + len(moves[1]))]
    return actions
