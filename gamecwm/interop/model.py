"""A GameCWM as the bridges see it: a tree of `Node`s grown one action at a time, trusted or sandboxed.

    >>> from gamecwm.games import get_pack
    >>> model = LocalModel(get_pack("kuhn_poker").reference)
    >>> node = model.child(model.child(model.root(), "deal:K"), "deal:J")
    >>> node.player, node.legal
    (0, ('pass', 'bet'))
    >>> model.observe([node]); node.observations[0]
    '{"betting":[],"card":"K","contributions":[1,1]}'

A `LocalModel` runs trusted code (a catalog reference) in this process and keeps each node's GameCWM
state. A `SandboxModel` runs a model-written file in a sandboxed worker (`gamecwm.sandbox`, with
`hosted.py` as its plugin): nodes hold only their action history, the worker keeps the states, and
everything it answers is checked here. A model that raises, hangs, dies or answers nonsense raises
`ModelError` naming the history and what went wrong; once its worker is gone, every later call fails
at once with the same reason.

Observations travel as canonical JSON text (sorted keys, no spaces), the form the bridges compare and
show; they are computed only when asked, since planning and CFR mostly need the moves alone.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from typing import Any

from gamecwm.api import CHANCE, TERMINAL, GameCWM, has_hidden_information
from gamecwm.interop.hosted import PLUGIN, describe, observation_values, resample
from gamecwm.sandbox import Limits
from gamecwm.sandbox.codec import short
from gamecwm.sandbox.untrusted import UntrustedModule

PLAYERS = (0, 1)


class ModelError(RuntimeError):
    """The model failed: it raised, broke the contract, hung or died. The message says where and how."""


class Node:
    """One position: the actions that led to it and what the model says about it."""

    __slots__ = ("actions", "player", "legal", "rewards", "parent", "state", "observations", "memo")

    def __init__(self, actions: tuple[str, ...], player: int, legal: tuple[str, ...], rewards: tuple[float, float],
                 parent: Node | None, state: Any = None) -> None:  # fmt: skip
        self.actions, self.player, self.legal, self.rewards = actions, player, legal, rewards
        self.parent, self.state = parent, state
        self.observations: tuple[str, str] | None = None
        self.memo: dict[Any, Any] = {}  # what the bridges derive from the node (information states)

    @property
    def terminal(self) -> bool:
        return self.player == TERMINAL

    def __deepcopy__(self, memo: dict) -> Node:  # a node never changes once made: copies share it
        return self

    def __reduce__(self) -> tuple:  # pickled as its action history, replayed by whoever unpickles it
        return (History, (self.actions,))

    def path(self) -> list[Node]:
        """The nodes from the root to this one."""
        nodes, node = [], self
        while node is not None:
            nodes.append(node)
            node = node.parent
        return nodes[::-1]


class History(tuple):
    """A node's action history, as a pickled `Node` comes back: the owner replays it (`Model.replay`)."""


def canonical(value: Any) -> str:
    """The canonical JSON text of a plain JSON value: sorted keys, no spaces."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def history_text(actions: Sequence[str]) -> str:
    return f"after [{', '.join(actions[-6:])}]" if actions else "at the initial state"


Position = tuple[int, tuple[str, ...], tuple[float, float]]  # player, legal actions, rewards


def checked_position(answer: Any, actions: tuple[str, ...], name: str) -> Position:
    """Player, legal actions and rewards from a model's answer, or `ModelError` saying what is wrong."""
    where = f"{name} {history_text(actions)}"
    if not isinstance(answer, dict):
        raise ModelError(f"{where}: malformed answer {short(answer, 100)}")
    player, legal, rewards = answer.get("player"), answer.get("legal"), answer.get("rewards")
    if type(player) is not int or player not in (*PLAYERS, CHANCE, TERMINAL):
        raise ModelError(f"{where}: current player {short(player, 60)} is not 0, 1, -1 (chance) or -4 (terminal)")
    if not isinstance(legal, list) or not all(type(a) is str for a in legal):
        raise ModelError(f"{where}: legal actions are not a list of strings")
    if len(set(legal)) != len(legal):
        raise ModelError(f"{where}: the legal actions list an action twice")
    if (player == TERMINAL) != (not legal):
        state = "a terminal state with legal actions" if legal else f"player {player} to move with no legal action"
        raise ModelError(f"{where}: {state}")
    if (
        not isinstance(rewards, list)
        or len(rewards) != 2
        or not all(type(r) in (int, float) and math.isfinite(r) for r in rewards)
    ):
        raise ModelError(f"{where}: rewards {short(rewards, 80)} are not two finite numbers")
    return player, tuple(legal), (float(rewards[0]), float(rewards[1]))


class LocalModel:
    """Trusted GameCWM code run in this process; nodes keep the GameCWM state."""

    def __init__(self, game: GameCWM, name: str = "reference") -> None:
        self.game, self.name = game, name

    def _node(self, state: Any, actions: tuple[str, ...], parent: Node | None) -> Node:
        try:
            answer = describe(self.game, state)
        except Exception as exc:
            raise ModelError(f"{self.name} {history_text(actions)}: {type(exc).__name__}: {exc}") from exc
        return Node(actions, *checked_position(answer, actions, self.name), parent, state)

    def root(self) -> Node:
        try:
            state = self.game.get_initial_state()
        except Exception as exc:
            raise ModelError(f"{self.name}: get_initial_state: {type(exc).__name__}: {exc}") from exc
        return self._node(state, (), None)

    def child(self, node: Node, action: str) -> Node:
        if action not in node.legal:
            raise ModelError(f"{self.name} {history_text(node.actions)}: {action!r} is not a legal action")
        actions = (*node.actions, action)
        try:
            state = self.game.apply_action(node.state, action)
        except Exception as exc:
            raise ModelError(f"{self.name} {history_text(actions)}: {type(exc).__name__}: {exc}") from exc
        return self._node(state, actions, node)

    def observe(self, nodes: Sequence[Node]) -> None:
        for node in nodes:
            if node.observations is None:
                try:
                    first, second = observation_values(self.game, node.state)
                except Exception as exc:
                    raise ModelError(f"{self.name} {history_text(node.actions)}: get_observations: "
                                     f"{type(exc).__name__}: {exc}") from exc  # fmt: skip
                node.observations = (canonical(first), canonical(second))

    def resample(self, node: Node, player: int, seed: int) -> list[str]:
        if not has_hidden_information(self.game):
            raise ModelError(f"{self.name} has no resample_history: it is not a hidden-information GameCWM")
        try:
            return resample(self.game, list(node.actions), player, seed)
        except Exception as exc:
            raise ModelError(f"{self.name} {history_text(node.actions)}: resample_history: "
                             f"{type(exc).__name__}: {exc}") from exc  # fmt: skip

    def close(self) -> None:
        pass


class SandboxModel:
    """Untrusted GameCWM source in a sandboxed worker; nodes keep only their action history."""

    def __init__(self, source: str, name: str = "model", isolation: str = "auto", limits: Limits | None = None) -> None:
        self.name = name
        self.module = UntrustedModule(source, name, PLUGIN, ModelError, limits or Limits.for_match(), isolation)

    def _call(self, op: str, where: tuple[str, ...], **params: Any) -> Any:
        return self.module.call(op, f" {history_text(where)}", **params)

    def _node(self, actions: tuple[str, ...], parent: Node | None) -> Node:
        # the observations come along: a second round trip for them would cost more than computing them
        answer = self._call("position", actions, actions=list(actions), observe=True)
        node = Node(actions, *checked_position(answer, actions, self.name), parent)
        self._set_observations([node], [answer.get("observations")], actions)
        return node

    def root(self) -> Node:
        return self._node((), None)

    def child(self, node: Node, action: str) -> Node:
        if action not in node.legal:
            raise ModelError(f"{self.name} {history_text(node.actions)}: {action!r} is not a legal action")
        return self._node((*node.actions, action), node)

    def observe(self, nodes: Sequence[Node]) -> None:
        wanted = [node for node in nodes if node.observations is None]
        if not wanted:
            return
        last = wanted[-1].actions
        answer = self._call("observe", last, histories=[list(node.actions) for node in wanted])
        if not isinstance(answer, list) or len(answer) != len(wanted):
            raise ModelError(f"{self.name} {history_text(last)}: malformed observations")
        self._set_observations(wanted, answer, last)

    def _set_observations(self, nodes: list[Node], answer: list[Any], where: tuple[str, ...]) -> None:
        if not all(isinstance(pair, list) and len(pair) == 2 for pair in answer):
            raise ModelError(f"{self.name} {history_text(where)}: observations are not one per player")
        for node, (first, second) in zip(nodes, answer, strict=True):
            node.observations = (canonical(first), canonical(second))

    def resample(self, node: Node, player: int, seed: int) -> list[str]:
        actions = self._call("resample", node.actions, actions=list(node.actions), player=player, seed=seed)
        if not isinstance(actions, list) or not all(type(a) is str for a in actions):
            where = history_text(node.actions)
            raise ModelError(f"{self.name} {where}: resample_history did not return action strings")
        return actions

    def close(self) -> None:
        self.module.close()

    def __enter__(self) -> SandboxModel:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


Model = LocalModel | SandboxModel
