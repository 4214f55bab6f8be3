import json

import pytest

pytest.importorskip("pyspiel")

from gamecwm.cli import main  # noqa: E402
from tests.interop.conftest import CRASH_AFTER_A_BET, kuhn_variant  # noqa: E402


def test_openspiel_cfr_prints_values_and_exploitability(capsys):
    assert main(["openspiel", "kuhn_poker", "--algo", "cfr", "--iterations", "50", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["game"] == "kuhn_poker" and result["iterations"] == 50
    assert result["value"][0] == pytest.approx(-1 / 18, abs=0.02)
    assert 0 < result["exploitability"] < 0.05


def test_openspiel_mcts_and_random_sim_on_a_model_file(tmp_path, capsys):
    path = tmp_path / "ttt.py"
    from gamecwm.games import get_pack

    path.write_text(get_pack("tic_tac_toe").reference_source)
    command = ["openspiel", str(path), "--game", "tic_tac_toe", "--algo", "mcts", "--games", "4", "--sims", "50"]
    assert main(command) == 0
    text = capsys.readouterr().out
    assert f"model: {path}" in text and "losses:" in text
    assert main(["openspiel", "leduc_poker", "--algo", "random-sim", "--iterations", "5"]) == 0
    assert "passed: True" in capsys.readouterr().out


def test_openspiel_cli_errors_are_plain(tmp_path, capsys):
    assert main(["openspiel", "model.py", "--algo", "cfr"]) == 2
    assert "needs --game" in capsys.readouterr().err
    model = kuhn_variant(tmp_path, *CRASH_AFTER_A_BET)
    assert main(["openspiel", str(model), "--game", "kuhn_poker", "--algo", "cfr", "--iterations", "2"]) == 1
    error = capsys.readouterr().err
    assert "the model failed" in error and "RuntimeError: boom" in error
