"""Integer action spaces for a GameCWM, whose actions are strings: what the bridges number and how.

OpenSpiel and PettingZoo number actions with integers fixed for the whole game. A pack declares its
space in the `[interop]` table of `game.toml`, in one of two modes:

- listed (`actions = ["{0..2},{0..2}"]`): every action string the rules allow, written as brace
  patterns, expanded in order; the i-th string is action i, in every state. `{a,b,c}` is a choice,
  `{0..8}` a range of integers, `{a..h}` a range of letters; several braces make every combination,
  the leftmost varying slowest.

    >>> expand("{0..1},{a..b}")
    ['0,a', '0,b', '1,a', '1,b']
    >>> expand("move{,:q}")
    ['move', 'move:q']

- positional (`actions = "positional"`, with `max_actions`): when the strings cannot be listed (a
  backgammon turn is a sequence of checker moves), action i is the state's i-th legal action in the
  order the model lists them; `max_actions` bounds how many a state may have.

Chance outcomes get the same treatment from `chance` (and `max_chance_outcomes`). A model that answers
an action outside its space (or more legal actions than the bound) raises `ActionSpaceError` naming it.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

POSITIONAL = "positional"
_BRACE = re.compile(r"\{([^{}]*)\}")
_RANGE = re.compile(r"^(-?\d+)\.\.(-?\d+)$|^([A-Za-z])\.\.([A-Za-z])$")


class ActionSpaceError(ValueError):
    """A model produced an action that its declared integer action space does not hold."""


def expand(pattern: str) -> list[str]:
    """Every string the brace pattern `pattern` stands for, in order."""
    parts: list[list[str]] = []
    position = 0
    for match in _BRACE.finditer(pattern):
        parts.append([pattern[position : match.start()]])
        parts.append(_choices(match.group(1)))
        position = match.end()
    parts.append([pattern[position:]])
    if "{" in pattern[position:] or "}" in pattern[position:]:
        raise ValueError(f"unbalanced brace in action pattern {pattern!r}")
    return ["".join(combination) for combination in itertools.product(*parts)]


def _choices(body: str) -> list[str]:
    match = _RANGE.match(body)
    if match is None:
        return body.split(",")
    if match.group(1) is not None:
        low, high = int(match.group(1)), int(match.group(2))
        return [str(n) for n in range(low, high + 1)]
    low, high = ord(match.group(3)), ord(match.group(4))
    return [chr(c) for c in range(low, high + 1)]


@dataclass(frozen=True)
class ActionSpace:
    """Action strings <-> integers for one kind of mover (the players, or chance)."""

    size: int
    listed: tuple[str, ...] | None = None  # None: positional
    kind: str = "player"

    @classmethod
    def from_declaration(cls, declared: str | Sequence[str] | None, bound: int | None, kind: str) -> ActionSpace:
        if declared is None:
            return cls(0, (), kind)
        if declared == POSITIONAL:
            if not isinstance(bound, int) or bound < 1:
                key = "max_actions" if kind == "player" else "max_chance_outcomes"
                raise ValueError(f"a positional {kind} action space needs {key}, a positive integer")
            return cls(bound, None, kind)
        if isinstance(declared, str) or not all(isinstance(p, str) for p in declared):
            raise ValueError(f"{kind} actions must be a list of brace patterns or {POSITIONAL!r}")
        listed = tuple(itertools.chain.from_iterable(expand(p) for p in declared))
        if len(set(listed)) != len(listed):
            repeated = sorted({a for a in listed if listed.count(a) > 1})[:5]
            raise ValueError(f"{kind} action patterns list some strings twice: {repeated}")
        return cls(len(listed), listed, kind)

    @property
    def positional(self) -> bool:
        return self.listed is None

    def numbers(self, legal: Sequence[str]) -> list[int]:
        """The integer of each legal action (same order as `legal`)."""
        if self.listed is None:
            if len(legal) > self.size:
                raise ActionSpaceError(
                    f"the model lists {len(legal)} legal {self.kind} actions, more than the {self.size} "
                    f"its positional action space allows"
                )
            return list(range(len(legal)))
        index = self._index
        missing = [a for a in legal if a not in index]
        if missing:
            raise ActionSpaceError(
                f"{self.kind} action {missing[0]!r} is outside the declared action space "
                f"({self.size} actions, e.g. {', '.join(repr(a) for a in self.listed[:4])})"
            )
        return [index[a] for a in legal]

    def string(self, number: int, legal: Sequence[str] | None = None) -> str:
        """The action string of integer `number` (positional spaces need the state's legal actions)."""
        if not 0 <= number < self.size:
            raise ActionSpaceError(f"{self.kind} action {number} is outside 0..{self.size - 1}")
        if self.listed is not None:
            return self.listed[number]
        if legal is None:
            return f"#{number}"
        if number >= len(legal):
            raise ActionSpaceError(f"{self.kind} action {number} is not legal here ({len(legal)} legal actions)")
        return legal[number]

    @cached_property  # a frozen dataclass still has an instance __dict__ for it
    def _index(self) -> dict[str, int]:
        return {a: i for i, a in enumerate(self.listed or ())}
