"""What the bridges need to know about a game beyond its GameCWM: the pack's `[interop]` table.

    >>> from gamecwm.games import get_pack
    >>> spec = GameSpec.from_pack(get_pack("kuhn_poker"))
    >>> spec.actions.listed, spec.chance.listed, spec.utility, spec.returns
    (('pass', 'bet'), ('deal:J', 'deal:Q', 'deal:K'), 'zero_sum', (-2.0, 2.0))

The table, in `game.toml`:

    [interop]
    actions = ["pass", "bet"]      # the player action space (see `spaces.py`)
    chance = ["deal:{J,Q,K}"]      # the chance outcomes (omit for a game without chance)
    utility = "zero_sum"           # zero_sum | constant_sum | identical | general_sum
    returns = [-2, 2]              # the lowest and highest final return of a player
    max_game_length = 3            # the most player (non-chance) moves in one game
    deck = { "deal:R1" = 3 }       # optional: chance draws without replacement from these copies

Chance outcomes are uniform over the legal ones unless the pack has a `deck`: then each legal outcome
weighs its copies less the times it was drawn before (hanabi deals from a deck holding three R1s).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from gamecwm.interop.spaces import ActionSpace, ActionSpaceError

UTILITIES = ("zero_sum", "constant_sum", "identical", "general_sum")


class SpecError(ValueError):
    """A pack's `[interop]` table is missing or invalid."""


@dataclass(frozen=True)
class GameSpec:
    game: str
    info: str
    actions: ActionSpace
    chance: ActionSpace
    utility: str
    returns: tuple[float, float]
    max_game_length: int
    utility_sum: float | None = None
    deck: Mapping[str, int] = field(default_factory=dict)

    @classmethod
    def from_pack(cls, pack: Any) -> GameSpec:
        where = f"{pack.path}/game.toml [interop]"
        table = pack.extra.get("interop")
        if not isinstance(table, dict):
            raise SpecError(f"{where}: the pack declares no [interop] table, so its action space is unknown")
        try:
            return cls.from_table(pack.id, pack.info, table)
        except (KeyError, TypeError, ValueError) as exc:
            raise SpecError(f"{where}: {exc}") from None

    @classmethod
    def from_table(cls, game: str, info: str, table: Mapping[str, Any]) -> GameSpec:
        unknown = set(table) - {"actions", "chance", "max_actions", "max_chance_outcomes", "utility", "returns",
                                "max_game_length", "utility_sum", "deck"}  # fmt: skip
        if unknown:
            raise ValueError(f"unknown keys {sorted(unknown)}")
        utility = table.get("utility", "general_sum")
        if utility not in UTILITIES:
            raise ValueError(f"utility must be one of {', '.join(UTILITIES)}, got {utility!r}")
        low, high = (float(v) for v in table["returns"])
        if not low < high:
            raise ValueError(f"returns must be [lowest, highest] with lowest < highest, got {[low, high]}")
        length = table["max_game_length"]
        if not isinstance(length, int) or length < 1:
            raise ValueError(f"max_game_length must be a positive integer, got {length!r}")
        utility_sum = table.get("utility_sum", 0.0 if utility == "zero_sum" else None)
        if utility == "constant_sum" and utility_sum is None:
            raise ValueError("a constant_sum game needs utility_sum")
        deck = dict(table.get("deck", {}))
        if not all(isinstance(k, str) and isinstance(v, int) and v > 0 for k, v in deck.items()):
            raise ValueError("deck maps chance outcomes to positive copy counts")
        return cls(
            game=game,
            info=info,
            actions=ActionSpace.from_declaration(table["actions"], table.get("max_actions"), "player"),
            chance=ActionSpace.from_declaration(table.get("chance"), table.get("max_chance_outcomes"), "chance"),
            utility=utility,
            returns=(low, high),
            max_game_length=length,
            utility_sum=None if utility_sum is None else float(utility_sum),
            deck=deck,
        )

    @property
    def has_chance(self) -> bool:
        return self.chance.size > 0

    def chance_probabilities(self, legal: Sequence[str], history: Sequence[str]) -> list[float]:
        """The probability of each legal chance outcome (same order), given the actions so far."""
        if not legal:
            raise ActionSpaceError("a chance node with no legal outcome")
        if not self.deck:
            return [1.0 / len(legal)] * len(legal)
        drawn = Counter(a for a in history if a in self.deck)
        weights = []
        for outcome in legal:
            left = self.deck.get(outcome, 0) - drawn[outcome]
            if left <= 0:
                raise ActionSpaceError(f"chance outcome {outcome!r} is legal but no copy of it is left in the deck")
            weights.append(left)
        total = sum(weights)
        return [w / total for w in weights]
