"""Game packs: a folder with `game.toml`, `rules.md`, `scenarios.json` and optionally `reference.py`.

    >>> from gamecwm.games import load_pack
    >>> pack = load_pack("gamecwm/games/kuhn_poker")
    >>> pack.info, pack.split, len(pack.scenarios)
    ('imperfect', 'train', 6)

Loading validates everything a later stage relies on and fails with a `PackError` that names the
file and the problem. Packs with a reference also replay every scenario on it, so a scenario whose
actions are illegal is caught when the pack is written, not when a candidate is scored against it.
"""

from __future__ import annotations

import json
import re
import tomllib
import types
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from gamecwm.api import INFO_TYPES, IllegalActionError, load_module, replay

SPLITS = ("train", "eval")
TIERS = (1, 2, 3, 4)
ACTION_SPEC_HEADING = "## Action String Specification"

# Check keys a scenario may use, with the JSON type each value must have.
SCENARIO_CHECKS: dict[str, type] = {
    "terminal": bool,
    "current_player": int,
    "rewards_sign": list,
    "winner": int,
    "rewards": list,
    "legal_include": list,
    "legal_exclude": list,
    "illegal": str,
}


class PackError(ValueError):
    """A game pack is missing a file or holds invalid content."""


@dataclass(frozen=True)
class Scenario:
    name: str
    actions: list[str]
    checks: dict[str, Any]


@dataclass(frozen=True)
class GamePack:
    id: str
    name: str
    info: str
    players: int
    split: str
    tier: int | None
    ood: bool
    rules: str
    scenarios: list[Scenario]
    path: Path
    openspiel: dict[str, Any] | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def reference_path(self) -> Path | None:
        path = self.path / "reference.py"
        return path if path.is_file() else None

    @property
    def has_reference(self) -> bool:
        return self.reference_path is not None

    @property
    def reference_source(self) -> str:
        if self.reference_path is None:
            raise PackError(f"{self.path}: this pack has no reference.py")
        return self.reference_path.read_text(encoding="utf-8")

    @cached_property
    def reference(self) -> types.ModuleType:
        """The reference GameCWM, loaded in this process (trusted code)."""
        if self.reference_path is None:
            raise PackError(f"{self.path}: this pack has no reference.py")
        return load_module(self.reference_path, name=f"gamecwm_reference_{self.id}", info=self.info)

    @property
    def action_spec(self) -> str:
        """The rules' final `## Action String Specification` section (empty if the rules have none)."""
        start = self.rules.find(ACTION_SPEC_HEADING)
        return self.rules[start:].strip() if start >= 0 else ""

    def summary(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "info": self.info,
            "split": self.split,
            "tier": self.tier,
            "ood": self.ood,
        }


def load_pack(path: str | Path, validate_reference: bool = True) -> GamePack:
    """Load and validate the game pack in folder `path`."""
    path = Path(path)
    if not path.is_dir():
        raise PackError(f"game pack folder not found: {path}")
    meta = _read_toml(path / "game.toml")
    rules = _read_rules(path / "rules.md")
    scenarios = _read_scenarios(path / "scenarios.json")
    pack = _make_pack(path, meta, rules, scenarios)
    if validate_reference and pack.has_reference:
        _replay_scenarios(pack)
    return pack


def rules_only_pack(rules_path: str | Path, info: str = "perfect") -> GamePack:
    """A pack made of a bare rules file (a user's own game): no scenarios, no reference."""
    path = Path(rules_path)
    if not path.is_file():
        raise PackError(f"rules file not found: {path}")
    if info not in INFO_TYPES:
        raise PackError(f"unknown info {info!r}; expected one of {', '.join(INFO_TYPES)}")
    rules = path.read_text(encoding="utf-8")
    title = next((line[2:].strip() for line in rules.splitlines() if line.startswith("# ")), path.stem)
    # `path` is the file itself, so `path / "reference.py"` never exists: the pack has no reference.
    return GamePack(path.stem, title, info, 2, "eval", None, True, rules, [], path)


def _require(path: Path) -> str:
    if not path.is_file():
        raise PackError(f"{path.parent}: missing {path.name} (a pack needs game.toml, rules.md, scenarios.json)")
    return path.read_text(encoding="utf-8")


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(_require(path))
    except tomllib.TOMLDecodeError as exc:
        raise PackError(f"{path}: invalid TOML: {exc}") from exc


def _read_rules(path: Path) -> str:
    rules = _require(path)
    headings = re.findall(r"^## .*$", rules, flags=re.MULTILINE)
    if not headings or headings[-1].strip() != ACTION_SPEC_HEADING:
        raise PackError(f"{path}: the rules must end with a '{ACTION_SPEC_HEADING}' section")
    return rules


def _read_scenarios(path: Path) -> list[Scenario]:
    try:
        raw = json.loads(_require(path))
    except json.JSONDecodeError as exc:
        raise PackError(f"{path}: invalid JSON: {exc}") from exc
    if not isinstance(raw, list) or not raw:
        raise PackError(f"{path}: expected a non-empty JSON list of scenarios")
    scenarios = []
    for index, item in enumerate(raw):
        where = f"{path}: scenario {index}"
        if not isinstance(item, dict) or set(item) != {"name", "actions", "checks"}:
            raise PackError(f"{where}: expected an object with exactly the keys name, actions, checks")
        if not isinstance(item["name"], str) or not item["name"]:
            raise PackError(f"{where}: name must be a non-empty string")
        where = f"{path}: scenario {item['name']!r}"
        actions, checks = item["actions"], item["checks"]
        if not isinstance(actions, list) or not all(isinstance(a, str) for a in actions):
            raise PackError(f"{where}: actions must be a list of strings")
        if not isinstance(checks, dict) or not checks:
            raise PackError(f"{where}: checks must be a non-empty object")
        for key, value in checks.items():
            if key not in SCENARIO_CHECKS:
                raise PackError(f"{where}: unknown check key {key!r}; known: {', '.join(SCENARIO_CHECKS)}")
            expected = SCENARIO_CHECKS[key]
            if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
                raise PackError(f"{where}: check {key!r} must be a {expected.__name__}, got {value!r}")
        scenarios.append(Scenario(item["name"], actions, checks))
    names = [s.name for s in scenarios]
    if len(set(names)) != len(names):
        raise PackError(f"{path}: scenario names must be unique")
    return scenarios


def _make_pack(path: Path, meta: dict[str, Any], rules: str, scenarios: list[Scenario]) -> GamePack:
    where = path / "game.toml"
    for key in ("id", "name", "info", "players", "split"):
        if key not in meta:
            raise PackError(f"{where}: missing key {key!r}")
    if meta["info"] not in INFO_TYPES:
        raise PackError(f"{where}: unknown info {meta['info']!r}; expected one of {', '.join(INFO_TYPES)}")
    if meta["split"] not in SPLITS:
        raise PackError(f"{where}: unknown split {meta['split']!r}; expected one of {', '.join(SPLITS)}")
    if meta["players"] != 2:
        raise PackError(f"{where}: players must be 2, got {meta['players']!r}")
    tier = meta.get("tier")
    if meta["split"] == "train" and tier not in TIERS:
        raise PackError(f"{where}: a training game needs a curriculum tier in {TIERS}, got {tier!r}")
    openspiel = meta.get("openspiel")
    if openspiel is not None and not isinstance(openspiel.get("name"), str):
        raise PackError(f"{where}: [openspiel] needs a string 'name'")
    known = {"id", "name", "info", "players", "split", "tier", "ood", "openspiel"}
    return GamePack(
        id=meta["id"],
        name=meta["name"],
        info=meta["info"],
        players=meta["players"],
        split=meta["split"],
        tier=tier,
        ood=bool(meta.get("ood", False)),
        rules=rules,
        scenarios=scenarios,
        path=path,
        openspiel=openspiel,
        extra={k: v for k, v in meta.items() if k not in known},
    )


def _replay_scenarios(pack: GamePack) -> None:
    try:
        game = pack.reference
    except Exception as exc:
        raise PackError(f"{pack.reference_path}: the reference does not load: {exc}") from exc
    for scenario in pack.scenarios:
        try:
            replay(game, scenario.actions)
        except IllegalActionError as exc:
            raise PackError(f"{pack.path / 'scenarios.json'}: scenario {scenario.name!r}: {exc}") from exc
