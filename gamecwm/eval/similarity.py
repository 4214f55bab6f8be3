"""How close a sample is to the nearest training reference: a copied module can pass static and
dynamics on a held-out game while implementing another game.

    >>> from gamecwm.games import get_pack
    >>> pack = get_pack("gen_tic_tac_toe")  # held out
    >>> closest = closest_reference(pack.reference_source, pack.reference_source)
    >>> closest.game, closest.similarity, closest.own
    ('connect4', 0.8511, 1.0)

Similarity is difflib's ratio over the two modules' Python tokens (names, operators, literals; no
comments, blank lines or indentation), so renaming a file or re-wrapping lines changes nothing while
a different rule does. 1.0 is the same token stream. Related games share most of their text: the
held-out gen_tic_tac_toe's own reference is 0.85 like connect4's. So a sample is called a copy of
another game when it is nearer to that game's reference than to its own game's (`own`), and at least
COPY_SIMILARITY alike.
"""

from __future__ import annotations

import difflib
import io
import tokenize
from dataclasses import dataclass
from functools import cache

from gamecwm.games import catalog

SKIPPED = {tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT, tokenize.ENCODING}
COPY_SIMILARITY = 0.6  # at or above: the sample is mostly that reference's text


@dataclass(frozen=True)
class Closest:
    game: str  # the nearest training reference
    similarity: float
    own: float | None = None  # similarity to the sample's own game's reference, when there is one

    def copies_another_game(self, game: str) -> bool:
        own = -1.0 if self.own is None else self.own
        return self.game != game and self.similarity >= COPY_SIMILARITY and self.similarity > own


def code_tokens(source: str) -> tuple[str, ...]:
    """The module's tokens, or its whitespace-split words when it does not tokenize."""
    try:
        tokens = tokenize.generate_tokens(io.StringIO(source).readline)
        return tuple(t.string for t in tokens if t.type not in SKIPPED and t.string)
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return tuple(source.split())


@cache
def training_references() -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple((p.id, code_tokens(p.reference_source)) for p in catalog() if p.split == "train" and p.has_reference)


def closest_reference(source: str, own_reference: str | None = None) -> Closest:
    """The training reference most like `source`, how alike they are (0-1) and, given the reference of
    the game `source` was written for, how like that one it is."""
    tokens = code_tokens(source)
    own = None
    if own_reference is not None:
        own = round(difflib.SequenceMatcher(None, tokens, code_tokens(own_reference), autojunk=False).ratio(), 4)
    best = Closest("", 0.0, own)
    for game, reference in training_references():
        matcher = difflib.SequenceMatcher(None, tokens, reference, autojunk=False)
        if matcher.real_quick_ratio() <= best.similarity or matcher.quick_ratio() <= best.similarity:
            continue
        score = matcher.ratio()
        if score > best.similarity:
            best = Closest(game, round(score, 4), own)
    return best
