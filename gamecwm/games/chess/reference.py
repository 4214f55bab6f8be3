"""Chess: the standard game on an 8x8 board. White moves first; as in OpenSpiel, White is player 1
and Black is player 0.

Perfect information, alternating moves, no chance. It exercises six kinds of pieces, the special
moves (castling, en passant, promotion), king safety (check, checkmate, stalemate) and three draw
rules: 100 half-moves without a capture or pawn move, a position occurring for the third time, and
material too small to mate. Actions are UCI moves: "e2e4", "e7e8q", castling as the king's move "e1g1".

The board is a 64-character string indexed by square = 8 * rank + file (a1 = 0, h1 = 7, a8 = 56,
h8 = 63): "PNBRQK" are White's pieces, "pnbrqk" Black's and "." an empty square.
"""

import functools

BLACK, WHITE = 0, 1
CHANCE, TERMINAL = -1, -4
EMPTY = "."
FILES = "abcdefgh"
SQUARES = [file + rank for rank in "12345678" for file in FILES]  # square index -> name: "a1", "b1", ...
PIECES = ("pnbrqk", "PNBRQK")  # per player (Black, White): pawn, knight, bishop, rook, queen, king
START_BOARD = "RNBQKBNR" + "P" * 8 + EMPTY * 32 + "p" * 8 + "rnbqkbnr"
HALFMOVE_LIMIT = 100  # half-moves without a capture or a pawn move that draw the game
REPETITION_LIMIT = 3  # occurrences of the same position that draw the game
REWARDS = {"1-0": [-1.0, 1.0], "0-1": [1.0, -1.0], "1/2-1/2": [0.0, 0.0]}  # result -> [Black, White]

KING_STEPS = ((1, 0), (1, 1), (0, 1), (-1, 1), (-1, 0), (-1, -1), (0, -1), (1, -1))  # (file, rank)
KNIGHT_STEPS = ((1, 2), (2, 1), (2, -1), (1, -2), (-1, -2), (-2, -1), (-2, 1), (-1, 2))

# Castling right -> (king's square, king's destination, squares that must be empty,
# squares the king stands on, crosses and reaches, none of which may be attacked).
CASTLING = {
    "K": (4, 6, (5, 6), (4, 5, 6)),
    "Q": (4, 2, (1, 2, 3), (4, 3, 2)),
    "k": (60, 62, (61, 62), (60, 61, 62)),
    "q": (60, 58, (57, 58, 59), (60, 59, 58)),
}
CASTLING_ROOK = {6: (7, 5), 2: (0, 3), 62: (63, 61), 58: (56, 59)}  # king's destination -> rook's jump
RIGHTS_LOST = {4: "KQ", 7: "K", 0: "Q", 60: "kq", 63: "k", 56: "q"}  # by a move from or to this square


def _jumps(steps):
    """For every square, the squares one step away that are on the board."""
    return [
        [8 * (r + dr) + f + df for df, dr in steps if 0 <= f + df < 8 and 0 <= r + dr < 8]
        for r in range(8)
        for f in range(8)
    ]


def _rays(steps):
    """For every square, per direction, the squares along that line, nearest first."""
    return [
        [[8 * (r + k * dr) + f + k * df for k in range(1, 8) if 0 <= f + k * df < 8 and 0 <= r + k * dr < 8]
         for df, dr in steps]
        for r in range(8)
        for f in range(8)
    ]  # fmt: skip


KING_JUMPS = _jumps(KING_STEPS)
KNIGHT_JUMPS = _jumps(KNIGHT_STEPS)
ROOK_RAYS = _rays(KING_STEPS[0::2])
BISHOP_RAYS = _rays(KING_STEPS[1::2])
# Per player (Black, White): the squares its pawn on a square attacks.
PAWN_CAPTURES = (_jumps(((-1, -1), (1, -1))), _jumps(((-1, 1), (1, 1))))


def _position_key(board, player, castling, en_passant):
    """What must match for two positions to count as the same one (repetition rule)."""
    return f"{board} {'bw'[player]} {castling or '-'} {en_passant or '-'}"


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


def _pawn_moves(board, start, player, en_passant):
    """A pawn's steps, double step and captures (en passant included), with each promotion choice."""
    forward, home_rank = (8, 1) if player == WHITE else (-8, 6)
    ends = []
    if board[start + forward] == EMPTY:
        ends.append(start + forward)
        if start // 8 == home_rank and board[start + 2 * forward] == EMPTY:
            ends.append(start + 2 * forward)
    ends += [e for e in PAWN_CAPTURES[player][start] if board[e] in PIECES[1 - player] or e == en_passant]
    for end in ends:
        for promotion in "qrbn" if end // 8 in (0, 7) else [""]:
            yield start, end, promotion


def _pseudo_moves(board, player, en_passant):
    """(start, end, promotion) of every move the pieces' patterns allow, ignoring king safety."""
    own = PIECES[player]
    for start, piece in enumerate(board):
        if piece not in own:
            continue
        kind = piece.upper()
        if kind == "P":
            yield from _pawn_moves(board, start, player, en_passant)
        elif kind in "NK":
            for end in (KNIGHT_JUMPS if kind == "N" else KING_JUMPS)[start]:
                if board[end] not in own:
                    yield start, end, ""
        else:
            rays = (BISHOP_RAYS[start] if kind != "R" else []) + (ROOK_RAYS[start] if kind != "B" else [])
            for ray in rays:
                for end in ray:
                    if board[end] not in own:
                        yield start, end, ""
                    if board[end] != EMPTY:
                        break


def _play(board, start, end, promotion):
    """The board after a move, with castling's rook jump, en passant's capture and promotion."""
    squares = list(board)
    piece, squares[start] = squares[start], EMPTY
    if piece in "Pp" and start % 8 != end % 8 and squares[end] == EMPTY:  # en passant
        squares[end - 8 if piece == "P" else end + 8] = EMPTY
    if piece in "Kk" and abs(end - start) == 2:  # castling
        rook_from, rook_to = CASTLING_ROOK[end]
        squares[rook_to], squares[rook_from] = squares[rook_from], EMPTY
    if promotion:
        piece = promotion.upper() if piece == "P" else promotion
    squares[end] = piece
    return "".join(squares)


def _pinned(board, king, player):
    """Squares of the player's pieces that stand alone between its king and an enemy slider aiming at it."""
    own, (_, _, bishop, rook, queen, _) = PIECES[player], PIECES[1 - player]
    pinned = set()
    for rays, sliders in ((ROOK_RAYS, (rook, queen)), (BISHOP_RAYS, (bishop, queen))):
        for ray in rays[king]:
            blockers = [s for s in ray if board[s] != EMPTY][:2]
            if len(blockers) == 2 and board[blockers[0]] in own and board[blockers[1]] in sliders:
                pinned.add(blockers[0])
    return pinned


@functools.lru_cache(maxsize=4096)
def _legal_moves(board, player, castling, en_passant):
    """The legal moves as sorted UCI strings (cached: a position's moves are asked for many times)."""
    king, enemy = board.index(PIECES[player][5]), 1 - player
    ep = SQUARES.index(en_passant) if en_passant else None
    in_check, pinned = _attacked(board, king, enemy), _pinned(board, king, player)
    moves = []
    for start, end, promotion in _pseudo_moves(board, player, ep):
        # Only a move in check, a king move, a pinned piece's move or en passant can leave the king
        # attacked: play those and look.
        if in_check or start == king or start in pinned or end == ep:
            if _attacked(_play(board, start, end, promotion), end if start == king else king, enemy):
                continue
        moves.append(SQUARES[start] + SQUARES[end] + promotion)
    for right, (home, target, empty, crossed) in CASTLING.items():
        if right in castling and right.isupper() == (player == WHITE):
            if all(board[s] == EMPTY for s in empty) and not any(_attacked(board, s, enemy) for s in crossed):
                moves.append(SQUARES[home] + SQUARES[target])
    return tuple(sorted(moves))


def _insufficient_material(board):
    """No pawn, rook or queen, and either one knight and no bishop, or no knight and all bishops on
    squares of one colour (bare kings included)."""
    if any(piece in board for piece in "PpRrQq"):
        return False
    knights = board.count("N") + board.count("n")
    bishop_colours = {(s % 8 + s // 8) % 2 for s, piece in enumerate(board) if piece in "Bb"}
    return (knights == 1 and not bishop_colours) or (knights == 0 and len(bishop_colours) <= 1)


def _result(state):
    """None while the game goes on, else "1-0", "0-1" or "1/2-1/2"; the rules apply in this order."""
    board, player, history = state["board"], state["player"], state["history"]
    if _insufficient_material(board) or history.count(history[-1]) >= REPETITION_LIMIT:
        return "1/2-1/2"
    if not _legal_moves(board, player, state["castling"], state["en_passant"]):
        if _attacked(board, board.index(PIECES[player][5]), 1 - player):  # checkmate
            return "0-1" if player == WHITE else "1-0"
        return "1/2-1/2"  # stalemate
    if state["halfmove_clock"] >= HALFMOVE_LIMIT:
        return "1/2-1/2"
    return None


def get_initial_state():
    return {
        "board": START_BOARD,
        "player": WHITE,
        "castling": "KQkq",
        "en_passant": None,
        "halfmove_clock": 0,
        "history": [_position_key(START_BOARD, WHITE, "KQkq", None)],
        "result": None,
    }


def apply_action(state, action):
    legal = get_legal_actions(state)
    if action not in legal:
        raise ValueError(f"illegal action {action!r}; legal: {legal}")
    board, player = state["board"], state["player"]
    start, end, promotion = SQUARES.index(action[:2]), SQUARES.index(action[2:4]), action[4:]
    piece = board[start]
    new_board = _play(board, start, end, promotion)
    lost = RIGHTS_LOST.get(start, "") + RIGHTS_LOST.get(end, "")
    castling = "".join(right for right in state["castling"] if right not in lost)
    # After a double step the skipped square is recorded only if an enemy pawn stands beside the pawn.
    en_passant = None
    if piece in "Pp" and abs(end - start) == 16:
        beside = [s for s in (end - 1, end + 1) if s // 8 == end // 8]
        if any(new_board[s] == PIECES[1 - player][0] for s in beside):
            en_passant = SQUARES[(start + end) // 2]
    irreversible = piece in "Pp" or board[end] != EMPTY
    key = _position_key(new_board, 1 - player, castling, en_passant)
    new_state = {
        "board": new_board,
        "player": 1 - player,
        "castling": castling,
        "en_passant": en_passant,
        "halfmove_clock": 0 if irreversible else state["halfmove_clock"] + 1,
        # Positions from before a capture or a pawn move can never occur again.
        "history": [key] if irreversible else state["history"] + [key],
    }
    new_state["result"] = _result(new_state)
    return new_state


def get_current_player(state):
    return TERMINAL if state["result"] else state["player"]


def get_player_name(player_id):
    return {BLACK: "black", WHITE: "white", CHANCE: "chance", TERMINAL: "terminal"}[player_id]


def get_rewards(state):
    return list(REWARDS[state["result"]]) if state["result"] else [0.0, 0.0]


def get_legal_actions(state):
    """Legal UCI moves in ascending string order; none once the game is over."""
    if state["result"]:
        return []
    return list(_legal_moves(state["board"], state["player"], state["castling"], state["en_passant"]))


def get_observations(state):
    """Both players see the whole position, the counters and the positions the repetition rule counts."""
    return [
        {
            "board": state["board"],
            "current_player": get_current_player(state),
            "castling": state["castling"],
            "en_passant": state["en_passant"],
            "halfmove_clock": state["halfmove_clock"],
            "history": list(state["history"]),
        }
        for _ in range(2)
    ]
