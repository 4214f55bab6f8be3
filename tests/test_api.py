"""The contract module: loading trusted code, contract errors, replay and observation histories."""

from __future__ import annotations

import pytest

from gamecwm.api import (
    IMPERFECT_FUNCTIONS,
    ContractError,
    IllegalActionError,
    check_contract,
    load_module,
    observation_history,
    replay,
    required_functions,
)
from gamecwm.games import CATALOG_DIR

TIC_TAC_TOE = CATALOG_DIR / "tic_tac_toe" / "reference.py"


def test_load_module_from_path_and_from_source():
    from_path = load_module(TIC_TAC_TOE, info="perfect")
    from_source = load_module(TIC_TAC_TOE.read_text(), info="perfect")
    assert from_path.get_legal_actions(from_path.get_initial_state()) == from_source.get_legal_actions(
        from_source.get_initial_state()
    )
    assert load_module(str(TIC_TAC_TOE)).__file__ == str(TIC_TAC_TOE)


def test_missing_functions_are_named():
    with pytest.raises(ContractError, match="missing get_rewards, resample_history"):
        load_module(TIC_TAC_TOE.read_text().replace("def get_rewards", "def rewards"), info="imperfect")


def test_check_contract_accepts_complete_modules():
    check_contract(load_module(TIC_TAC_TOE), "perfect")


def test_required_functions():
    assert required_functions("imperfect") == IMPERFECT_FUNCTIONS
    assert "resample_history" not in required_functions("perfect")
    with pytest.raises(ValueError, match="unknown information type"):
        required_functions("partial")


def test_missing_file():
    with pytest.raises(FileNotFoundError, match="GameCWM file not found"):
        load_module("no/such/file.py")


def test_replay_names_the_illegal_step():
    game = load_module(TIC_TAC_TOE)
    state = replay(game, ["0,0", "1,1"])
    assert state["board"][0][0] == "x" and state["board"][1][1] == "o"
    with pytest.raises(IllegalActionError, match=r"action '0,0' at step 2 is not legal \(player 0\)"):
        replay(game, ["0,0", "1,1", "0,0"])


def test_observation_history_pairs_decisions_with_actions():
    game = load_module(TIC_TAC_TOE)
    history = observation_history(game, ["0,0", "1,1", "2,2"], player=1)
    assert [action for _, action in history] == ["1,1", None]  # None: player 1 is to move again
    assert history[0][0]["board"][0][0] == "x"
    assert [a for _, a in observation_history(game, ["0,0", "1,1"], player=0)] == ["0,0", None]
