"""UCT Monte Carlo tree search over a GameCWM, with random rollouts and sampled chance nodes.

    >>> import random
    >>> from gamecwm.games import get_pack
    >>> from gamecwm.search.mcts import MCTS, SearchConfig
    >>> game = get_pack("tic_tac_toe").reference
    >>> mcts = MCTS(game, SearchConfig(simulations=200), random.Random(0))
    >>> mcts.search(game.get_initial_state()) in game.get_legal_actions(game.get_initial_state())
    True

Every node keeps its state (no replays from the root), up to `max_nodes` nodes; past that budget the
tree stops growing and simulations only roll out, so memory stays bounded however long the search.
Values are stored from the point of view of the player who chose the move into a node; chance nodes
pick their outcome uniformly at random among the legal chance actions.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field

from gamecwm.api import CHANCE, TERMINAL, Action, GameCWM, State


@dataclass
class SearchConfig:
    simulations: int = field(default=1000, metadata={"help": "simulations per move"})
    exploration: float = field(default=math.sqrt(2), metadata={"help": "UCT exploration constant"})
    rollout_depth: int = field(default=500, metadata={"help": "random-rollout step cap (rewards read there)"})
    max_nodes: int = field(default=100_000, metadata={"help": "tree size budget"})

    def __post_init__(self) -> None:
        if self.simulations < 1:
            raise ValueError(f"simulations must be at least 1, got {self.simulations}")
        if self.exploration < 0 or self.rollout_depth < 0 or self.max_nodes < 1:
            raise ValueError("exploration and rollout_depth must be >= 0 and max_nodes >= 1")


class Node:
    __slots__ = ("state", "player", "mover", "children", "untried", "visits", "value")

    def __init__(self, state: State, player: int, mover: int, untried: list[Action]) -> None:
        self.state = state
        self.player = player  # to move here
        self.mover = mover  # who moved into this node (values are from its point of view)
        self.children: dict[str, Node] = {}
        self.untried = untried
        self.visits = 0
        self.value = 0.0


def rollout(game: GameCWM, state: State, rng: random.Random, depth: int) -> list[float]:
    """Play uniformly random actions (chance included) for at most `depth` steps; the rewards there.

    The contract makes "no legal actions" the same as terminal, so one call per step suffices.
    """
    for _ in range(depth):
        legal = game.get_legal_actions(state)
        if not legal:
            break
        state = game.apply_action(state, legal[int(rng.random() * len(legal))])
    return list(game.get_rewards(state))


class MCTS:
    """UCT for perfect-information GameCWMs (chance allowed)."""

    def __init__(self, game: GameCWM, config: SearchConfig | None = None, rng: random.Random | None = None) -> None:
        missing = [name for name in ("get_legal_actions", "apply_action", "get_current_player", "get_rewards")
                   if not callable(getattr(game, name, None))]  # fmt: skip
        if missing:
            raise ValueError(f"MCTS needs a GameCWM with {', '.join(missing)}")
        self.game = game
        self.config = config or SearchConfig()
        self.rng = rng or random.Random()
        self.nodes = 0

    def _node(self, state: State, mover: int) -> Node:
        self.nodes += 1
        player = self.game.get_current_player(state)
        untried = [] if player == TERMINAL else list(self.game.get_legal_actions(state))
        self.rng.shuffle(untried)
        return Node(state, player, mover, untried)

    def search(self, state: State) -> Action:
        """The most visited root action after `config.simulations` simulations from `state`."""
        visits = self.action_visits(state)
        return max(visits, key=lambda action: visits[action])

    def action_visits(self, state: State) -> dict[Action, tuple[int, float]]:
        """Run the simulations from `state`; each root action's (visits, mean value), best first."""
        player = self.game.get_current_player(state)
        if player in (TERMINAL, CHANCE):
            raise ValueError(f"search needs a player to move, not player {player}")
        self.nodes = 0
        root = self._node(state, mover=CHANCE)
        for _ in range(self.config.simulations):
            self._simulate(root)
        ranked = sorted(root.children.items(), key=lambda item: (item[1].visits, item[1].value), reverse=True)
        return {action: (child.visits, child.value / child.visits) for action, child in ranked}

    def _simulate(self, root: Node) -> None:
        node, path = root, [root]
        while node.player != TERMINAL:
            if node.player == CHANCE:
                action = self.rng.choice(self.game.get_legal_actions(node.state))
                child = node.children.get(action)
                if child is None:
                    if self.nodes >= self.config.max_nodes:
                        break
                    child = node.children[action] = self._node(self.game.apply_action(node.state, action), CHANCE)
                node = child
                path.append(node)
                continue
            if node.untried:
                if self.nodes >= self.config.max_nodes:
                    break
                action = node.untried.pop()
                node.children[action] = node = self._node(self.game.apply_action(node.state, action), node.player)
                path.append(node)
                break
            node = self._select(node)
            path.append(node)
        rewards = rollout(self.game, node.state, self.rng, self.config.rollout_depth)
        for visited in path:
            visited.visits += 1
            if visited.mover >= 0:
                visited.value += rewards[visited.mover]

    def _select(self, node: Node) -> Node:
        """The child with the highest UCB1 score (mean value plus the exploration bonus)."""
        c_log = self.config.exploration * math.sqrt(math.log(node.visits))
        best: Node | None = None
        best_score = -math.inf
        for child in node.children.values():
            score = (child.value + c_log * math.sqrt(child.visits)) / child.visits
            if score > best_score:
                best, best_score = child, score
        if best is None:  # no child to score: no legal actions at a non-terminal node, or NaN rewards
            raise ValueError(f"no child to select at a node of player {node.player}")
        return best
