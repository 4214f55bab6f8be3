"""Choosing moves: what a seat at the table does with a GameCWM and the game's action history.

    >>> from gamecwm.games import get_pack
    >>> from gamecwm.search.planners import Planner, choose
    >>> game = get_pack("kuhn_poker").reference
    >>> choose(game, ["deal:K", "deal:J"], player=0, planner=Planner("ismcts", simulations=200), seed=0)
    'bet'

A planner sees the game only as the acting player does. For a perfect-information game, MCTS searches
the replayed state. For a hidden-information game it never looks at the true state: ISMCTS and the
MCTS variant (perfect-information Monte Carlo: several determinizations, one search each, visits
summed) both draw worlds from the player's observation history with the model's `resample_history`.
These functions are standard library only, so the sandboxed worker can run them next to an untrusted
model.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import asdict, dataclass
from typing import Any

from gamecwm.api import TERMINAL, observation_history, replay
from gamecwm.search.ismcts import ISMCTS, determinize
from gamecwm.search.mcts import MCTS, SearchConfig

PLANNERS = ("random", "mcts", "ismcts")


@dataclass
class Planner:
    kind: str = "mcts"
    simulations: int = 1000
    exploration: float = 2**0.5
    rollout_depth: int = 500
    max_nodes: int = 100_000
    determinizations: int = 8  # worlds sampled by MCTS on a hidden-information game

    def __post_init__(self) -> None:
        if self.kind not in PLANNERS:
            raise ValueError(f"unknown planner {self.kind!r}; choose one of {', '.join(PLANNERS)}")
        self.search_config()  # validates the numbers

    def search_config(self, simulations: int | None = None) -> SearchConfig:
        return SearchConfig(
            simulations=simulations or self.simulations,
            exploration=self.exploration,
            rollout_depth=self.rollout_depth,
            max_nodes=self.max_nodes,
        )

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def has_hidden_information(game: Any) -> bool:
    return callable(getattr(game, "resample_history", None))


def step_info(game: Any, actions: list[str]) -> dict[str, Any]:
    """Replay `actions` (each checked legal) and describe the position reached."""
    state = replay(game, actions)
    player = game.get_current_player(state)
    return {
        "player": player,
        "legal": [] if player == TERMINAL else list(game.get_legal_actions(state)),
        "rewards": [float(r) for r in game.get_rewards(state)],
        "observations": list(game.get_observations(state)),
    }


def choose(game: Any, actions: list[str], player: int, planner: Planner, seed: int) -> str:
    """The action `planner` picks for `player`, who is to move after `actions`."""
    rng = random.Random(seed)
    random.seed(seed)  # resample_history samples with the module-level random: keep it reproducible
    state = replay(game, actions)
    if game.get_current_player(state) != player:
        raise ValueError(f"player {player} is not to move (player {game.get_current_player(state)} is)")
    if planner.kind == "random":
        return rng.choice(game.get_legal_actions(state))
    if planner.kind == "ismcts":
        history = observation_history(game, actions, player)
        return ISMCTS(game, planner.search_config(), rng).search(history, player)
    if not has_hidden_information(game):
        return MCTS(game, planner.search_config(), rng).search(state)
    return _determinized_mcts(game, actions, player, planner, rng)


def _determinized_mcts(game: Any, actions: list[str], player: int, planner: Planner, rng: random.Random) -> str:
    history = observation_history(game, actions, player)
    worlds = max(1, min(planner.determinizations, planner.simulations))
    config = planner.search_config(max(1, planner.simulations // worlds))
    visits: Counter[str] = Counter()
    for _ in range(worlds):
        world = determinize(game, history, player)
        for action, (count, _) in MCTS(game, config, rng).action_visits(world).items():
            visits[action] += count
    return visits.most_common(1)[0][0]
