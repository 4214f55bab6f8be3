"""Battleship on a 5x5 board: hidden information (secret ship placements), no chance.

Each player secretly places two ships on its own 5x5 board, of sizes 2 and 3, alternating with the
opponent (player 0 first). Then the players alternate shots at the opponent's board, at most 12 each
and never twice at one cell. A shot's result is "water", "hit" or "sunk" (the shot completed a
ship); the target sees where it was shot at. The game ends when both have fired all their shots or a
whole fleet is sunk. Returns: ships sunk minus ships lost.
Hidden information: a player knows its own ships only, so resample_history has to draw opponent fleets
that agree with every result its shots got.
"""

import random

SIZE = 5
SHIP_SIZES = (2, 3)  # placed in this order by each player
NUM_SHOTS = 12  # per player
CHANCE, TERMINAL = -1, -4


def _placement(size, row, col, direction):
    """The action string of a ship placement and the cells ("row,col") it covers."""
    d_row, d_col = (0, 1) if direction == "h" else (1, 0)
    cells = frozenset(f"{row + i * d_row},{col + i * d_col}" for i in range(size))
    return f"place:{size}@{row},{col}:{direction}", cells


# Per ship size, every placement on the board mapped to its cells, in legal-action order: horizontal
# ones by top-left cell in row-major order, then vertical ones likewise.
PLACEMENTS = {
    size: dict(
        [_placement(size, r, c, "h") for r in range(SIZE) for c in range(SIZE - size + 1)]
        + [_placement(size, r, c, "v") for r in range(SIZE - size + 1) for c in range(SIZE)]
    )
    for size in SHIP_SIZES
}
SHIP_CELLS = {placement: cells for by_size in PLACEMENTS.values() for placement, cells in by_size.items()}
CELLS = [f"{r},{c}" for r in range(SIZE) for c in range(SIZE)]


def _shot_result(state, player, cell):
    """What `player`'s shot at `cell` does to the opponent's fleet: "water", "hit" or "sunk"."""
    fired = state["shots"][player]
    for placement in state["ships"][1 - player]:
        cells = SHIP_CELLS[placement]
        if cell in cells:
            return "sunk" if all(c == cell or c in fired for c in cells) else "hit"
    return "water"


def get_initial_state():
    # Per player: its placement actions, the cells it has shot at in order, and each shot's result.
    return {"ships": [[], []], "shots": [[], []], "results": [[], []]}


def apply_action(state, action):
    legal = get_legal_actions(state)
    if action not in legal:
        raise ValueError(f"illegal action {action!r}; legal: {legal}")
    player = get_current_player(state)
    new_state = {key: [list(state[key][0]), list(state[key][1])] for key in ("ships", "shots", "results")}
    if action.startswith("place:"):
        new_state["ships"][player].append(action)
    else:
        cell = action.removeprefix("shot:")
        new_state["results"][player].append(_shot_result(state, player, cell))
        new_state["shots"][player].append(cell)
    return new_state


def get_current_player(state):
    placed = len(state["ships"][0]) + len(state["ships"][1])
    fired = len(state["shots"][0]) + len(state["shots"][1])
    if placed == 2 * len(SHIP_SIZES):
        fleet_sunk = any(results.count("sunk") == len(SHIP_SIZES) for results in state["results"])
        if fleet_sunk or fired == 2 * NUM_SHOTS:
            return TERMINAL
    return (placed + fired) % 2  # the players alternate throughout, player 0 first


def get_player_name(player_id):
    return {0: "player 0", 1: "player 1", CHANCE: "chance", TERMINAL: "terminal"}[player_id]


def get_rewards(state):
    """Each player scores the opponent ships it sank minus its own ships lost; 0 each until the end."""
    if get_current_player(state) != TERMINAL:
        return [0.0, 0.0]
    sank = [results.count("sunk") for results in state["results"]]
    return [float(sank[0] - sank[1]), float(sank[1] - sank[0])]


def get_legal_actions(state):
    """Placements of the next ship off the player's other ships (PLACEMENTS order), then shots at the
    cells the player has not fired at, row-major."""
    player = get_current_player(state)
    if player == TERMINAL:
        return []
    fleet = state["ships"][player]
    if len(fleet) < len(SHIP_SIZES):
        taken = {cell for placement in fleet for cell in SHIP_CELLS[placement]}
        placements = PLACEMENTS[SHIP_SIZES[len(fleet)]].items()
        return [placement for placement, cells in placements if taken.isdisjoint(cells)]
    fired = set(state["shots"][player])
    return [f"shot:{cell}" for cell in CELLS if cell not in fired]


def get_observations(state):
    """Each player sees its own ships, its shots with their results, where the opponent shot at its
    board, and whose turn it is. The opponent's ships stay hidden, even at the end."""
    current = get_current_player(state)
    observations = []
    for player in (0, 1):
        shots = zip(state["shots"][player], state["results"][player], strict=True)
        observations.append(
            {
                "my_ships": list(state["ships"][player]),
                "my_shots": [[cell, result] for cell, result in shots],
                "opponent_shots": list(state["shots"][1 - player]),
                "current_player": current,
            }
        )
    return observations


def _sample_fleet(num_ships, my_shots):
    """Draw uniformly among the opponent's possible first `num_ships` placements under which each of
    `my_shots` ([cell, result] pairs) gets its result, by enumerating them all. Such a fleet has no
    ship on a "water" cell, covers every "hit" or "sunk" cell, and each ship with all of its cells
    shot must have been sunk by the last of those shots, with one such ship per "sunk" result."""
    order = {cell: index for index, (cell, _) in enumerate(my_shots)}
    results = [result for _, result in my_shots]
    hits = {cell for cell, result in my_shots if result != "water"}
    shot_cells = set(order)

    def fits(cells):
        """No water under the ship, and if all its cells were shot, the last of those shots sank it."""
        shot = [order[cell] for cell in cells if cell in order]
        if any(results[index] == "water" for index in shot):
            return False
        return len(shot) < len(cells) or results[max(shot)] == "sunk"

    fleets = [((), frozenset(), 0)]  # (placements, cells they cover, ships with every cell shot)
    for size in SHIP_SIZES[:num_ships]:
        # (placement, its cells, whether all of them were shot) for each ship that fits the results
        options = [(p, cells, cells <= shot_cells) for p, cells in PLACEMENTS[size].items() if fits(cells)]
        fleets = [
            (fleet + (placement,), covered | cells, sunk + full)
            for fleet, covered, sunk in fleets
            for placement, cells, full in options
            if covered.isdisjoint(cells)
        ]
    num_sunk = results.count("sunk")
    consistent = [fleet for fleet, covered, sunk in fleets if hits <= covered and sunk == num_sunk]
    return list(random.choice(consistent))


def resample_history(obs_action_history, player_id):
    """Keep the player's own moves and the opponent's shots; draw the opponent's placements uniformly."""
    if not obs_action_history:
        return []
    observation = obs_action_history[-1][0]
    my_moves = [move for _, move in obs_action_history if move is not None]
    # The players alternate from the first move, player 0 first: count the opponent's moves so far.
    their_count = len(obs_action_history) - 1 + player_id
    num_ships = min(their_count, len(SHIP_SIZES))
    their_moves = _sample_fleet(num_ships, observation["my_shots"])
    their_moves += [f"shot:{cell}" for cell in observation["opponent_shots"]]
    moves = [my_moves, their_moves] if player_id == 0 else [their_moves, my_moves]
    return [moves[t % 2][t // 2] for t in range(len(moves[0]) + len(moves[1]))]
