"""Chess against OpenSpiel's `chess`.

OpenSpiel's action ids encode (from, to, promotion) from the mover's side of the board; instead of
re-deriving that encoding, `to_openspiel` loads our position into OpenSpiel as a FEN and matches our
UCI string with the long algebraic form (`Move.to_lan`, castling as the king's move) of each of
OpenSpiel's legal actions there. `on_state` checks that both engines hold the same position, with the
same castling rights, en passant square and half-move clock, at every step.
"""

import functools

import pytest

from gamecwm.games import get_pack
from tests.games.lockstep import lockstep, pyspiel

pytestmark = pytest.mark.openspiel

GAME = pyspiel.load_game("chess")


def fen(board: str, player: int, castling: str, en_passant: str | None) -> str:
    """The first four FEN fields: placement, side to move, castling rights, en passant square."""
    rows = []
    for rank in range(7, -1, -1):
        row = board[8 * rank : 8 * rank + 8]
        for run in range(8, 0, -1):  # runs of empty squares become digits
            row = row.replace("." * run, str(run))
        rows.append(row)
    return f"{'/'.join(rows)} {'bw'[player]} {castling or '-'} {en_passant or '-'}"


@functools.lru_cache(maxsize=1024)
def openspiel_actions(board: str, player: int, castling: str, en_passant: str | None) -> dict[str, int]:
    """UCI move -> OpenSpiel action id, for OpenSpiel's legal actions in this position."""
    state = GAME.new_initial_state(fen(board, player, castling, en_passant) + " 0 1")
    return {pyspiel.chess.action_to_move(a, state.board()).to_lan(): a for a in state.legal_actions()}


def to_openspiel(action: str, state: dict) -> int:
    position = (state["board"], state["player"], state["castling"], state["en_passant"])
    return openspiel_actions(*position).get(action, -1)  # -1: a move OpenSpiel does not allow


def same_position(game, ours, theirs, actions):
    """Both engines hold the same FEN, half-move clock included (the move number aside)."""
    ours_fen = fen(ours["board"], ours["player"], ours["castling"], ours["en_passant"])
    expected = f"{ours_fen} {ours['halfmove_clock']}"
    assert str(theirs).rsplit(" ", 1)[0] == expected, f"positions differ after {actions}"


def test_lockstep_with_openspiel():
    assert lockstep("chess", to_openspiel, num_games=100, seed=1, on_state=same_position) > 100 * 100


def state_from_fen(game, position: str) -> dict:
    """Our state for a FEN (placement, side, castling, en passant, half-move clock)."""
    placement, side, castling, en_passant, clock = position.split()[:5]
    rows = ["".join("." * int(c) if c.isdigit() else c for c in row) for row in placement.split("/")]
    board, player = "".join(reversed(rows)), "bw".index(side)
    castling, en_passant = castling.replace("-", ""), None if en_passant == "-" else en_passant
    state = {
        "board": board,
        "player": player,
        "castling": castling,
        "en_passant": en_passant,
        "halfmove_clock": int(clock),
        "history": [game._position_key(board, player, castling, en_passant)],
    }
    return {**state, "result": game._result(state)}  # fmt: skip


@pytest.mark.parametrize(
    "position",
    [
        "8/8/8/8/8/8/8/K1k5 w - - 0 1",  # bare kings: drawn
        "8/8/8/8/8/8/8/KNk5 b - - 0 1",  # K+N v K: drawn
        "8/8/8/8/8/8/n7/KNk5 w - - 0 1",  # K+N v K+N: play on
        "8/8/8/8/8/8/b7/KBk5 w - - 0 1",  # bishops on squares of one colour: drawn
        "8/8/8/8/8/8/1b6/KBk5 w - - 0 1",  # bishops on both colours: play on
        "8/8/8/8/8/8/1n6/KBk5 w - - 0 1",  # K+B v K+N: play on
        "7k/5Q2/6K1/8/8/8/8/8 b - - 0 1",  # stalemate
        "6rk/5Npp/8/8/8/8/8/6K1 b - - 0 1",  # smothered mate
        "8/8/8/8/8/8/R7/K1k5 b - - 99 80",  # clock at 99: play on
        "8/8/8/8/8/8/R7/K1k5 b - - 100 80",  # clock at 100: drawn
        "8/8/8/8/8/5k2/6q1/7K w - - 100 80",  # mate ends the game before the fifty-move rule: Black wins
    ],
)
def test_end_conditions_match_openspiel(position):
    game, theirs = get_pack("chess").reference, GAME.new_initial_state(position)
    ours = state_from_fen(game, position)
    assert (game.get_current_player(ours) == -4) == theirs.is_terminal()
    assert game.get_rewards(ours) == pytest.approx(theirs.returns())
    assert len(game.get_legal_actions(ours)) == len(theirs.legal_actions())


START = "rnbqkbnr/pppppppp/8/8/8/8/PPPPPPPP/RNBQKBNR w KQkq - 0 1"


@pytest.mark.parametrize(
    ("start", "moves", "ends"),
    [
        # The position after e2e4 occurs a third time: no en passant square was recorded (no pawn beside).
        (START, "e2e4 g8f6 g1f3 f6g8 f3g1 g8f6 g1f3 f6g8 f3g1", True),
        # After d7d5 the en passant square d6 is recorded: that position differs from its two repeats.
        (START, "e2e4 g8f6 e4e5 d7d5 g1f3 b8c6 f3g1 c6b8 g1f3 b8c6 f3g1 c6b8", False),
        # b3 is recorded although c4xb3 would expose Black's king to the rook on a4.
        ("8/8/8/8/R1p4k/8/1P6/4K3 w - - 0 1", "b2b4 h4h5 a4a1 h5h4 a1a4 h4h5 a4a1 h5h4 a1a4", False),
        # A bishop capturing a rook on its corner takes that side's castling right away.
        (START, "g2g3 b7b6 f1g2 c8b7 g2b7 g8f6 b7a8 e7e6 g1f3 f8e7 e1g1 e8g8", False),
    ],
)
def test_scripted_games_match_openspiel(start, moves, ends):
    game, theirs = get_pack("chess").reference, GAME.new_initial_state(start)
    ours = state_from_fen(game, start)
    played = []
    for move in moves.split():
        assert move in game.get_legal_actions(ours), f"{move} after {played}"
        ours = game.apply_action(ours, move)
        theirs.apply_action(theirs.parse_move_to_action(move))
        played.append(move)
        same_position(game, ours, theirs, played)
        assert (game.get_current_player(ours) == -4) == theirs.is_terminal(), f"after {played}"
    assert theirs.is_terminal() == ends
