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

import dataclasses
import random
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypedDict, Unpack

from gamecwm.api import (
    INFO_TYPES,
    TERMINAL,
    Action,
    GameCWM,
    HiddenInformationGameCWM,
    has_hidden_information,
    observation_history,
    replay,
)
from gamecwm.search.ismcts import ISMCTS, determinize
from gamecwm.search.mcts import MCTS, SearchConfig

if TYPE_CHECKING:
    from gamecwm.games import GamePack

PLANNERS = ("random", "mcts", "ismcts")


class SearchSettings(TypedDict, total=False):
    """`SearchConfig`'s fields as keywords (`Planner("mcts", simulations=200)`)."""

    simulations: int
    exploration: float
    rollout_depth: int
    max_nodes: int


@dataclass(init=False)
class Planner:
    """How a seat picks its moves: `kind` (random, mcts or ismcts) and the search's settings.

    The settings are a `SearchConfig`; the keywords `simulations`, `exploration`, `rollout_depth` and
    `max_nodes` set its fields, on `search` when given or on the defaults, so
    `Planner("mcts", simulations=200)` is `Planner("mcts", SearchConfig(simulations=200))`.
    `to_json()` is flat (those keywords), and `Planner(**planner.to_json())` rebuilds the planner: the
    form a planner crosses the sandbox boundary in (`hosted.py`).
    """

    kind: str
    search: SearchConfig
    determinizations: int  # worlds sampled by MCTS on a hidden-information game

    def __init__(
        self,
        kind: str = "mcts",
        search: SearchConfig | None = None,
        determinizations: int = 8,
        **settings: Unpack[SearchSettings],
    ) -> None:
        if kind not in PLANNERS:
            raise ValueError(f"unknown planner {kind!r}; choose one of {', '.join(PLANNERS)}")
        self.kind = kind
        self.search = dataclasses.replace(search or SearchConfig(), **settings)  # a new one: validated
        self.determinizations = determinizations

    def search_config(self, simulations: int | None = None) -> SearchConfig:
        """The search's settings, with `simulations` instead of the planner's when given."""
        return dataclasses.replace(self.search, simulations=simulations) if simulations else self.search

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, **dataclasses.asdict(self.search), "determinizations": self.determinizations}


def default_planner(
    pack_or_info: GamePack | str,
    kind: str = "auto",
    search: SearchConfig | None = None,
    **settings: Unpack[SearchSettings],
) -> Planner:
    """The planner for a game: with `kind="auto"`, ISMCTS for a hidden-information game (a pack, or its
    `info`, "imperfect") and MCTS otherwise; `search` and `settings` are `Planner`'s.

    >>> default_planner("imperfect", simulations=50).kind, default_planner("perfect").kind
    ('ismcts', 'mcts')
    """
    info = pack_or_info if isinstance(pack_or_info, str) else pack_or_info.info
    if info not in INFO_TYPES:
        raise ValueError(f"unknown information type {info!r}; expected one of {INFO_TYPES}")
    if kind == "auto":
        kind = "ismcts" if info == "imperfect" else "mcts"
    return Planner(kind, search, **settings)


def step_info(game: GameCWM, actions: list[Action]) -> dict[str, Any]:
    """Replay `actions` (each checked legal) and describe the position reached."""
    state = replay(game, actions)
    player = game.get_current_player(state)
    return {
        "player": player,
        "legal": [] if player == TERMINAL else list(game.get_legal_actions(state)),
        "rewards": [float(r) for r in game.get_rewards(state)],
        "observations": list(game.get_observations(state)),
    }


def choose(game: GameCWM, actions: list[Action], player: int, planner: Planner, seed: int) -> Action:
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


def _determinized_mcts(
    game: HiddenInformationGameCWM, actions: list[Action], player: int, planner: Planner, rng: random.Random
) -> Action:
    history = observation_history(game, actions, player)
    worlds = max(1, min(planner.determinizations, planner.search.simulations))
    config = planner.search_config(max(1, planner.search.simulations // worlds))
    visits: Counter[str] = Counter()
    for _ in range(worlds):
        world = determinize(game, history, player)
        for action, (count, _) in MCTS(game, config, rng).action_visits(world).items():
            visits[action] += count
    return visits.most_common(1)[0][0]
