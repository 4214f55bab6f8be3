"""The search's ops inside a sandboxed worker, next to an untrusted model (a `gamecwm.sandbox` plugin).

A `SandboxEngine` starts its worker with this module as a plugin: the zygote imports it before any
candidate exists, and the worker then answers `info` and `choose` with the model it hosts. Planning
needs thousands of calls into the model, so it runs there; the model can only spoil its own moves,
which the referee outside checks.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gamecwm.api import Action, GameCWM
from gamecwm.search.planners import Planner, choose, step_info


def _choose(game: GameCWM, actions: list[Action], player: int, planner: dict[str, Any], seed: int) -> Action:
    """`planner` is `Planner.to_json()`'s form."""
    return choose(game, actions, player, Planner(**planner), seed)


SANDBOX_OPS: dict[str, Callable[..., Any]] = {"info": step_info, "choose": _choose}
