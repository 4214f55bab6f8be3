"""Play a reference GameCWM and its OpenSpiel twin in lockstep (differential testing).

Each game's test supplies `to_openspiel(action, state) -> int`, mapping one of our action strings
(in our state before the action) to OpenSpiel's action id. At every step the harness compares the
current player, the legal action sets (through the mapping), terminality and the returns, then plays
a random legal action in both.
"""

from __future__ import annotations

import json
import random
from collections import defaultdict
from collections.abc import Callable
from typing import Any

import pytest

from gamecwm.api import CHANCE, TERMINAL
from gamecwm.games import get_pack

pyspiel = pytest.importorskip("pyspiel", reason="differential tests need the `oracle` extra (open-spiel)")

ToOpenSpiel = Callable[[str, dict], int]


def deal_or_move(cards: tuple[str, ...] | list[str], moves: tuple[str, ...]) -> ToOpenSpiel:
    """The mapping of card games whose OpenSpiel ids are a card's index when dealt, else the move's index."""

    def to_openspiel(action: str, state: dict) -> int:
        if action.startswith("deal:"):
            return cards.index(action.removeprefix("deal:"))
        return moves.index(action)

    return to_openspiel


def _canonical(observation: Any) -> str:
    return json.dumps(observation, sort_keys=True)


def _compare(game: Any, ours: dict, theirs: Any, to_openspiel: ToOpenSpiel, where: str) -> None:
    player = game.get_current_player(ours)
    if theirs.is_terminal():
        assert player == TERMINAL, f"{where}: OpenSpiel is terminal, ours has player {player}"
        assert game.get_legal_actions(ours) == [], f"{where}: terminal with legal actions"
        assert game.get_rewards(ours) == pytest.approx(theirs.returns()), f"{where}: returns differ"
        return
    expected_player = CHANCE if theirs.is_chance_node() else theirs.current_player()
    assert player == expected_player, f"{where}: current player {player}, OpenSpiel {expected_player}"
    legal = game.get_legal_actions(ours)
    mapped = sorted(to_openspiel(a, ours) for a in legal)
    assert mapped == sorted(theirs.legal_actions()), f"{where}: legal {legal} -> {mapped}, OpenSpiel {theirs}"
    assert len(set(mapped)) == len(mapped), f"{where}: two of our actions map to one OpenSpiel action"
    assert game.get_rewards(ours) == pytest.approx([0.0, 0.0]), f"{where}: non-zero rewards mid-game"


def lockstep(
    game_id: str,
    to_openspiel: ToOpenSpiel,
    num_games: int = 300,
    seed: int = 0,
    on_state: Callable[[Any, dict, Any, list[str]], None] | None = None,
    spiel_game: Any = None,
) -> int:
    """Play `num_games` random games in lockstep; return the number of states compared.

    The OpenSpiel twin is the pack's `[openspiel]` game unless `spiel_game` is given (for example
    a simultaneous-move game made turn-based with `pyspiel.convert_to_turn_based`).
    """
    pack = get_pack(game_id)
    game = pack.reference
    if spiel_game is None:
        spiel_game = pyspiel.load_game(pack.openspiel["name"], pack.openspiel.get("params", {}))
    rng = random.Random(seed)
    compared = 0
    for index in range(num_games):
        ours, theirs, actions = game.get_initial_state(), spiel_game.new_initial_state(), []
        while True:
            where = f"game {index}, after {actions}"
            _compare(game, ours, theirs, to_openspiel, where)
            if on_state is not None:
                on_state(game, ours, theirs, actions)
            compared += 1
            if theirs.is_terminal():
                break
            action = rng.choice(game.get_legal_actions(ours))
            theirs.apply_action(to_openspiel(action, ours))
            ours = game.apply_action(ours, action)
            actions.append(action)
    return compared


class InfoStateRecorder:
    """Collects, per player, OpenSpiel information states and our observations at decision nodes.

    `check()` asserts that the relation is one-to-one: equal information states give equal
    observations, and distinct information states give distinct observations.
    """

    def __init__(self) -> None:
        self.ours_by_theirs: dict[tuple[int, str], set[str]] = defaultdict(set)
        self.theirs_by_ours: dict[tuple[int, str], set[str]] = defaultdict(set)

    def __call__(self, game: Any, ours: dict, theirs: Any, actions: list[str]) -> None:
        if theirs.is_terminal() or theirs.is_chance_node():
            return
        observations = game.get_observations(ours)
        for player in (0, 1):
            info_state = theirs.information_state_string(player)
            observation = _canonical(observations[player])
            self.ours_by_theirs[(player, info_state)].add(observation)
            self.theirs_by_ours[(player, observation)].add(info_state)

    def check(self) -> None:
        assert self.ours_by_theirs, "no decision node was recorded"
        for (player, info_state), observations in self.ours_by_theirs.items():
            assert len(observations) == 1, f"player {player}: one info state {info_state!r} -> {observations}"
        for (player, observation), info_states in self.theirs_by_ours.items():
            assert len(info_states) == 1, f"player {player}: observation {observation} merges {info_states}"


def scenarios_end_alike(game_id: str, to_openspiel: ToOpenSpiel) -> None:
    """Replay every scenario of the pack in OpenSpiel too: same terminality and returns at the end."""
    pack = get_pack(game_id)
    game = pack.reference
    spiel_game = pyspiel.load_game(pack.openspiel["name"], pack.openspiel.get("params", {}))
    for scenario in pack.scenarios:
        ours, theirs = game.get_initial_state(), spiel_game.new_initial_state()
        for action in scenario.actions:
            theirs.apply_action(to_openspiel(action, ours))
            ours = game.apply_action(ours, action)
        assert theirs.is_terminal() == (game.get_legal_actions(ours) == []), scenario.name
        assert game.get_rewards(ours) == pytest.approx(theirs.returns()), scenario.name
