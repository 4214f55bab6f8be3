"""Engines: a GameCWM that a match can ask about positions and moves, in this process or sandboxed.

    >>> from gamecwm.games import get_pack
    >>> from gamecwm.search.engine import LocalEngine, SandboxEngine
    >>> pack = get_pack("tic_tac_toe")
    >>> LocalEngine(pack.reference).info([])["player"]
    0
    >>> with SandboxEngine(pack.reference_source) as engine:  # as for an untrusted, generated model
    ...     engine.info(["1,1"])["player"]
    1

Both answer `info(actions)` (replay, then player, legal actions, rewards, observations) and
`choose(actions, player, planner, seed)`. A `SandboxEngine` runs the model *and its search* in one
sandboxed worker (`gamecwm.sandbox`, with `hosted.py` as its plugin), so a model that raises, hangs,
crashes or answers nonsense mid-game raises `EngineError` with the reason instead of taking the
program down; what it answers is checked for shape here. The worker starts on the first call; once it
has hung or died (or the model does not load), every later call fails at once with the same reason.
"""

from __future__ import annotations

from typing import Any, Protocol

from gamecwm.api import Action, GameCWM
from gamecwm.sandbox import Limits
from gamecwm.sandbox.untrusted import UntrustedModule
from gamecwm.search.planners import Planner, choose, step_info

PLUGIN = "gamecwm.search.hosted"


class EngineError(RuntimeError):
    """The engine's model failed: it raised, rejected a move, hung or died. The message says how."""


class Engine(Protocol):
    """What a match asks of a GameCWM's engine (`LocalEngine`, `SandboxEngine`)."""

    def info(self, actions: list[Action]) -> dict[str, Any]: ...

    def choose(self, actions: list[Action], player: int, planner: Planner, seed: int) -> Action: ...


class LocalEngine:
    """Trusted code (a catalog reference) run in this process."""

    def __init__(self, game: GameCWM, name: str = "reference") -> None:
        self.game, self.name = game, name

    def info(self, actions: list[str]) -> dict[str, Any]:
        try:
            return step_info(self.game, actions)
        except Exception as exc:
            raise EngineError(f"{self.name}: {type(exc).__name__}: {exc}") from exc

    def choose(self, actions: list[str], player: int, planner: Planner, seed: int) -> str:
        try:
            return choose(self.game, actions, player, planner, seed)
        except Exception as exc:
            raise EngineError(f"{self.name}: {type(exc).__name__}: {exc}") from exc

    def close(self) -> None:
        pass

    def __enter__(self) -> LocalEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class SandboxEngine:
    """Untrusted GameCWM source, with its searches, in a sandboxed worker."""

    def __init__(self, source: str, name: str = "candidate", limits: Limits | None = None,
                 isolation: str = "auto") -> None:  # fmt: skip
        self.name = name
        self.module = UntrustedModule(source, name, PLUGIN, EngineError, limits or Limits.for_match(), isolation)

    def _call(self, op: str, **params: Any) -> Any:
        return self.module.call(op, **params)

    def info(self, actions: list[str]) -> dict[str, Any]:
        info = self._call("info", actions=actions)
        if not (
            isinstance(info, dict)
            and type(info.get("player")) is int
            and isinstance(info.get("legal"), list)
            and all(isinstance(a, str) for a in info["legal"])
            and isinstance(info.get("rewards"), list)
            and all(type(r) in (int, float) for r in info["rewards"])
            and isinstance(info.get("observations"), list)
        ):
            raise EngineError(f"{self.name}: malformed position (player, legal actions, rewards, observations)")
        return info

    def choose(self, actions: list[str], player: int, planner: Planner, seed: int) -> str:
        move = self._call("choose", actions=actions, player=player, planner=planner.to_json(), seed=seed)
        if not isinstance(move, str):
            raise EngineError(f"{self.name}: chose {str(move)[:100]!r}, not an action string")
        return move

    def close(self) -> None:
        self.module.close()

    def __enter__(self) -> SandboxEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
