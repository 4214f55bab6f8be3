"""The PettingZoo bridge, checked by PettingZoo's own API test on every reference."""

import numpy as np
import pytest

pytest.importorskip("pettingzoo")

from pettingzoo.test import api_test  # noqa: E402

from gamecwm.games import game_ids  # noqa: E402
from gamecwm.interop.model import ModelError  # noqa: E402
from gamecwm.interop.pettingzoo import env  # noqa: E402
from tests.interop.conftest import CRASH_AFTER_A_BET, HANG_AFTER_A_BET, kuhn_variant  # noqa: E402

CYCLES = {"chess": 60, "go": 100, "backgammon": 60, "gin_rummy": 100, "checkers": 100, "gen_chess": 100}


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore::UserWarning")  # dict observations: PettingZoo's classic games warn alike
@pytest.mark.parametrize("game_id", game_ids())
def test_pettingzoo_api_test_passes_on_every_reference(game_id):
    api_test(env(game_id, render_mode="ansi"), num_cycles=CYCLES.get(game_id, 300))


def _play(game, seed=0):
    """Random legal play to the end; each agent's reward as it leaves."""
    game.reset(seed=seed)
    rng = np.random.default_rng(seed)
    final = {}
    for agent in game.agent_iter():
        observation, reward, terminated, truncated, info = game.last()
        if terminated or truncated:
            final[agent] = reward
            game.step(None)
        else:
            game.step(int(rng.choice(np.flatnonzero(observation["action_mask"]))))
    return final


def test_a_full_game_ends_with_each_agents_return():
    for seed in range(5):
        final = _play(env("tic_tac_toe"), seed)
        assert sorted(final) == ["player_0", "player_1"]
        assert sorted(final.values()) in ([-1.0, 1.0], [0.0, 0.0])


def test_seeded_chance_makes_games_reproducible():
    def deal(seed):
        game = env("leduc_poker", render_mode="ansi")
        game.reset(seed=seed)
        return game.render()

    assert deal(3) == deal(3)
    assert len({deal(seed) for seed in range(8)}) > 1


def test_ansi_render_uses_the_board_renderer():
    game = env("connect4", render_mode="ansi")
    game.reset()
    game.step(3)
    text = game.render()
    assert text.startswith("player_1 to move") and "board:" in text


def test_a_model_that_crashes_mid_game_raises_a_clear_error(tmp_path):
    game = env("kuhn_poker", model=kuhn_variant(tmp_path, *CRASH_AFTER_A_BET))
    with pytest.raises(ModelError, match="RuntimeError: boom"):
        for seed in range(20):
            _play(game, seed)


def test_a_model_that_hangs_is_stopped(tmp_path):
    game = env("kuhn_poker", model=kuhn_variant(tmp_path, *HANG_AFTER_A_BET), seconds=2)
    game.reset(seed=0)
    with pytest.raises(ModelError, match="(?i)time"):
        game.step(1)  # bet
