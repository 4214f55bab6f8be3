"""Which games to evaluate, and the samples on disk: generated ones and `DIR/<model>/<game>_<anything>.py`.

    >>> from gamecwm.eval.samples import game_pool, select_games
    >>> [p.id for p in select_games("eval", game_pool())][:3]
    ['converge', 'gen_chess', 'gen_tic_tac_toe']

A sample is one reply of one model for one game: its code, or None when the reply held no code (it
still counts, with every score 0). In a samples folder, `<game>_<anything>.py` is a sample's code and
a `<game>_<anything>.txt` without a `.py` beside it is a reply with no code (that is how `gamecwm eval`
stores them); the game is the longest known game id the file name starts with, followed by `_`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from gamecwm.games import GamePack, UnknownGameError, catalog, load_pack


@dataclass
class Sample:
    model: str
    game: str
    sample: str  # the index k for generated samples; `<anything>` in a samples folder
    pack: GamePack
    code: str | None
    file: str

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.model, self.game, self.sample)


def game_pool(packs: list[Path] | None = None) -> dict[str, GamePack]:
    """The catalog's packs and external ones by id; each `packs` entry is a pack folder or a folder of them."""
    pool = {pack.id: pack for pack in catalog()}
    for folder in packs or []:
        if not folder.is_dir():
            raise FileNotFoundError(f"pack folder not found: {folder}")
        found = [folder] if (folder / "game.toml").is_file() else sorted(p.parent for p in folder.glob("*/game.toml"))
        if not found:
            raise FileNotFoundError(f"no game pack in {folder} (a pack is a folder with game.toml, rules.md, ...)")
        for path in found:
            pack = load_pack(path)
            if pack.id in pool:
                raise ValueError(f"the external pack {path} has the id {pack.id!r}, which is already taken; rename it")
            pool[pack.id] = pack
    return pool


def select_games(spec: str, pool: dict[str, GamePack]) -> list[GamePack]:
    """`eval` (the held-out split), `all`, or comma-separated ids, in the pool's order."""
    if spec == "eval":
        return [pack for pack in pool.values() if pack.split == "eval"]
    if spec == "all":
        return list(pool.values())
    ids = [game.strip() for game in spec.split(",") if game.strip()]
    unknown = [game for game in ids if game not in pool]
    if unknown or not ids:
        raise UnknownGameError(
            f"unknown game(s) {', '.join(unknown) or repr(spec)} in --games; use eval, all or ids of: {', '.join(pool)}"
        )
    return [pool[game] for game in pool if game in ids]


def sample_order(sample: str) -> tuple[int, int, str]:
    """Numeric sample names in numeric order, then the others alphabetically."""
    return (0, int(sample), "") if sample.isdigit() else (1, 0, sample)


def game_of(stem: str, pool: dict[str, GamePack]) -> str | None:
    """The longest game id that `stem` starts with, followed by '_' (gen_tic_tac_toe_3 is gen_tic_tac_toe)."""
    matches = [game for game in pool if stem.startswith(game + "_") and len(stem) > len(game) + 1]
    return max(matches, key=len) if matches else None


def read_folder(folder: Path, model: str, pool: dict[str, GamePack]) -> tuple[list[Sample], list[Path]]:
    """The samples in one model's folder, and the files that name no known game."""
    samples, unmatched = [], []
    for path in sorted(folder.iterdir()):
        if not path.is_file() or path.suffix not in (".py", ".txt"):
            continue
        if path.suffix == ".txt" and path.with_suffix(".py").is_file():
            continue  # the raw reply beside its extracted code
        game = game_of(path.stem, pool)
        if game is None:
            unmatched.append(path)
            continue
        code = path.read_text(encoding="utf-8", errors="replace") if path.suffix == ".py" else None
        samples.append(Sample(model, game, path.stem[len(game) + 1 :], pool[game], code, str(path)))
    return samples, unmatched


def discover(
    samples_dir: Path, pool: dict[str, GamePack], games: list[str] | None = None
) -> tuple[list[Sample], list[Path]]:
    """Every sample under `samples_dir/<model>/` (or `<model>/samples/`, an eval's output), per model folder.

    Files directly in `samples_dir`, or in its `samples/`, form one model named after it. Returns the
    samples (restricted to `games` when given) and the files that name no known game.
    """
    if not samples_dir.is_dir():
        raise FileNotFoundError(f"samples folder not found: {samples_dir}")
    folders = [(samples_dir.name, samples_dir)]
    for sub in sorted(p for p in samples_dir.iterdir() if p.is_dir()):
        if sub.name == "samples":  # `samples_dir` is itself one eval's output folder
            folders.append((samples_dir.name, sub))
        else:
            folders.append((sub.name, sub / "samples" if (sub / "samples").is_dir() else sub))
    samples, unmatched = [], []
    for model, folder in folders:
        found, skipped = read_folder(folder, model, pool)
        samples += [s for s in found if games is None or s.game in games]
        unmatched += skipped
    if not samples:
        raise FileNotFoundError(
            f"no samples in {samples_dir}: expected {samples_dir}/<model_name>/<game>_<anything>.py "
            f"with <game> one of {', '.join(games or pool)}"
        )
    return samples, unmatched


def pack_fingerprint(pack: GamePack) -> str:
    """A hash of what a verdict depends on in a pack: its metadata, scenarios and reference."""
    digest = hashlib.sha256(pack.id.encode())
    for name in ("game.toml", "scenarios.json", "reference.py"):
        path = pack.path / name
        digest.update(name.encode() + (path.read_bytes() if path.is_file() else b"<none>"))
    return digest.hexdigest()
