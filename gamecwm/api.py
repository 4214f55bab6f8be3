"""The GameCWM contract: player ids, required functions, and loading trusted modules.

A GameCWM is one Python module of module-level functions; states and observations are plain dicts
and actions are strings (docs/architecture.md §1); `GameCWM` and `HiddenInformationGameCWM` are that
contract as types. This module is standard library only, so the games, the verifier and the search
load without any machine-learning dependency.

    >>> from gamecwm.api import load_module
    >>> game = load_module("gamecwm/games/tic_tac_toe/reference.py")
    >>> game.get_legal_actions(game.get_initial_state())[:3]
    ['0,0', '0,1', '0,2']

`load_module` executes the code in this process: use it for trusted references only. Candidate
(generated) code goes through `gamecwm.verifier`, which runs it in a sandboxed worker.
"""

from __future__ import annotations

import types
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol, TypeGuard

Action = str
State = dict[str, Any]
PlayerObservation = dict[str, Any]

# OpenSpiel's player ids.
CHANCE = -1
TERMINAL = -4
NUM_PLAYERS = 2

INFO_TYPES = ("perfect", "imperfect")

PERFECT_FUNCTIONS = (
    "get_initial_state",
    "apply_action",
    "get_current_player",
    "get_player_name",
    "get_rewards",
    "get_legal_actions",
    "get_observations",
)
IMPERFECT_FUNCTIONS = PERFECT_FUNCTIONS + ("resample_history",)

# Standard-library modules a GameCWM may import (pure: no I/O, no processes, no network).
ALLOWED_IMPORTS = frozenset(
    {
        "random",
        "copy",
        "itertools",
        "collections",
        "math",
        "functools",
        "typing",
        "dataclasses",
        "enum",
        "re",
        "string",
        "heapq",
        "bisect",
        "operator",
        "__future__",
    }
)


class GameCWM(Protocol):
    """The contract's functions as a type (docs/architecture.md §1): what the search, the verifier's
    probes and the helpers here call. A module defining these functions is a `GameCWM` to a type checker
    (mypy matches modules against protocols), and so is the `types.ModuleType` that `load_module` returns.

    Parameters are positional-only: modules call them what they like.
    """

    def get_initial_state(self) -> State: ...

    def apply_action(self, state: State, action: Action, /) -> State:
        """A new state; never mutates `state`."""

    def get_current_player(self, state: State, /) -> int:
        """0 or 1, CHANCE (-1) or TERMINAL (-4)."""

    def get_player_name(self, player_id: int, /) -> str: ...

    def get_rewards(self, state: State, /) -> list[float]:
        """One per player; [0.0, 0.0] until meaningful."""

    def get_legal_actions(self, state: State, /) -> list[Action]:
        """Chance outcomes at chance nodes; [] iff terminal."""

    def get_observations(self, state: State, /) -> list[PlayerObservation]:
        """[player 0's observation, player 1's observation]."""


class HiddenInformationGameCWM(GameCWM, Protocol):
    """An imperfect-information GameCWM: the contract's functions and `resample_history`."""

    def resample_history(
        self, obs_action_history: list[tuple[PlayerObservation, Action | None]], player_id: int, /
    ) -> list[Action]:
        """A full action sequence (chance included), sampled from `player_id`'s information set, that
        replays to exactly the observations and actions of `obs_action_history`."""


class ContractError(ValueError):
    """A module does not implement the GameCWM contract."""


class IllegalActionError(ValueError):
    """An action is not legal in the state it was applied to."""


def has_hidden_information(game: GameCWM) -> TypeGuard[HiddenInformationGameCWM]:
    """Whether `game` defines `resample_history` (what ISMCTS and determinization need)."""
    return callable(getattr(game, "resample_history", None))


def required_functions(info: str) -> tuple[str, ...]:
    """The function names a GameCWM with this information type must define."""
    if info == "perfect":
        return PERFECT_FUNCTIONS
    if info == "imperfect":
        return IMPERFECT_FUNCTIONS
    raise ValueError(f"unknown information type {info!r}; expected one of {INFO_TYPES}")


def missing_functions(module: object, info: str) -> list[str]:
    """Names of required functions that `module` lacks (or defines as non-callables)."""
    return [name for name in required_functions(info) if not callable(getattr(module, name, None))]


def check_contract(module: object, info: str, origin: str = "module") -> None:
    """Raise ContractError naming every required function `module` is missing."""
    missing = missing_functions(module, info)
    if missing:
        raise ContractError(
            f"{origin} is not a complete {info}-information GameCWM: missing "
            f"{', '.join(missing)} (required: {', '.join(required_functions(info))})"
        )


def load_module(source: str | Path, name: str = "gamecwm_game", info: str | None = None) -> types.ModuleType:
    """Execute trusted GameCWM code and return it as a module.

    `source` is a path (a `Path`, or a string naming an existing `.py` file) or Python source text.
    With `info`, the module must define every function that information type requires.
    """
    origin = "<string>"
    if isinstance(source, Path) or (isinstance(source, str) and source.endswith(".py") and "\n" not in source):
        path = Path(source)
        if not path.is_file():
            raise FileNotFoundError(f"GameCWM file not found: {path}")
        origin = str(path)
        source = path.read_text(encoding="utf-8")
    module = types.ModuleType(name)
    module.__file__ = origin
    code = compile(source, origin, "exec", dont_inherit=True)  # as a plain import: not this file's __future__ flags
    exec(code, module.__dict__)
    if info is not None:
        check_contract(module, info, origin)
    return module


def replay(game: GameCWM, actions: Sequence[Action], state: State | None = None) -> State:
    """Apply `actions` from the initial state (or `state`), checking each is legal first.

    Raises IllegalActionError naming the step, the action and the legal actions at that point.
    """
    state = game.get_initial_state() if state is None else state
    for step, action in enumerate(actions):
        legal = game.get_legal_actions(state)
        if action not in legal:
            shown = ", ".join(legal[:20]) + (", ..." if len(legal) > 20 else "")
            raise IllegalActionError(
                f"action {action!r} at step {step} is not legal (player {game.get_current_player(state)}); "
                f"legal: [{shown}]"
            )
        state = game.apply_action(state, action)
    return state


def observation_history(
    game: GameCWM, actions: Sequence[Action], player: int
) -> list[tuple[PlayerObservation, Action | None]]:
    """What `player` saw and did along `actions`: the input `resample_history` receives.

    One `(observation, action)` pair per decision of `player`, in order; when `player` is to move
    after the last action, a final `(observation, None)` pair stands for that pending decision.
    """
    history: list[tuple[PlayerObservation, Action | None]] = []
    state = game.get_initial_state()
    for action in actions:
        if game.get_current_player(state) == player:
            history.append((game.get_observations(state)[player], action))
        state = game.apply_action(state, action)
    if game.get_current_player(state) == player:
        history.append((game.get_observations(state)[player], None))
    return history
