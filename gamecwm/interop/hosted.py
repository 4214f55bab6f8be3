"""The bridges' ops inside a sandboxed worker, next to an untrusted model (a `gamecwm.sandbox` plugin).

The worker keeps the model's states, keyed by the action history that reached them, so that a game
played forward costs one `apply_action` per move however long its history; a history it has dropped
is replayed from the longest one it still holds. Standard library only: the zygote imports this
before any candidate exists, and `model.py` uses `describe`, `observation_values`
and `resample` for trusted code.
"""

from __future__ import annotations

import copy
import random
from collections import OrderedDict
from typing import Any

from gamecwm.api import TERMINAL, GameCWM, HiddenInformationGameCWM, State, observation_history
from gamecwm.sandbox.codec import encode_value

PLUGIN = "gamecwm.interop.hosted"
CACHE_SIZE = 4096


def describe(game: GameCWM, state: State) -> dict[str, Any]:
    """Who moves, the legal actions and the rewards at `state`."""
    player = game.get_current_player(state)
    legal = [] if player == TERMINAL else list(game.get_legal_actions(state))
    return {"player": player, "legal": legal, "rewards": list(game.get_rewards(state))}


def observation_values(game: GameCWM, state: State) -> list[Any]:
    """Each player's observation as plain JSON (tuples and other types tagged, see `codec.encode_value`)."""
    first, second = game.get_observations(state)
    return [encode_value(first), encode_value(second)]


class StateCache:
    """The model's states by action history, the most recently used kept."""

    def __init__(self, size: int = CACHE_SIZE) -> None:
        self.size = size
        self.game: GameCWM | None = None
        self.states: OrderedDict[tuple[str, ...], Any] = OrderedDict()

    def state(self, game: GameCWM, actions: tuple[str, ...]) -> State:
        if game is not self.game:  # a new model was loaded in this worker
            self.game, self.states = game, OrderedDict()
        start = len(actions)
        while start > 0 and actions[:start] not in self.states:
            start -= 1
        state = self.states.get(actions[:start])
        if state is None:
            state = game.get_initial_state()
            self._keep((), state)
        for end in range(start + 1, len(actions) + 1):
            action = actions[end - 1]
            if action not in game.get_legal_actions(state):
                raise ValueError(f"action {action!r} at step {end - 1} is not legal")
            # a copy: a model that changes the state it is given must not change the one kept here
            state = game.apply_action(copy.deepcopy(state), action)
            self._keep(actions[:end], state)
        self.states.move_to_end(actions)
        return state

    def _keep(self, actions: tuple[str, ...], state: Any) -> None:
        self.states[actions] = state
        if len(self.states) > self.size:
            self.states.popitem(last=False)


_CACHE = StateCache()


def _position(game: GameCWM, actions: list[str], observe: bool = False) -> dict[str, Any]:
    state = _CACHE.state(game, tuple(actions))
    position = describe(game, state)
    if observe:
        position["observations"] = observation_values(game, state)
    return position


def _observe(game: GameCWM, histories: list[list[str]]) -> list[list[Any]]:
    return [observation_values(game, _CACHE.state(game, tuple(actions))) for actions in histories]


def resample(game: HiddenInformationGameCWM, actions: list[str], player: int, seed: int) -> list[str]:
    """A history the model's `resample_history` draws for what `player` saw along `actions`."""
    saved = random.getstate()
    random.seed(seed)  # models sample with the module-level random
    try:
        return list(game.resample_history(observation_history(game, actions, player), player))
    finally:
        random.setstate(saved)


SANDBOX_OPS = {"position": _position, "observe": _observe, "resample": resample}
