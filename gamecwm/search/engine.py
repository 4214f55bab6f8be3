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
sandboxed worker, so a model that raises, hangs or crashes mid-game raises `EngineError` with the
reason instead of taking the program down. The worker starts on the first call; once it has hung or
died (or the model does not load), every later call fails at once with the same reason.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from gamecwm.search.planners import Planner, choose, step_info


class EngineError(RuntimeError):
    """The engine's model failed: it raised, rejected a move, hung or died. The message says how."""


class LocalEngine:
    """Trusted code (a catalog reference) run in this process."""

    def __init__(self, game: Any, name: str = "reference") -> None:
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

    def __init__(self, source: str, name: str = "candidate", limits: Any = None) -> None:
        from gamecwm.verifier.sandbox import Limits

        self.limits = limits or Limits.for_match()
        self.source, self.name = source, name
        self.box: Any = None
        self.broken: str | None = None  # set once the worker hung or died: later calls fail at once

    def _start(self) -> None:
        from gamecwm.verifier.sandbox import Sandbox

        self.box = Sandbox(self.limits)
        self.box.start()
        loaded = self.box.call("load", source=self.source, name=self.name)
        if loaded["error"] is not None:
            self.broken = f"{self.name} does not load: {loaded['error']}"
            self.close()
            raise EngineError(self.broken)

    def _call(self, op: str, **params: Any) -> Any:
        from gamecwm.verifier.sandbox import SandboxError

        if self.broken:
            raise EngineError(f"{self.broken} (gave up on this model)")
        try:
            if self.box is None:
                self._start()
            reply = self.box.call(op, **params)
        except SandboxError as exc:
            self.broken = f"{self.name}: {exc.reason}"
            self.close()
            raise EngineError(self.broken) from None
        if "error" in reply:  # the model raised: this call fails, the worker lives on
            raise EngineError(f"{self.name}: {reply['error']}")
        return reply["result"]

    def info(self, actions: list[str]) -> dict[str, Any]:
        return self._call("info", actions=actions)

    def choose(self, actions: list[str], player: int, planner: Planner, seed: int) -> str:
        return self._call("choose", actions=actions, player=player, planner=asdict(planner), seed=seed)

    def close(self) -> None:
        if self.box is not None:
            self.box.close()
            self.box = None

    def __enter__(self) -> SandboxEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
