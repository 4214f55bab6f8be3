"""Gardner minichess: chess on a 5x5 board, White (player 0) against Black (player 1).

Perfect information, alternating moves, no chance. It exercises six kinds of pieces, king safety
(check, checkmate, stalemate), promotion, and draws by insufficient material and by 100 half-moves
without a capture or a pawn move. Pawns only step one square; there is no castling and no en passant.
Actions name the piece, its square and its destination: "P_a2_a3", "N_b1_c3"; promotions add the
new piece: "P_e4_e5_Q".

The board is a 25-character string indexed by square = 5 * rank + file (a1 = 0, e1 = 4, a5 = 20,
e5 = 24): "PNBRQK" are White's pieces, "pnbrqk" Black's and "." an empty square.
"""

import functools

WHITE, BLACK = 0, 1
CHANCE, TERMINAL = -1, -4
SIZE = 5
EMPTY = "."
SQUARES = [file + rank for rank in "12345" for file in "abcde"]  # square index -> name: "a1", "b1", ...
PIECES = ("PNBRQK", "pnbrqk")  # per player: pawn, knight, bishop, rook, queen, king
START_BOARD = "RNBQK" + "PPPPP" + EMPTY * 5 + "ppppp" + "rnbqk"
PROMOTIONS = "QRBN"
HALFMOVE_LIMIT = 100  # half-moves without a capture or a pawn move that draw the game

KING_STEPS = ((1, 0), (1, 1), (0, 1), (-1, 1), (-1, 0), (-1, -1), (0, -1), (1, -1))  # (file, rank)
KNIGHT_STEPS = ((1, 2), (2, 1), (2, -1), (1, -2), (-1, -2), (-2, -1), (-2, 1), (-1, 2))


def _on_board(file, rank):
    return 0 <= file < SIZE and 0 <= rank < SIZE


def _jumps(steps):
    """For every square, the squares one step away that are on the board."""
    return [
        [SIZE * (r + dr) + f + df for df, dr in steps if _on_board(f + df, r + dr)]
        for r in range(SIZE)
        for f in range(SIZE)
    ]


def _rays(steps):
    """For every square, per direction, the squares along that line, nearest first."""
    return [
        [[SIZE * (r + k * dr) + f + k * df for k in range(1, SIZE) if _on_board(f + k * df, r + k * dr)]
         for df, dr in steps]
        for r in range(SIZE)
        for f in range(SIZE)
    ]  # fmt: skip


KING_JUMPS = _jumps(KING_STEPS)
KNIGHT_JUMPS = _jumps(KNIGHT_STEPS)
ROOK_RAYS = _rays(KING_STEPS[0::2])
BISHOP_RAYS = _rays(KING_STEPS[1::2])
PAWN_CAPTURES = (_jumps(((-1, 1), (1, 1))), _jumps(((-1, -1), (1, -1))))  # per player: squares a pawn attacks


def _attacked(board, square, by):
    """True if a piece of player `by` attacks `square`."""
    pawn, knight, bishop, rook, queen, king = PIECES[by]
    # A pawn of `by` attacks `square` from where a pawn of the other side on `square` would capture.
    for jumps, attacker in ((KNIGHT_JUMPS, knight), (KING_JUMPS, king), (PAWN_CAPTURES[1 - by], pawn)):
        for s in jumps[square]:
            if board[s] == attacker:
                return True
    for rays, sliders in ((ROOK_RAYS, (rook, queen)), (BISHOP_RAYS, (bishop, queen))):
        for ray in rays[square]:
            for s in ray:
                if board[s] != EMPTY:
                    if board[s] in sliders:
                        return True
                    break
    return False


def _destinations(board, start, player):
    """Squares the piece on `start` may move to by its movement pattern, ignoring king safety."""
    own, kind = PIECES[player], board[start].upper()
    if kind == "P":
        ahead = start + (SIZE if player == WHITE else -SIZE)
        ends = [ahead] if board[ahead] == EMPTY else []
        return ends + [e for e in PAWN_CAPTURES[player][start] if board[e] in PIECES[1 - player]]
    if kind in "NK":
        return [e for e in (KNIGHT_JUMPS if kind == "N" else KING_JUMPS)[start] if board[e] not in own]
    ends = []
    rays = (BISHOP_RAYS[start] if kind != "R" else []) + (ROOK_RAYS[start] if kind != "B" else [])
    for ray in rays:
        for end in ray:
            if board[end] not in own:
                ends.append(end)
            if board[end] != EMPTY:
                break
    return ends


def _play(board, start, end, promotion):
    """The board after moving the piece on `start` to `end`, promoted if `promotion` names a piece."""
    squares = list(board)
    piece, squares[start] = squares[start], EMPTY
    if promotion:
        piece = promotion if piece == "P" else promotion.lower()
    squares[end] = piece
    return "".join(squares)


@functools.lru_cache(maxsize=4096)
def _legal_moves(board, player):
    """The legal actions, sorted (cached: a position's moves are asked for many times)."""
    king = board.index(PIECES[player][5])
    actions = []
    for start, piece in enumerate(board):
        if piece not in PIECES[player]:
            continue
        for end in _destinations(board, start, player):
            last_rank = piece in "Pp" and end // SIZE in (0, SIZE - 1)
            after = _play(board, start, end, "Q" if last_rank else "")
            if _attacked(after, end if start == king else king, 1 - player):
                continue
            action = f"{piece.upper()}_{SQUARES[start]}_{SQUARES[end]}"
            actions += [f"{action}_{p}" for p in PROMOTIONS] if last_rank else [action]
    return tuple(sorted(actions))


def _insufficient_material(board):
    """Only the two kings are left, or the two kings and one bishop or one knight."""
    others = [piece for piece in board if piece not in ".Kk"]
    return others in ([], ["B"], ["N"], ["b"], ["n"])


def _result(board, player, halfmove_clock):
    """None while the game goes on, else the winner (0 or 1) or "draw"; the rules apply in this order."""
    if not _legal_moves(board, player):
        if _attacked(board, board.index(PIECES[player][5]), 1 - player):  # checkmate
            return 1 - player
        return "draw"  # stalemate
    if _insufficient_material(board) or halfmove_clock >= HALFMOVE_LIMIT:
        return "draw"
    return None


def get_initial_state():
    return {"board": START_BOARD, "player": WHITE, "halfmove_clock": 0, "result": None}


def apply_action(state, action):
    legal = get_legal_actions(state)
    if action not in legal:
        raise ValueError(f"illegal action {action!r}; legal: {legal}")
    piece, start, end, *promotion = action.split("_")
    start, end = SQUARES.index(start), SQUARES.index(end)
    board, player = state["board"], state["player"]
    new_board = _play(board, start, end, "".join(promotion))
    irreversible = piece == "P" or board[end] != EMPTY
    clock = 0 if irreversible else state["halfmove_clock"] + 1
    return {
        "board": new_board,
        "player": 1 - player,
        "halfmove_clock": clock,
        "result": _result(new_board, 1 - player, clock),
    }


def get_current_player(state):
    return TERMINAL if state["result"] is not None else state["player"]


def get_player_name(player_id):
    return {WHITE: "white", BLACK: "black", CHANCE: "chance", TERMINAL: "terminal"}[player_id]


def get_rewards(state):
    result = state["result"]
    if result is None or result == "draw":
        return [0.0, 0.0]
    return [1.0, -1.0] if result == WHITE else [-1.0, 1.0]


def get_legal_actions(state):
    """Legal actions in ascending string order; none once the game is over."""
    if state["result"] is not None:
        return []
    return list(_legal_moves(state["board"], state["player"]))


def get_observations(state):
    """Both players see the whole board, whose turn it is and the half-move clock."""
    return [
        {
            "board": state["board"],
            "current_player": get_current_player(state),
            "halfmove_clock": state["halfmove_clock"],
        }
        for _ in range(2)
    ]
