"""`UntrustedModule`: one untrusted GameCWM source in its own sandboxed worker, called op by op.

    >>> from gamecwm.games import get_pack
    >>> with UntrustedModule(get_pack("tic_tac_toe").reference_source, "ttt", "gamecwm.search.hosted",
    ...                      RuntimeError) as module:
    ...     module.call("info", actions=["1,1"])["player"]
    1

What the search's `SandboxEngine` and the bridges' `SandboxModel` share: the worker starts on the first
call, after the source has passed the screen; the plugin named at start-up answers the ops. A call the
model merely raised in fails alone (the worker lives on). A refusal, a failed load, a hang, a death or
a broken protocol makes the module broken: that call and every later one raise the caller's `error`
type with the reason, at once, without a new worker.
"""

from __future__ import annotations

from typing import Any, NoReturn

from gamecwm.sandbox.client import Sandbox, SandboxError
from gamecwm.sandbox.codec import MalformedMessage, read_answer, short
from gamecwm.sandbox.limits import Limits
from gamecwm.sandbox.screen import screen_source


class UntrustedModule:
    def __init__(self, source: str, name: str, plugin: str, error: type[Exception],
                 limits: Limits | None = None, isolation: str = "auto") -> None:  # fmt: skip
        self.source, self.name, self.plugin, self.error = source, name, plugin, error
        self.limits = limits or Limits.for_match()
        self.isolation = isolation
        self.box: Sandbox | None = None
        self.broken: str | None = None  # why the module cannot be called any more, once it cannot

    def call(self, op: str, where: str = "", **params: Any) -> Any:
        """The answer to `op`; errors name the module, then `where` (e.g. " after [...]")."""
        if self.broken:
            raise self.error(f"{self.broken} (gave up on this model)")
        try:
            box = self.box or self._start()
            reply = box.call(op, **params)
        except SandboxError as exc:
            self._break(f"{self.name}{where}: {exc.reason}")
        if "error" in reply:  # the model raised: this call fails, the worker lives on
            raise self.error(f"{self.name}{where}: {short(reply['error'])}")
        try:
            return read_answer(reply["result"])
        except (MalformedMessage, KeyError, TypeError) as exc:
            raise self.error(f"{self.name}: malformed answer to '{op}': {exc}") from None

    def _start(self) -> Sandbox:
        problems = screen_source(self.source)
        if problems:
            self._break(f"{self.name} refused before execution: {'; '.join(problems[:3])}")
        self.box = Sandbox(self.limits, isolation=self.isolation, plugins=(self.plugin,))
        self.box.start()
        loaded = self.box.call("load", source=self.source, name=self.name)
        if loaded.get("error") is not None or not loaded.get("compiled"):
            self._break(f"{self.name} does not load: {short(loaded.get('error'))}")
        return self.box

    def _break(self, reason: str) -> NoReturn:
        self.broken = reason
        self.close()
        raise self.error(reason) from None

    def close(self) -> None:
        if self.box is not None:
            self.box.close()
            self.box = None

    def __enter__(self) -> UntrustedModule:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
