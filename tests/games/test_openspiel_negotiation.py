"""Negotiation against OpenSpiel's `negotiation` (proposals only, no utterances).

OpenSpiel draws a whole instance (turn limit, pool, both players' values) in one sampled chance
outcome, where we draw ten numbers one at a time, so the generic `lockstep` harness does not apply.
Instead each game lets OpenSpiel draw the instance, replays it as our ten chance actions, then plays
random actions in both, comparing the current player, the legal actions (a share a,b,c is OpenSpiel's
action (a*6 + b)*6 + c and "accept" is 216), the returns, and each player's observation rendered in
OpenSpiel's text form (which shows only the latest proposal).
"""

import random
import re

import pytest

from gamecwm.api import TERMINAL
from gamecwm.games import get_pack
from tests.games.lockstep import pyspiel

pytestmark = pytest.mark.openspiel

ACCEPT = 6**3


def to_openspiel(action: str) -> int:
    if action == "accept":
        return ACCEPT
    a, b, c = (int(n) for n in action.removeprefix("propose:").split(","))
    return (a * 6 + b) * 6 + c


def instance_actions(theirs) -> list[str] | None:
    """OpenSpiel's drawn instance as our chance actions (None for its rare all-zero-values redraw,
    which appends a second value list instead of replacing the first)."""
    text = str(theirs)
    numbers = {key: [int(n) for n in re.search(rf"{key}: ([\d ]+)", text).group(1).split()]
               for key in ("Max steps", "Item pool", "Agent 0 util vec", "Agent 1 util vec")}  # fmt: skip
    if len(numbers["Agent 0 util vec"]) != 3 or len(numbers["Agent 1 util vec"]) != 3:
        return None
    values = numbers["Agent 0 util vec"] + numbers["Agent 1 util vec"]
    return (
        [f"turns:{numbers['Max steps'][0]}"]
        + [f"pool:{n}" for n in numbers["Item pool"]]
        + [f"value:{v}" for v in values]
    )


def render(observation: dict, player: int, current: int) -> str:
    lines = [
        f"Max steps: {observation['turns']}",
        "Item pool: " + " ".join(map(str, observation["pool"])),
        f"Agent {player} util vec: " + " ".join(map(str, observation["my_values"])),
        f"Current player: {current}",
        "Turn Type: Proposal",
    ]
    if observation["proposals"]:
        lines.append("Most recent proposal: [" + ", ".join(map(str, observation["proposals"][-1])) + "]")
    return "\n".join(lines) + "\n"


def test_play_in_lockstep_with_openspiel():
    pack = get_pack("negotiation")
    game, rng = pack.reference, random.Random(0)
    spiel_game = pyspiel.load_game(pack.openspiel["name"], {**pack.openspiel["params"], "rng_seed": 5})
    played = agreements = 0
    while played < 500:
        theirs = spiel_game.new_initial_state()
        theirs.apply_action(0)
        chance = instance_actions(theirs)
        if chance is None:
            continue
        ours, actions = game.get_initial_state(), []
        for action in chance:
            ours = game.apply_action(ours, action)
        while not theirs.is_terminal():
            player = game.get_current_player(ours)
            assert player == theirs.current_player(), actions
            legal = game.get_legal_actions(ours)
            assert [to_openspiel(a) for a in legal] == theirs.legal_actions(), actions
            for viewer, observation in enumerate(game.get_observations(ours)):
                assert render(observation, viewer, player) == theirs.observation_string(viewer), actions
            action = "accept" if "accept" in legal and rng.random() < 0.3 else rng.choice(legal)
            theirs.apply_action(to_openspiel(action))
            ours = game.apply_action(ours, action)
            actions.append(action)
        assert game.get_current_player(ours) == TERMINAL, actions
        assert game.get_rewards(ours) == theirs.returns(), actions
        played += 1
        agreements += actions[-1] == "accept"
    assert 0 < agreements < played  # both endings were exercised
