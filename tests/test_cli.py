"""The `gamecwm` command, run as a user would (in-process through `main`)."""

from __future__ import annotations

import json
import subprocess
import sys

from gamecwm.cli import main
from gamecwm.games import game_ids, get_pack


def test_games_json_lists_the_catalog(capsys):
    assert main(["games", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["id"] for r in rows] == game_ids()
    assert set(rows[0]) == {"id", "name", "info", "split", "tier", "ood"}


def test_games_table(capsys):
    assert main(["games"]) == 0
    assert "tic_tac_toe" in capsys.readouterr().out


def test_rules_and_prompt(capsys):
    assert main(["rules", "tic_tac_toe"]) == 0
    assert capsys.readouterr().out.strip() == get_pack("tic_tac_toe").rules.strip()
    assert main(["prompt", "tic_tac_toe"]) == 0
    assert "## Action String Specification" in capsys.readouterr().out


def test_unknown_game_is_an_error_listing_known_games(capsys):
    assert main(["rules", "tic_tac_two"]) == 2
    err = capsys.readouterr().err
    assert "unknown game 'tic_tac_two'" in err and "tic_tac_toe" in err


def test_scenarios_pass_for_the_catalog(capsys):
    assert main(["scenarios"]) == 0
    assert "tic_tac_toe" in capsys.readouterr().out


def test_console_script_help_starts_without_heavy_imports():
    code = "import sys; from gamecwm.cli import main; main(['games', '--json']); print(sorted(sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    loaded = out.strip().splitlines()[-1]
    for heavy in ("torch", "transformers", "llama_cpp", "textual"):
        assert f"'{heavy}'" not in loaded
