"""Gardner minichess: legal moves against an independent brute-force generator, and the end rules."""

import random

import pytest

from gamecwm.api import TERMINAL, replay
from gamecwm.games import get_pack

GAME = get_pack("gen_chess").reference

KING = [(df, dr) for df in (-1, 0, 1) for dr in (-1, 0, 1) if (df, dr) != (0, 0)]
KNIGHT = [(df, dr) for df in (-2, -1, 1, 2) for dr in (-2, -1, 1, 2) if abs(df) != abs(dr)]
ROOK, BISHOP = [d for d in KING if 0 in d], [d for d in KING if 0 not in d]
DIRECTIONS = {"K": KING, "Q": KING, "N": KNIGHT, "R": ROOK, "B": BISHOP}


def name(square):
    return "abcde"[square[0]] + str(square[1] + 1)


def pseudo_moves(pieces, white):
    """(from, to) pairs by the pieces' patterns, from a {(file, rank): letter} board."""
    for (f, r), piece in list(pieces.items()):
        if piece.isupper() != white:
            continue
        kind = piece.upper()
        if kind == "P":
            step = 1 if white else -1
            if (f, r + step) not in pieces:
                yield (f, r), (f, r + step)
            for df in (-1, 1):
                target = pieces.get((f + df, r + step))
                if target is not None and target.isupper() != white:
                    yield (f, r), (f + df, r + step)
            continue
        for df, dr in DIRECTIONS[kind]:
            x, y = f + df, r + dr
            while 0 <= x < 5 and 0 <= y < 5:
                if (x, y) in pieces:
                    if pieces[(x, y)].isupper() != white:
                        yield (f, r), (x, y)
                    break
                yield (f, r), (x, y)
                if kind in "KN":
                    break
                x, y = x + df, y + dr


def brute_legal(pieces, white):
    """Action string -> board after it, keeping moves after which no enemy move takes the king."""
    result = {}
    for start, end in pseudo_moves(pieces, white):
        piece = pieces[start]
        promotions = "QRBN" if piece in "Pp" and end[1] in (0, 4) else [""]
        for promotion in promotions:
            after = {k: v for k, v in pieces.items() if k != start}
            after[end] = (promotion if white else promotion.lower()) if promotion else piece
            king = "K" if white else "k"
            if any(after.get(to) == king for _, to in pseudo_moves(after, not white)):
                continue
            action = f"{piece.upper()}_{name(start)}_{name(end)}" + (f"_{promotion}" if promotion else "")
            result[action] = after
    return result


def pieces_of(board):
    return {(i % 5, i // 5): p for i, p in enumerate(board) if p != "."}


def brute_perft(pieces, white, depth):
    if depth == 0:
        return 1
    return sum(brute_perft(after, not white, depth - 1) for after in brute_legal(pieces, white).values())


def perft(state, depth):
    if depth == 0:
        return 1
    return sum(perft(GAME.apply_action(state, a), depth - 1) for a in GAME.get_legal_actions(state))


def test_move_counts_from_the_start_match_brute_force():
    start = GAME.get_initial_state()
    # Five pawn steps and two knight jumps; every other piece is boxed in.
    assert GAME.get_legal_actions(start) == [
        "N_b1_a3", "N_b1_c3", "P_a2_a3", "P_b2_b3", "P_c2_c3", "P_d2_d3", "P_e2_e3"
    ]  # fmt: skip
    counts = [perft(start, depth) for depth in (1, 2, 3)]
    assert counts == [7, 53, 506]
    assert counts == [brute_perft(pieces_of(start["board"]), True, depth) for depth in (1, 2, 3)]


def test_move_counts_around_a_promotion_match_brute_force():
    state = replay(GAME, ["P_d2_d3", "N_b5_a3", "P_d3_c4", "P_e4_e3", "N_b1_c3", "P_d4_d3"])
    assert [perft(state, depth) for depth in (1, 2, 3)] == [
        brute_perft(pieces_of(state["board"]), True, depth) for depth in (1, 2, 3)
    ]


def test_legal_moves_match_brute_force_along_random_games():
    rng, checked = random.Random(5), 0
    for _ in range(60):
        state = GAME.get_initial_state()
        while GAME.get_current_player(state) != TERMINAL:
            brute = brute_legal(pieces_of(state["board"]), state["player"] == 0)
            assert GAME.get_legal_actions(state) == sorted(brute)
            checked += 1
            state = GAME.apply_action(state, rng.choice(sorted(brute)))
    assert checked > 2000


def make_state(rows, player=0, clock=0):
    """A position from a diagram whose first row is rank 5."""
    return {"board": "".join(reversed(rows)), "player": player, "halfmove_clock": clock, "result": None}


@pytest.mark.parametrize(
    ("rows", "action", "terminal"),
    [
        (["....k", "...n.", ".....", ".B...", "K...."], "B_b2_d4", True),  # K+B v K: draw
        (["....k", "...n.", ".....", ".R...", "K...."], "R_b2_b4", False),  # K+R v K+N: plays on
        (["b...k", "...n.", ".....", ".B...", "K...."], "B_b2_d4", False),  # K+B v K+B: plays on
        (["....k", ".....", "...b.", ".....", "K.N.."], "N_c1_d3", True),  # K+N v K: draw
        (["...qk", ".....", ".....", ".....", "KQ..."], "Q_b1_d3", False),  # K+Q v K+Q: plays on
    ],
)
def test_insufficient_material(rows, action, terminal):
    state = GAME.apply_action(make_state(rows), action)
    assert (GAME.get_current_player(state) == TERMINAL) == terminal
    assert GAME.get_rewards(state) == [0.0, 0.0]


def test_hundred_half_moves_without_capture_or_pawn_move_draw():
    rows = ["k....", ".....", ".....", "p....", "....K"]  # White's king; Black's king and pawn
    assert GAME.get_current_player(GAME.apply_action(make_state(rows, clock=98), "K_e1_d1")) == 1
    drawn = GAME.apply_action(make_state(rows, clock=99), "K_e1_d1")
    assert GAME.get_current_player(drawn) == TERMINAL and GAME.get_rewards(drawn) == [0.0, 0.0]
    # A pawn move (here a promotion) sets the clock back to 0.
    reset = GAME.apply_action(make_state(rows, player=1, clock=99), "P_a2_a1_R")
    assert reset["halfmove_clock"] == 0 and GAME.get_current_player(reset) == 0


def test_checkmate_on_the_hundredth_half_move_still_wins():
    rows = ["k....", "pp...", ".....", ".....", "..K.R"]
    state = GAME.apply_action(make_state(rows, clock=99), "R_e1_e5")
    assert GAME.get_current_player(state) == TERMINAL and GAME.get_rewards(state) == [1.0, -1.0]


@pytest.mark.parametrize("piece", ["Q", "R", "B", "N"])
def test_promotion_replaces_the_pawn(piece):
    state = replay(GAME, ["P_d2_d3", "N_b5_a3", "P_d3_c4", "P_e4_e3", "N_b1_c3", "P_d4_d3"])
    state = GAME.apply_action(state, f"P_c4_d5_{piece}")
    assert state["board"][GAME.SQUARES.index("d5")] == piece


def test_pawns_never_step_two_squares():
    assert all(action.endswith("3") for action in GAME.get_legal_actions(GAME.get_initial_state()))
    with pytest.raises(ValueError, match="P_e2_e4"):
        GAME.apply_action(GAME.get_initial_state(), "P_e2_e4")
