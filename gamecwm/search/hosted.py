"""The search's ops inside a sandboxed worker, next to an untrusted model (a `gamecwm.sandbox` plugin).

A `SandboxEngine` starts its worker with this module as a plugin: the zygote imports it before any
candidate exists, and the worker then answers `info` and `choose` with the model it hosts. Planning
needs thousands of calls into the model, so it runs there; the model can only spoil its own moves,
which the referee outside checks.
"""

from __future__ import annotations

from typing import Any

from gamecwm.search.planners import Planner, choose, step_info


def _choose(game: Any, actions: list[str], player: int, planner: dict[str, Any], seed: int) -> str:
    return choose(game, actions, player, Planner(**planner), seed)


SANDBOX_OPS = {"info": step_info, "choose": _choose}
