"""The dataset: one folder per game (a game pack) and the catalog over them.

    >>> from gamecwm.games import catalog, get_pack
    >>> "quadranto" in [p.id for p in catalog() if p.split == "eval"]
    True
    >>> get_pack("connect4").rules.splitlines()[0]
    '# Connect Four'

`get_pack` accepts a catalog id or the path of an external pack folder.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from gamecwm.games.pack import GamePack, PackError, Scenario, load_pack, rules_only_pack
from gamecwm.games.scenarios import ScenarioResult, run_scenario

CATALOG_DIR = Path(__file__).resolve().parent

__all__ = [
    "CATALOG_DIR",
    "GamePack",
    "PackError",
    "Scenario",
    "ScenarioResult",
    "UnknownGameError",
    "catalog",
    "game_ids",
    "get_pack",
    "load_pack",
    "rules_only_pack",
    "run_scenario",
]


class UnknownGameError(KeyError):
    def __str__(self) -> str:  # KeyError quotes its message; show it plainly
        return str(self.args[0])


def game_ids() -> list[str]:
    """Ids of the catalog's games, training games by curriculum tier first, then held-out games."""
    return [p.id for p in catalog()]


@cache
def _catalog_pack(game_id: str) -> GamePack:
    return load_pack(CATALOG_DIR / game_id, validate_reference=False)


def catalog() -> list[GamePack]:
    """Every pack in the catalog, in curriculum order (tier, then id), held-out games last."""
    folders = sorted(p.parent.name for p in CATALOG_DIR.glob("*/game.toml"))
    packs = [_catalog_pack(name) for name in folders]
    return sorted(packs, key=lambda p: (p.split != "train", p.tier or 0, p.id))


def get_pack(game: str | Path) -> GamePack:
    """A catalog pack by id, or an external pack by folder path."""
    if isinstance(game, Path) or "/" in str(game) or Path(game).is_dir():
        return load_pack(game)
    if not (CATALOG_DIR / game / "game.toml").is_file():
        known = ", ".join(game_ids())
        raise UnknownGameError(f"unknown game {game!r}; known games: {known} (or pass a pack folder)")
    return _catalog_pack(game)
