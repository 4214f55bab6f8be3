"""Backgammon against OpenSpiel's `backgammon` (win/loss scoring, 160 turns at most).

OpenSpiel's rolls are 36 ordered pairs (the opening roll: 30 pairs without doubles, where an even
index means X, our player 0, starts). A move is `second_from * 26 + first_from`, plus 676 when
the first checker move uses the smaller die; points are indexed 0-23 from X's 24-point, the bar
is 24 and "no move" 25. Several of its actions print the same string, so we map by arithmetic.
"""

import pytest

from tests.games.lockstep import lockstep

pytestmark = pytest.mark.openspiel

ROLLS = [(a, b) for low in range(1, 7) for high in range(low + 1, 7) for a, b in ((low, high), (high, low))]
ROLLS += [(d, d) for d in range(1, 7)]
BAR, NO_MOVE, LOW_DIE_FIRST = 24, 25, 676


def _index(point: int, player: int) -> int:
    """OpenSpiel's index of the mover's own point (25 = bar)."""
    if point == 25:
        return BAR
    return 24 - point if player == 0 else point - 1


def to_openspiel(action: str, state: dict) -> int:
    if action.startswith("roll:"):
        first, second = int(action[5]), int(action[7])
        # Our opening "roll:a-b" has player 0's die first; OpenSpiel lists (low, high) when X starts.
        return ROLLS.index((second, first) if state["mover"] is None else (first, second))
    if action == "pass":
        return NO_MOVE * 26 + NO_MOVE + LOW_DIE_FIRST
    player, digits, dice = state["mover"], [], []
    for move in action.split():
        start, end = move.split("/")
        point = 25 if start == "bar" else int(start)
        dice.append(int(end.split(":")[1]) if end.startswith("off") else point - int(end))
        digits.append(_index(point, player))
    digits += [NO_MOVE] * (2 - len(digits))
    return digits[1] * 26 + digits[0] + (0 if dice[0] == max(state["dice"]) else LOW_DIE_FIRST)


def _count(one_hot: list[float]) -> int:
    """OpenSpiel's 4-number encoding of the checkers on a point: 1, 2, 3, or 3 + the excess."""
    return 3 + int(one_hot[3]) if one_hot[3] else next((i + 1 for i in range(3) if one_hot[i]), 0)


def check_position(game, ours: dict, theirs, actions: list[str]) -> None:
    """Our checkers, bars, borne-off counts and dice equal OpenSpiel's (from player X's tensor)."""
    tensor = list(theirs.observation_tensor(0))
    boards = [[_count(tensor[96 * p + 4 * i : 96 * p + 4 * i + 4]) for i in range(24)] for p in (0, 1)]
    x, o = ours["checkers"]
    assert [x[24 - i] for i in range(24)] == boards[0] and [o[i + 1] for i in range(24)] == boards[1], actions
    bars_and_off = [int(tensor[i]) for i in (192, 193, 195, 196)]
    assert [x[25], x[0], o[25], o[0]] == bars_and_off, actions
    if not theirs.is_chance_node() and not theirs.is_terminal():
        assert ours["dice"] == sorted(int(v) for v in tensor[198:200]), actions


def test_lockstep_with_openspiel():
    assert lockstep("backgammon", to_openspiel, num_games=200, seed=1, on_state=check_position) > 200 * 100
