"""Single-observer information-set MCTS: determinize with the GameCWM's own `resample_history`.

    >>> import random
    >>> from gamecwm.api import observation_history
    >>> from gamecwm.games import get_pack
    >>> from gamecwm.search.ismcts import ISMCTS
    >>> from gamecwm.search.mcts import SearchConfig
    >>> game = get_pack("kuhn_poker").reference
    >>> history = observation_history(game, ["deal:K", "deal:J"], player=0)
    >>> ISMCTS(game, SearchConfig(simulations=300), random.Random(0)).search(history, player=0) in ("pass", "bet")
    True

Each simulation asks `resample_history` for one full history consistent with what the searching
player saw, replays it, and walks one shared tree keyed by action strings. A child's exploration term
counts how often it was *available* (legal in the sampled world), not how often its parent was visited
(Cowling, Powley & Whitehouse, 2012). The search never sees the true hidden state.
"""

from __future__ import annotations

import math
import random

from gamecwm.api import (
    CHANCE,
    TERMINAL,
    Action,
    GameCWM,
    HiddenInformationGameCWM,
    PlayerObservation,
    State,
    has_hidden_information,
)
from gamecwm.search.mcts import SearchConfig, rollout


def determinize(
    game: HiddenInformationGameCWM, history: list[tuple[PlayerObservation, Action | None]], player: int
) -> State:
    """A state drawn from `player`'s information set, by replaying a resampled history."""
    state = game.get_initial_state()
    for action in game.resample_history(list(history), player):  # a copy of the list, not of each view
        state = game.apply_action(state, action)
    if game.get_current_player(state) != player:
        raise ValueError(
            f"resample_history gave a history after which player {game.get_current_player(state)} "
            f"is to move, not player {player}"
        )
    return state


class InfoNode:
    __slots__ = ("mover", "children", "visits", "available", "value")

    def __init__(self, mover: int) -> None:
        self.mover = mover
        self.children: dict[str, InfoNode] = {}
        self.visits = 0
        self.available = 1
        self.value = 0.0


class ISMCTS:
    """SO-ISMCTS for GameCWMs with hidden information (needs `resample_history`)."""

    def __init__(self, game: GameCWM, config: SearchConfig | None = None, rng: random.Random | None = None) -> None:
        if not has_hidden_information(game):
            raise ValueError("ISMCTS needs a GameCWM with resample_history (an imperfect-information game); "
                             "use MCTS for perfect-information games")  # fmt: skip
        self.game: HiddenInformationGameCWM = game
        self.config = config or SearchConfig()
        self.rng = rng or random.Random()
        self.nodes = 0

    def search(self, history: list[tuple[PlayerObservation, Action | None]], player: int) -> Action:
        """The most visited action for `player`, whose pending decision ends `history` (action None)."""
        if not history or history[-1][1] is not None:
            raise ValueError("the history must end with the player's pending decision (observation, None)")
        self.nodes = 1
        root = InfoNode(mover=CHANCE)
        for _ in range(self.config.simulations):
            self._simulate(root, determinize(self.game, history, player))
        return max(root.children.items(), key=lambda item: (item[1].visits, item[1].value))[0]

    def _simulate(self, root: InfoNode, state: State) -> None:
        game, node, path = self.game, root, [root]
        while (player := game.get_current_player(state)) != TERMINAL:
            legal = game.get_legal_actions(state)
            if player == CHANCE:
                action = self.rng.choice(legal)
            else:
                for known in (node.children[a] for a in legal if a in node.children):
                    known.available += 1
                untried = [a for a in legal if a not in node.children]
                if untried and self.nodes < self.config.max_nodes:
                    action = self.rng.choice(untried)
                else:
                    selected = self._select(node, legal)
                    if selected is None:  # the node budget is spent and nothing legal here is in the tree
                        break
                    action = selected
            state = game.apply_action(state, action)
            child = node.children.get(action)
            if child is None:
                if self.nodes >= self.config.max_nodes:
                    break
                child = node.children[action] = InfoNode(player)
                self.nodes += 1
                path.append(child)
                if player != CHANCE:  # a new decision node ends the walk; roll out from here
                    break
            node = child
            path.append(node) if path[-1] is not node else None
        rewards = rollout(game, state, self.rng, self.config.rollout_depth)
        for visited in path:
            visited.visits += 1
            if visited.mover >= 0:
                visited.value += rewards[visited.mover]

    def _select(self, node: InfoNode, legal: list[Action]) -> Action | None:
        """UCB over the children legal in this determinization, counting their availability."""
        c, best_score = self.config.exploration, -math.inf
        best: Action | None = None
        for action in legal:
            child = node.children.get(action)
            if child is None:
                continue
            score = child.value / child.visits + c * math.sqrt(math.log(child.available) / child.visits)
            if score > best_score:
                best, best_score = action, score
        return best
