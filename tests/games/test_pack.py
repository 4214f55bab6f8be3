"""Pack loading: valid packs load, and each kind of broken pack fails with a precise message."""

from __future__ import annotations

import json
import shutil

import pytest

from gamecwm.games import CATALOG_DIR, PackError, UnknownGameError, get_pack, load_pack


@pytest.fixture
def pack_dir(tmp_path):
    """A writable copy of the tic_tac_toe pack, to break in each test."""
    return shutil.copytree(CATALOG_DIR / "tic_tac_toe", tmp_path / "my_game")


def test_external_pack_loads_by_path(pack_dir):
    pack = get_pack(str(pack_dir))
    assert pack.id == "tic_tac_toe" and pack.path == pack_dir
    assert pack.action_spec.startswith("## Action String Specification")


def test_pack_without_reference_loads(pack_dir):
    (pack_dir / "reference.py").unlink()
    pack = load_pack(pack_dir)
    assert not pack.has_reference
    with pytest.raises(PackError, match="no reference.py"):
        _ = pack.reference_source


def test_unknown_game_lists_known_ones():
    with pytest.raises(UnknownGameError, match="unknown game 'tic_tac_two'.*tic_tac_toe"):
        get_pack("tic_tac_two")


@pytest.mark.parametrize("missing", ["game.toml", "rules.md", "scenarios.json"])
def test_missing_file(pack_dir, missing):
    (pack_dir / missing).unlink()
    with pytest.raises(PackError, match=f"missing {missing}"):
        load_pack(pack_dir)


def test_missing_folder(tmp_path):
    with pytest.raises(PackError, match="folder not found"):
        load_pack(tmp_path / "nowhere")


def _edit_toml(pack_dir, old, new):
    path = pack_dir / "game.toml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def test_bad_toml(pack_dir):
    _edit_toml(pack_dir, 'info = "perfect"', "info = perfect")
    with pytest.raises(PackError, match="game.toml: invalid TOML"):
        load_pack(pack_dir)


def test_unknown_info(pack_dir):
    _edit_toml(pack_dir, 'info = "perfect"', 'info = "partial"')
    with pytest.raises(PackError, match="unknown info 'partial'; expected one of perfect, imperfect"):
        load_pack(pack_dir)


def test_unknown_split(pack_dir):
    _edit_toml(pack_dir, 'split = "train"', 'split = "test"')
    with pytest.raises(PackError, match="unknown split 'test'; expected one of train, eval"):
        load_pack(pack_dir)


def test_training_game_needs_a_tier(pack_dir):
    _edit_toml(pack_dir, "tier = 1", "tier = 7")
    with pytest.raises(PackError, match="curriculum tier"):
        load_pack(pack_dir)


def test_rules_must_end_with_the_action_specification(pack_dir):
    path = pack_dir / "rules.md"
    path.write_text(path.read_text() + "\n## Strategy tips\nTake the centre.\n")
    with pytest.raises(PackError, match="must end with a '## Action String Specification' section"):
        load_pack(pack_dir)


def _write_scenarios(pack_dir, scenarios):
    (pack_dir / "scenarios.json").write_text(json.dumps(scenarios))


def test_unknown_check_key(pack_dir):
    _write_scenarios(pack_dir, [{"name": "s", "actions": [], "checks": {"winner_is": 0}}])
    with pytest.raises(PackError, match="scenario 's': unknown check key 'winner_is'"):
        load_pack(pack_dir)


def test_check_value_of_the_wrong_type(pack_dir):
    _write_scenarios(pack_dir, [{"name": "s", "actions": [], "checks": {"current_player": True}}])
    with pytest.raises(PackError, match="check 'current_player' must be a int"):
        load_pack(pack_dir)


def test_invalid_json(pack_dir):
    (pack_dir / "scenarios.json").write_text("[{")
    with pytest.raises(PackError, match="scenarios.json: invalid JSON"):
        load_pack(pack_dir)


def test_scenario_with_illegal_actions_is_rejected(pack_dir):
    _write_scenarios(pack_dir, [{"name": "twice", "actions": ["1,1", "1,1"], "checks": {"terminal": False}}])
    with pytest.raises(PackError, match=r"scenario 'twice': action '1,1' at step 1 is not legal"):
        load_pack(pack_dir)
    # Without a reference nothing can replay the scenario, so the pack loads.
    (pack_dir / "reference.py").unlink()
    assert load_pack(pack_dir).scenarios[0].name == "twice"


def test_reference_missing_a_function_is_rejected(pack_dir):
    path = pack_dir / "reference.py"
    path.write_text(path.read_text().replace("def get_player_name", "def player_name"))
    with pytest.raises(PackError, match="missing get_player_name"):
        load_pack(pack_dir)
