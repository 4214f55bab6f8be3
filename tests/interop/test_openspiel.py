"""The OpenSpiel bridge, checked by OpenSpiel's own code: its conformance simulation, CFR, MCTSBot."""

import numpy as np
import pytest

pyspiel = pytest.importorskip("pyspiel")

from open_spiel.python.algorithms import cfr, expected_game_score, exploitability, mcts  # noqa: E402

from gamecwm.games import game_ids, get_pack  # noqa: E402
from gamecwm.interop.model import ModelError  # noqa: E402
from gamecwm.interop.openspiel import load_game  # noqa: E402
from gamecwm.interop.play import play_against_random  # noqa: E402
from tests.interop.conftest import CRASH_AFTER_A_BET, HANG_AFTER_A_BET, kuhn_variant  # noqa: E402

SIMULATIONS = {"chess": 5, "go": 5, "backgammon": 5, "gin_rummy": 5, "checkers": 5, "gen_chess": 5}


@pytest.mark.slow
@pytest.mark.parametrize("game_id", game_ids())
def test_openspiel_conformance_simulation_passes_on_every_reference(game_id):
    game = load_game(game_id)
    pyspiel.random_sim_test(game, num_sims=SIMULATIONS.get(game_id, 20), serialize=True, verbose=False)


@pytest.mark.parametrize("game_id", ["kuhn_poker", "leduc_poker", "liars_dice", "tic_tac_toe", "hanabi"])
def test_chance_outcomes_and_string_round_trip(game_id):
    game = load_game(game_id)
    state = game.new_initial_state()
    rng = np.random.RandomState(0)
    while not state.is_terminal():
        if state.is_chance_node():
            outcomes = state.chance_outcomes()
            assert sum(p for _, p in outcomes) == pytest.approx(1.0)
            assert [a for a, _ in outcomes] == state.legal_actions()
            action = outcomes[rng.randint(len(outcomes))][0]
        else:
            action = int(rng.choice(state.legal_actions()))
        text = state.action_to_string(state.current_player(), action)
        assert state.string_to_action(text) == action
        state.apply_action(action)
    assert game.min_utility() <= min(state.returns()) <= max(state.returns()) <= game.max_utility()


def test_game_type_follows_the_pack():
    kuhn, ttt = load_game("kuhn_poker"), load_game("tic_tac_toe")
    assert kuhn.get_type().information == pyspiel.GameType.Information.IMPERFECT_INFORMATION
    assert kuhn.get_type().chance_mode == pyspiel.GameType.ChanceMode.EXPLICIT_STOCHASTIC
    assert ttt.get_type().information == pyspiel.GameType.Information.PERFECT_INFORMATION
    assert ttt.get_type().chance_mode == pyspiel.GameType.ChanceMode.DETERMINISTIC
    assert ttt.get_type().utility == pyspiel.GameType.Utility.ZERO_SUM
    assert (kuhn.num_distinct_actions(), kuhn.max_chance_outcomes(), kuhn.max_game_length()) == (2, 3, 3)
    assert str(pyspiel.load_game("gamecwm", {"game": "kuhn_poker"})) == str(kuhn)


def test_information_states_have_perfect_recall():
    state = load_game("kuhn_poker").new_initial_state()
    for action in (2, 0, 0):  # deal:K, deal:J, player 0 passes
        state.apply_action(action)
    mine = state.information_state_string(0).splitlines()
    assert "played pass" in mine and '"card":"K"' in mine[-1] and '"J"' not in "".join(mine)
    assert '"card":"J"' in state.observation_string(1)


def test_cfr_on_bridged_kuhn_converges_to_the_known_value():
    game = load_game("kuhn_poker")
    solver = cfr.CFRSolver(game)
    for _ in range(400):
        solver.evaluate_and_update_policy()
    policy = solver.average_policy()
    values = expected_game_score.policy_value(game.new_initial_state(), [policy, policy])
    assert values[0] == pytest.approx(-1 / 18, abs=2e-3)
    assert exploitability.exploitability(game, policy) < 0.005


@pytest.mark.slow
def test_cfr_on_bridged_leduc_matches_native_leduc():
    def run(game, iterations=3):
        solver = cfr.CFRSolver(game)
        for _ in range(iterations):
            solver.evaluate_and_update_policy()
        policy = solver.average_policy()
        value = expected_game_score.policy_value(game.new_initial_state(), [policy, policy])[0]
        return value, exploitability.exploitability(game, policy)

    ours, native = run(load_game("leduc_poker")), run(pyspiel.load_game("leduc_poker"))
    assert ours == pytest.approx(native, abs=1e-9)


def _mcts_against_random(game, simulations, games=50):
    rng = np.random.RandomState(7)
    bot = mcts.MCTSBot(game, 2.0, simulations, mcts.RandomRolloutEvaluator(1, rng), random_state=rng)
    return play_against_random(game, bot, games=games, rng=rng)


@pytest.mark.slow
@pytest.mark.parametrize(("game_id", "simulations"), [("tic_tac_toe", 300), ("connect4", 100)])
def test_mcts_bot_never_loses_to_random(game_id, simulations):
    outcome = _mcts_against_random(load_game(game_id), simulations)
    assert outcome["losses"] == 0, outcome


def test_mcts_bot_plays_the_bridged_game_exactly_as_the_native_one():
    # same numbering, same chance-free dynamics, same seeds: the same 10 games, move for move
    bridged = _mcts_against_random(load_game("tic_tac_toe"), 50, games=10)
    assert bridged == _mcts_against_random(pyspiel.load_game("tic_tac_toe"), 50, games=10)


def test_a_sandboxed_model_file_plays_like_the_reference(tmp_path):
    path = tmp_path / "kuhn.py"
    path.write_text(get_pack("kuhn_poker").reference_source)
    game = load_game("kuhn_poker", model=path)
    assert type(game.bridge.model).__name__ == "SandboxModel"
    pyspiel.random_sim_test(game, num_sims=5, serialize=True, verbose=False)
    reference = load_game("kuhn_poker")
    ours, theirs = game.new_initial_state(), reference.new_initial_state()
    for action in (1, 2, 1, 0):
        ours.apply_action(action), theirs.apply_action(action)
    assert ours.information_state_string(1) == theirs.information_state_string(1)
    assert ours.returns() == theirs.returns() and ours.is_terminal()


def test_a_model_that_crashes_mid_game_raises_a_clear_error(tmp_path):
    game = load_game("kuhn_poker", model=kuhn_variant(tmp_path, *CRASH_AFTER_A_BET))
    state = game.new_initial_state()
    state.apply_action(0), state.apply_action(1)
    with pytest.raises(ModelError, match="RuntimeError: boom"):
        state.apply_action(1)  # bet
    with pytest.raises(ModelError, match="boom"):
        pyspiel.random_sim_test(game, num_sims=20, serialize=False, verbose=False)


def test_a_model_that_hangs_is_stopped_and_named(tmp_path):
    game = load_game("kuhn_poker", model=kuhn_variant(tmp_path, *HANG_AFTER_A_BET), seconds=2)
    state = game.new_initial_state()
    state.apply_action(0), state.apply_action(1)
    with pytest.raises(ModelError, match="(?i)time"):
        state.apply_action(1)
    with pytest.raises(ModelError, match="gave up"):
        game.new_initial_state().child(2)  # a position not asked before (known ones are kept)


def test_an_action_outside_the_declared_space_is_named(tmp_path):
    path = kuhn_variant(tmp_path, 'ACTIONS = ("pass", "bet")', 'ACTIONS = ("pass", "bet", "raise")')
    state = load_game("kuhn_poker", model=path).new_initial_state()
    state.apply_action(0), state.apply_action(1)
    with pytest.raises(ValueError, match="'raise' is outside the declared action space"):
        state.legal_actions()
