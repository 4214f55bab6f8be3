"""What both bridges share: a game pack, its `GameSpec`, and the model that plays it (trusted or not).

    >>> bridge = open_bridge("kuhn_poker")
    >>> bridge.spec.actions.size, type(bridge.model).__name__
    (2, 'LocalModel')

`open_bridge(game, model=None)` takes a catalog id or a pack folder, and optionally a model-written
GameCWM file for that game: the pack's reference runs in this process, a file runs in the sandbox.
Bridges are shared by key, so that OpenSpiel, which loads a game again for each deserialized state,
reuses one worker; `close_bridges` (also run at exit) stops the workers.
A model is taken to be deterministic, as the verifier requires: a position it has answered is not
asked again while the bridge keeps it.
"""

from __future__ import annotations

import atexit
import json
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gamecwm.games import GamePack, get_pack
from gamecwm.interop.model import LocalModel, Model, ModelError, Node, SandboxModel, history_text
from gamecwm.interop.spec import GameSpec
from gamecwm.sandbox import Limits
from gamecwm.search.render import render_observation


@dataclass
class Bridge:
    pack: GamePack
    spec: GameSpec
    model: Model
    source: str  # "reference" or the model file
    nodes: OrderedDict[tuple[str, ...], Node] = field(default_factory=OrderedDict, repr=False)
    initial: Node | None = field(default=None, repr=False)

    def root(self) -> Node:
        """The initial position (computed once: OpenSpiel asks for it on every clone)."""
        if self.initial is None:
            self.initial = self.model.root()
        return self.initial

    def child(self, node: Node, action: str) -> Node:
        """The node after `action`. The most recent `NODES_KEPT` are kept, so that CFR, which walks the
        same tree each iteration, and searches, which revisit positions, ask the model only once."""
        key = (*node.actions, action)
        child = self.nodes.get(key)
        if child is None:
            child = self.nodes[key] = self.model.child(node, action)
            if len(self.nodes) > NODES_KEPT:
                self.nodes.popitem(last=False)
        else:
            self.nodes.move_to_end(key)
        return child

    def replay(self, actions: Any) -> Node:
        """The node reached by `actions` from the initial position."""
        node = self.root()
        for action in actions:
            node = self.child(node, action)
        return node

    def resampled(self, node: Node, player: int, seed: int) -> Node:
        """A node `player` cannot tell from `node`, drawn by the model's `resample_history`: the same
        player must move there and `player` must see the same observation, or the model is wrong."""
        actions = self.model.resample(node, player, seed)
        try:
            other = self.replay(actions)
        except ModelError as exc:
            raise ModelError(f"resample_history for player {player} drew an impossible history: {exc}") from None
        self.model.observe([node, other])
        if other.player != node.player or other.observations[player] != node.observations[player]:
            raise ModelError(
                f"{self.model.name} {history_text(node.actions)}: resample_history for player {player} drew a "
                f"history the player can tell from the real one (to move: {other.player} vs {node.player}; "
                "what it sees differs)"
            )
        return other

    def views(self, node: Node, names: tuple[str, str]) -> str:
        """What the players see at `node`, rendered as `gamecwm play` shows boards: once when they see
        the same, else each under its name ("player_0 sees:")."""
        self.model.observe([node])
        assert node.observations is not None
        first, second = (render_observation(json.loads(text)) for text in node.observations)
        if first == second:
            return first
        return f"{names[0]} sees:\n{first}\n{names[1]} sees:\n{second}"

    def space(self, player: int) -> Any:
        return self.spec.chance if player < 0 else self.spec.actions


NODES_KEPT = 100_000
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
