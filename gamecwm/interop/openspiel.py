"""Any GameCWM as an OpenSpiel game, so that OpenSpiel's algorithms (CFR, exploitability, MCTSBot,
best response) run on it.

    >>> import pyspiel
    >>> from gamecwm.interop.openspiel import load_game
    >>> game = load_game("kuhn_poker")  # the same as pyspiel.load_game("gamecwm", {"game": "kuhn_poker"})
    >>> state = game.new_initial_state()
    >>> state.chance_outcomes()
    [(0, 0.3333333333333333), (1, 0.3333333333333333), (2, 0.3333333333333333)]
    >>> for action in (2, 0, 1):  # deal:K, deal:J, then player 0 bets
    ...     state.apply_action(action)
    >>> state.current_player(), state.legal_actions(), state.action_to_string(1, 0)
    (1, [0, 1], 'pass')
    >>> state.information_state_string(1).splitlines()[-1]
    '{"betting":["bet"],"card":"J","contributions":[2,1]}'

Importing this module registers the Python game `gamecwm`, with parameters `game` (a catalog id or a
pack folder), `model` (a model-written GameCWM file for that game, run in the sandbox; empty for the
pack's reference), `isolation` (the sandbox's `auto`, `required` or `off`) and `seconds` (the wall
clock a call into the sandboxed model may take). Its `GameType` follows
the pack: chance mode from whether it declares chance outcomes, perfect or imperfect information,
the utility kind, terminal rewards. Integer actions come from the pack's `[interop]` table
(`spec.py`, `spaces.py`).

Information states have perfect recall, as OpenSpiel's action-observation histories do: for a
hidden-information game, the player's observation after every step (chance moves included) and its
own actions, one per line; for a perfect-information game, the whole action history. Observation
strings are the player's current observation as canonical JSON, and observation tensors its hashed
features (`features.py`). OpenSpiel pickles the Python attributes of a state to serialize it; a state
here holds only its node, which pickles as its action history and is replayed on first use.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pyspiel

from gamecwm.api import CHANCE, TERMINAL
from gamecwm.interop.bridge import Bridge, open_bridge
from gamecwm.interop.features import DEFAULT_SIZE, encode
from gamecwm.interop.model import History, Node

SHORT_NAME = "gamecwm"
PARAMETERS = {"game": "kuhn_poker", "model": "", "isolation": "auto", "seconds": 60.0}

_Type = pyspiel.GameType
_UTILITY = {
    "zero_sum": _Type.Utility.ZERO_SUM,
    "constant_sum": _Type.Utility.CONSTANT_SUM,
    "identical": _Type.Utility.IDENTICAL,
    "general_sum": _Type.Utility.GENERAL_SUM,
}


def game_type(bridge: Bridge | None = None) -> pyspiel.GameType:
    """The `GameType` of a bridged game (or, without one, the generic type that is registered)."""
    spec = None if bridge is None else bridge.spec
    return pyspiel.GameType(
        short_name=SHORT_NAME,
        long_name="GameCWM" if bridge is None else f"GameCWM {bridge.pack.name}",
        dynamics=_Type.Dynamics.SEQUENTIAL,
        chance_mode=(
            _Type.ChanceMode.EXPLICIT_STOCHASTIC if spec is None or spec.has_chance else _Type.ChanceMode.DETERMINISTIC
        ),
        information=(
            _Type.Information.PERFECT_INFORMATION
            if bridge is not None and bridge.pack.info == "perfect"
            else _Type.Information.IMPERFECT_INFORMATION
        ),
        utility=_UTILITY[spec.utility] if spec else _Type.Utility.GENERAL_SUM,
        reward_model=_Type.RewardModel.TERMINAL,
        max_num_players=2,
        min_num_players=2,
        provides_information_state_string=True,
        provides_information_state_tensor=False,
        provides_observation_string=True,
        provides_observation_tensor=True,
        parameter_specification=PARAMETERS,
    )


class GameCWMGame(pyspiel.Game):
    """A GameCWM as a `pyspiel.Game`; build it with `load_game` or `pyspiel.load_game("gamecwm", ...)`."""

    def __init__(self, params: dict[str, Any] | None = None) -> None:
        params = {**PARAMETERS, **(params or {})}
        self.bridge = open_bridge(params["game"], params["model"] or None, params["isolation"], params["seconds"])
        spec = self.bridge.spec
        info = pyspiel.GameInfo(
            num_distinct_actions=spec.actions.size,
            max_chance_outcomes=spec.chance.size,
            num_players=2,
            min_utility=spec.returns[0],
            max_utility=spec.returns[1],
            utility_sum=spec.utility_sum,
            max_game_length=spec.max_game_length,
        )
        super().__init__(game_type(self.bridge), info, params)

    def new_initial_state(self) -> GameCWMState:
        return GameCWMState(self, self.bridge.root())

    def make_py_observer(self, iig_obs_type: Any = None, params: dict | None = None) -> Observer:
        if params:
            raise ValueError(f"the gamecwm observer takes no parameters, got {params}")
        perfect_recall = bool(iig_obs_type is not None and iig_obs_type.perfect_recall)
        return Observer(perfect_recall)


class GameCWMState(pyspiel.State):
    """A position: a `Node` of the game's model."""

    def __init__(self, game: GameCWMGame, node: Node) -> None:
        super().__init__(game)
        self._node: Node | History = node

    @property
    def bridge(self) -> Bridge:
        return self.get_game().bridge

    @property
    def node(self) -> Node:
        if isinstance(self._node, History):  # an unpickled (deserialized) state
            self._node = self.bridge.replay(self._node)
        return self._node

    def current_player(self) -> int:
        player = self.node.player
        if player == TERMINAL:
            return pyspiel.PlayerId.TERMINAL
        return pyspiel.PlayerId.CHANCE if player == CHANCE else player

    def _legal_actions(self, player: int) -> list[int]:
        node = self.node
        if player != node.player:
            return []
        return sorted(self.bridge.space(player).numbers(node.legal))

    def chance_outcomes(self) -> list[tuple[int, float]]:
        node = self.node
        spec = self.bridge.spec
        numbers = spec.chance.numbers(node.legal)
        return sorted(zip(numbers, spec.chance_probabilities(node.legal, node.actions), strict=True))

    def _apply_action(self, action: int) -> None:
        node = self.node
        move = self.bridge.space(node.player).string(action, node.legal)
        self._node = self.bridge.child(node, move)

    def _action_to_string(self, player: int, action: int) -> str:
        node = self.node
        return self.bridge.space(player).string(action, node.legal if player == node.player else None)

    def is_terminal(self) -> bool:
        return self.node.terminal

    def returns(self) -> list[float]:
        node = self.node
        return list(node.rewards) if node.terminal else [0.0, 0.0]

    def resample_from_infostate(self, player_id: int, probability_sampler: Any = None) -> GameCWMState:
        """A state `player_id` cannot tell from this one, drawn by the model's `resample_history`
        (ISMCTS asks for these); the sampler, a callable giving floats in [0, 1), seeds the draw."""
        bridge = self.bridge
        if bridge.pack.info == "perfect":
            return self.clone()
        seed = int(probability_sampler() * 2**31) if callable(probability_sampler) else 0
        return GameCWMState(self.get_game(), bridge.resampled(self.node, player_id, seed))

    def observation_text(self, player: int) -> str:
        node = self.node
        self.bridge.model.observe([node])
        return node.observations[player]

    def information_state(self, player: int) -> str:
        node = self.node
        if self.bridge.pack.info == "perfect":
            return "actions: " + " ".join(node.actions)
        key = ("information_state", player)
        path = node.path()
        start = max((i for i, n in enumerate(path) if key in n.memo), default=0)
        self.bridge.model.observe(path[start:])
        if start == 0:
            path[0].memo[key] = path[0].observations[player]
        for before, after in zip(path[start:], path[start + 1 :], strict=False):
            played = f"\nplayed {after.actions[-1]}" if before.player == player else ""
            after.memo[key] = f"{before.memo[key]}{played}\n{after.observations[player]}"
        return node.memo[key]

    def __str__(self) -> str:
        node = self.node
        if node.terminal:
            head = f"terminal, returns {list(node.rewards)}"
        else:
            head = "chance to move" if node.player == CHANCE else f"player {node.player} to move"
        return f"{head}\n{self.bridge.views(node, ('player 0', 'player 1'))}"


class Observer:
    """Observation strings and tensors (or, with perfect recall, information-state strings)."""

    def __init__(self, perfect_recall: bool, size: int = DEFAULT_SIZE) -> None:
        self.perfect_recall = perfect_recall
        self.size = size
        self.tensor = None if perfect_recall else np.zeros(size, np.float32)
        self.dict = {} if self.tensor is None else {"observation": self.tensor}

    def set_from(self, state: GameCWMState, player: int) -> None:
        if self.tensor is not None:
            self.tensor[:] = encode(state.observation_text(player), self.size)

    def string_from(self, state: GameCWMState, player: int) -> str:
        return state.information_state(player) if self.perfect_recall else state.observation_text(player)


pyspiel.register_game(game_type(), GameCWMGame)


def load_game(game: str | Path, model: str | Path | None = None, isolation: str = "auto",
              seconds: float = 60.0) -> pyspiel.Game:  # fmt: skip
    """The OpenSpiel game of a catalog id or pack folder; with `model`, a model-written file for it, run
    in the sandbox (`isolation`, and `seconds` of wall clock for each call into it)."""
    params = {"game": str(game), "model": "" if model is None else str(Path(model).resolve()),
              "isolation": isolation, "seconds": float(seconds)}  # fmt: skip
    for key in ("game", "model"):
        if any(c in params[key] for c in ",()="):
            raise ValueError(f"OpenSpiel game strings cannot hold a {key} with ',', '(', ')' or '=': {params[key]}")
    return pyspiel.load_game(SHORT_NAME, params)
