"""MCTS and ISMCTS: strength against random play, one-move wins, budgets, reproducibility, errors."""

from __future__ import annotations

import random

import pytest

from gamecwm.api import replay
from gamecwm.games import get_pack
from gamecwm.search.engine import LocalEngine
from gamecwm.search.ismcts import ISMCTS
from gamecwm.search.match import Seat, play_match, wilson
from gamecwm.search.mcts import MCTS, SearchConfig
from gamecwm.search.planners import Planner, choose, default_planner


def seat(kind: str, engine: LocalEngine, sims: int = 0) -> Seat:
    return Seat(kind, engine, Planner(kind, simulations=sims or 1))


def test_mcts_never_loses_tic_tac_toe_against_random():
    engine = LocalEngine(get_pack("tic_tac_toe").reference)
    result = play_match(engine, seat("mcts", engine, 1000), seat("random", engine), games=50, seed=1)
    assert result.losses == 0 and result.games == 50
    assert result.wins >= 40  # and it does not just draw


@pytest.mark.parametrize(
    ("game_id", "actions", "winning"),
    [
        ("tic_tac_toe", ["0,0", "1,0", "0,1", "1,1"], "0,2"),  # x completes the top row
        ("tic_tac_toe", ["1,1", "0,0", "2,2", "0,1", "1,0"], "0,2"),  # o wins rather than blocking
        ("connect4", ["3", "0", "3", "0", "3", "0"], "3"),  # x stacks a fourth disc
    ],
)
def test_mcts_finds_a_one_move_win(game_id, actions, winning):
    game = get_pack(game_id).reference
    state = replay(game, actions)
    assert MCTS(game, SearchConfig(simulations=400), random.Random(0)).search(state) == winning
    assert game.get_current_player(game.apply_action(state, winning)) == -4


@pytest.mark.parametrize(("game_id", "games", "sims"), [("kuhn_poker", 400, 100), ("leduc_poker", 200, 200)])
def test_ismcts_beats_random_significantly(game_id, games, sims):
    engine = LocalEngine(get_pack(game_id).reference)
    result = play_match(engine, seat("ismcts", engine, sims), seat("random", engine), games=games, seed=0)
    low, _ = result.return_interval()
    assert low > 0, f"mean return {result.mean_return:+.3f}, 95% CI lower bound {low:+.3f}"


def test_search_is_reproducible_from_a_seed():
    game = get_pack("leduc_poker").reference
    actions = ["deal:Ks", "deal:Jh"]
    for kind in ("mcts", "ismcts"):
        picks = {choose(game, actions, 0, Planner(kind, simulations=150), seed=7) for _ in range(3)}
        assert len(picks) == 1
    game = get_pack("connect4").reference
    state = game.get_initial_state()
    runs = [MCTS(game, SearchConfig(simulations=200), random.Random(3)).action_visits(state) for _ in range(2)]
    assert runs[0] == runs[1]


def test_node_budget_bounds_the_tree():
    game = get_pack("connect4").reference
    mcts = MCTS(game, SearchConfig(simulations=2000, max_nodes=100), random.Random(0))
    mcts.search(game.get_initial_state())
    assert mcts.nodes <= 100
    ismcts = ISMCTS(get_pack("kuhn_poker").reference, SearchConfig(simulations=500, max_nodes=10), random.Random(0))
    history = [(get_pack("kuhn_poker").reference.get_observations(replay(ismcts.game, ["deal:Q", "deal:K"]))[0], None)]
    ismcts.search(history, 0)
    assert ismcts.nodes <= 10


def test_constructors_reject_what_they_cannot_handle():
    with pytest.raises(ValueError, match="ISMCTS needs a GameCWM with resample_history"):
        ISMCTS(get_pack("tic_tac_toe").reference)
    with pytest.raises(ValueError, match="simulations must be at least 1"):
        SearchConfig(simulations=0)
    with pytest.raises(ValueError, match="unknown planner 'alphazero'"):
        Planner("alphazero")
    with pytest.raises(ValueError, match="MCTS needs a GameCWM with get_legal_actions, .*get_rewards"):
        MCTS(object())
    game = get_pack("tic_tac_toe").reference
    with pytest.raises(ValueError, match="needs a player to move"):
        MCTS(game).search(replay(game, ["0,0", "1,0", "0,1", "1,1", "0,2"]))
    with pytest.raises(ValueError, match="pending decision"):
        ISMCTS(get_pack("kuhn_poker").reference).search([], 0)


def test_planner_holds_a_search_config_and_crosses_the_sandbox_as_flat_json():
    planner = Planner("ismcts", simulations=200, rollout_depth=50)
    assert planner.search == SearchConfig(simulations=200, rollout_depth=50)
    assert Planner("ismcts", SearchConfig(simulations=200, rollout_depth=50)) == planner
    assert Planner("mcts", SearchConfig(max_nodes=10), simulations=5).search == SearchConfig(5, max_nodes=10)
    data = planner.to_json()
    assert list(data) == ["kind", "simulations", "exploration", "rollout_depth", "max_nodes", "determinizations"]
    assert Planner(**data) == planner  # as search/hosted.py rebuilds it in the worker
    assert planner.search_config(7) == SearchConfig(simulations=7, rollout_depth=50)
    with pytest.raises(ValueError, match="simulations must be at least 1"):
        Planner("mcts", simulations=0)


def test_default_planner_searches_hidden_information_with_ismcts():
    assert default_planner(get_pack("kuhn_poker"), simulations=30) == Planner("ismcts", simulations=30)
    assert default_planner(get_pack("tic_tac_toe")).kind == "mcts"
    assert default_planner("imperfect", "mcts").kind == "mcts" and default_planner("perfect", "random").kind == "random"
    with pytest.raises(ValueError, match="unknown information type"):
        default_planner("partial")


def test_wilson_interval():
    low, high = wilson(25, 50)
    assert low < 0.5 < high and high - low < 0.3
    assert wilson(0, 10)[0] == 0.0 and wilson(10, 10)[1] == 1.0
