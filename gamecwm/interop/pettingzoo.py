"""Any GameCWM as a PettingZoo AEC environment, for RL training loops.

    >>> from gamecwm.interop.pettingzoo import env
    >>> game = env("tic_tac_toe", render_mode="ansi")
    >>> game.reset(seed=0)
    >>> game.agent_selection, int(game.action_space("player_0").n)
    ('player_0', 9)
    >>> game.step(4)  # the centre
    >>> observation, reward, terminated, truncated, info = game.last()
    >>> game.agent_selection, observation["action_mask"].tolist()
    ('player_1', [1, 1, 1, 1, 0, 1, 1, 1, 1])

Agents are `player_0` and `player_1`; the model says who moves next (a player may move twice in a
row). Chance moves are drawn by the environment from the pack's chance probabilities, with the
generator `reset(seed=...)` seeds. Actions are the pack's integer action space (`spaces.py`), so the
action space is `Discrete(n)`; observations are dicts of `observation` (the hashed features of the
agent's own GameCWM observation, `features.py`) and `action_mask` (the agent's legal actions; zeros
when it is not its turn), as PettingZoo's classic games do. Rewards come at the end: each agent's
final return. `render_mode="ansi"` renders the observations with the board renderer of `gamecwm play`.
A model-written file (`model=`) runs in the sandbox; if it fails, `step` raises `ModelError`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import gymnasium
import numpy as np
from pettingzoo import AECEnv

from gamecwm.api import CHANCE
from gamecwm.interop.bridge import Bridge, open_bridge
from gamecwm.interop.features import DEFAULT_SIZE, encode
from gamecwm.interop.model import Node

AGENTS = ("player_0", "player_1")


def env(game: str | Path, model: str | Path | None = None, render_mode: str | None = None, isolation: str = "auto",
        seconds: float = 60.0, observation_size: int = DEFAULT_SIZE) -> GameCWMEnv:  # fmt: skip
    """The AEC environment of a catalog id or pack folder; with `model`, a model-written file for it, run
    in the sandbox (`isolation`, and `seconds` of wall clock for each call into it)."""
    return GameCWMEnv(open_bridge(game, model, isolation, seconds), render_mode, observation_size)


class GameCWMEnv(AECEnv):
    metadata = {"render_modes": ["ansi"], "name": "gamecwm_v0", "is_parallelizable": False}

    def __init__(self, bridge: Bridge, render_mode: str | None = None, observation_size: int = DEFAULT_SIZE) -> None:
        super().__init__()
        if render_mode not in (None, "ansi"):
            raise ValueError(f"render_mode must be None or 'ansi', got {render_mode!r}")
        self.bridge, self.render_mode, self.observation_size = bridge, render_mode, observation_size
        self.metadata = {**self.metadata, "name": f"gamecwm_{bridge.pack.id}_v0"}
        self.possible_agents = list(AGENTS)
        size = bridge.spec.actions.size
        self.action_spaces = {agent: gymnasium.spaces.Discrete(size) for agent in AGENTS}
        self.observation_spaces = {
            agent: gymnasium.spaces.Dict(
                {
                    "observation": gymnasium.spaces.Box(0.0, 1.0, (observation_size,), np.float32),
                    "action_mask": gymnasium.spaces.Box(0, 1, (size,), np.int8),
                }
            )
            for agent in AGENTS
        }
        self.node: Node = bridge.root()
        self.rng = np.random.default_rng()

    def observation_space(self, agent: str) -> gymnasium.spaces.Space:
        return self.observation_spaces[agent]

    def action_space(self, agent: str) -> gymnasium.spaces.Space:
        return self.action_spaces[agent]

    def reset(self, seed: int | None = None, options: dict | None = None) -> None:
        if seed is not None:
            self.rng = np.random.default_rng(seed)
        self.agents = list(AGENTS)
        self.rewards = dict.fromkeys(self.agents, 0.0)
        self._cumulative_rewards = dict.fromkeys(self.agents, 0.0)
        self.terminations = dict.fromkeys(self.agents, False)
        self.truncations = dict.fromkeys(self.agents, False)
        self.infos: dict[str, dict[str, Any]] = {agent: {} for agent in self.agents}
        self._advance(self.bridge.root())

    def _advance(self, node: Node) -> None:
        """Move to `node`, then draw chance outcomes until a player moves or the game ends."""
        spec = self.bridge.spec
        while node.player == CHANCE:
            probabilities = spec.chance_probabilities(node.legal, node.actions)
            outcome = node.legal[self.rng.choice(len(node.legal), p=probabilities)]
            node = self.bridge.child(node, outcome)
        self.node = node
        if node.terminal:
            self.rewards = dict(zip(AGENTS, node.rewards, strict=True))
            self.terminations = dict.fromkeys(self.agents, True)
        else:
            self.agent_selection = AGENTS[node.player]

    def step(self, action: int | None) -> None:
        agent = self.agent_selection
        if self.terminations[agent] or self.truncations[agent]:
            self._was_dead_step(action)
            return
        move = self.bridge.spec.actions.string(int(action), self.node.legal)
        self._cumulative_rewards[agent] = 0.0
        self.rewards = dict.fromkeys(self.agents, 0.0)
        self._advance(self.bridge.child(self.node, move))
        if self.node.terminal:
            self.agent_selection = AGENTS[1 - AGENTS.index(agent)]
        self._accumulate_rewards()

    def observe(self, agent: str) -> dict[str, np.ndarray]:
        player = AGENTS.index(agent)
        self.bridge.model.observe([self.node])
        mask = np.zeros(self.bridge.spec.actions.size, np.int8)
        if self.node.player == player:
            mask[self.bridge.spec.actions.numbers(self.node.legal)] = 1
        return {"observation": encode(self.node.observations[player], self.observation_size), "action_mask": mask}

    def render(self) -> str | None:
        if self.render_mode is None:
            gymnasium.logger.warn("render() needs render_mode='ansi'")
            return None
        node = self.node
        head = f"game over, returns {list(node.rewards)}" if node.terminal else f"player_{node.player} to move"
        return f"{head}\n{self.bridge.views(node, AGENTS)}"

    def close(self) -> None:
        pass
