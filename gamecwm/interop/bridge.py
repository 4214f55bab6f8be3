"""What both bridges share: a game pack, its `GameSpec`, and the model that plays it (trusted or not).

    >>> bridge = open_bridge("kuhn_poker")
    >>> bridge.spec.actions.size, type(bridge.model).__name__
    (2, 'LocalModel')

`open_bridge(game, model=None)` takes a catalog id or a pack folder, and optionally a model-written
GameCWM file for that game: the pack's reference runs in this process, a file runs in the sandbox.
Bridges are shared by key, so that OpenSpiel, which loads a game again for each deserialized state,
reuses one worker; `close_bridges` (also run at exit) stops the workers.
"""

from __future__ import annotations

import atexit
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gamecwm.games import GamePack, get_pack
from gamecwm.interop.model import LocalModel, Model, Node, SandboxModel
from gamecwm.interop.spec import GameSpec
from gamecwm.sandbox import Limits


@dataclass
class Bridge:
    pack: GamePack
    spec: GameSpec
    model: Model
    source: str  # "reference" or the model file

    def root(self) -> Node:
        """The initial position (computed once: OpenSpiel asks for it on every clone)."""
        root = self.__dict__.get("_root")
        if root is None:
            root = self.__dict__["_root"] = self.model.root()
        return root

    def space(self, player: int) -> Any:
        return self.spec.chance if player < 0 else self.spec.actions


_BRIDGES: dict[tuple[str, str, str, float], Bridge] = {}


def open_bridge(game: str | Path | GamePack, model: str | Path | None = None, isolation: str = "auto",
                seconds: float = 60.0) -> Bridge:  # fmt: skip
    """The bridge of a game, with its reference or the model file `model` (sandboxed: `isolation`, and
    `seconds` of wall clock for each call into it)."""
    pack = game if isinstance(game, GamePack) else get_pack(game)
    key = (str(pack.path), "" if model is None else str(Path(model).resolve()), isolation, float(seconds))
    bridge = _BRIDGES.get(key)
    if bridge is None:
        spec = GameSpec.from_pack(pack)
        if model is None:
            bridge = Bridge(pack, spec, LocalModel(pack.reference, name=f"{pack.id} reference"), "reference")
        else:
            path = Path(model)
            source = path.read_text(encoding="utf-8")
            limits = Limits.for_match(call_seconds=seconds)
            bridge = Bridge(pack, spec, SandboxModel(source, path.name, isolation, limits), str(path))
        _BRIDGES[key] = bridge
    return bridge


def close_bridges() -> None:
    for bridge in _BRIDGES.values():
        bridge.model.close()
    _BRIDGES.clear()


atexit.register(close_bridges)
