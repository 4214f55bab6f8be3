"""`gamecwm play` and `gamecwm arena`, hosted engines, forfeits and the human seat."""

from __future__ import annotations

import json
import random

import pytest

from gamecwm.cli import main
from gamecwm.games import catalog, get_pack
from gamecwm.sandbox import Limits
from gamecwm.search.cli import ask_human
from gamecwm.search.engine import EngineError, LocalEngine, SandboxEngine
from gamecwm.search.match import Seat, play_game, play_match
from gamecwm.search.planners import Planner

FAST = Limits(call_seconds=3, candidate_seconds=600, cpu_seconds=600)


@pytest.mark.parametrize("pack", catalog(), ids=lambda p: p.id)
def test_play_runs_headless_for_every_game(pack, capsys):
    args = ["play", pack.id, "--p0", "random", "--p1", "mcts", "--sims", "3", "--rollout-depth", "5", "--quiet"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "game 1: rewards" in out and "failed" not in out


def test_play_shows_boards_moves_and_the_result(capsys):
    assert main(["play", "tic_tac_toe", "--p0", "mcts", "--p1", "random", "--sims", "50", "--seed", "3"]) == 0
    out = capsys.readouterr().out
    assert "player 0 (mcts): " in out and "player 1 (random): " in out
    assert "board:\n     0 1 2\n  0  " in out  # the nested-list board printed as a grid
    assert "game 1: rewards [" in out


def test_play_an_untrusted_file_in_the_sandbox(tmp_path, capsys):
    path = tmp_path / "kuhn.py"
    path.write_text(get_pack("kuhn_poker").reference_source)
    args = ["play", str(path), "--game", "kuhn_poker", "--p0", "ismcts", "--p1", "random"]
    assert main(args + ["--sims", "30", "--games", "4", "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "Kuhn Poker: ismcts against random" in out and "4 games" in out


def test_human_seat_lists_legal_actions_after_a_typo(monkeypatch, capsys):
    answers = iter(["2,2", "1,1"])
    monkeypatch.setattr("builtins.input", lambda prompt: next(answers))
    info = LocalEngine(get_pack("tic_tac_toe").reference).info(["2,2"])
    assert ask_human(info, 1) == "1,1"
    out = capsys.readouterr().out
    assert "'2,2' is not legal here; legal actions: 0,0, 0,1" in out


def test_arena_reference_against_itself_is_even(tmp_path, capsys):
    path = tmp_path / "candidate.py"
    path.write_text(get_pack("tic_tac_toe").reference_source)
    assert main(["arena", str(path), "--game", "tic_tac_toe", "--sims", "100", "--games", "20", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    low, high = result["score_ci95"]
    assert low <= 0.5 <= high and result["forfeits"] == 0 and result["games"] == 20


def test_arena_mutant_without_a_win_condition_loses_clearly(tmp_path, capsys):
    source = get_pack("connect4").reference_source
    mutant = source.replace("winner = player if _makes_line(board, row, col) else None", "winner = None")
    assert mutant != source
    path = tmp_path / "mutant.py"
    path.write_text(mutant)
    assert main(["arena", str(path), "--game", "connect4", "--sims", "60", "--games", "10", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["score_ci95"][1] < 0.5, result


def test_arena_hanging_candidate_ends_with_a_clear_message(tmp_path, capsys):
    path = tmp_path / "hang.py"
    path.write_text(
        get_pack("connect4").reference_source + "\n\ndef get_legal_actions(state):\n    while True:\n        pass\n"
    )
    args = ["arena", str(path), "--game", "connect4", "--sims", "10", "--games", "3", "--move-seconds", "1"]
    assert main(args) == 0
    captured = capsys.readouterr()
    assert "losses     3" in captured.out and "forfeits: candidate mcts 3 (0 by illegal moves)" in captured.out
    assert "timed out during 'choose'" in captured.err


def test_a_failing_seat_forfeits_and_an_illegal_move_loses():
    engine = LocalEngine(get_pack("tic_tac_toe").reference)
    liar = Seat("liar", ask=lambda info, player: "9,9")
    record = play_game(engine, [liar, Seat("random", engine, Planner("random"))], random.Random(0))
    assert record.forfeit == 0 and record.illegal and record.rewards == [-1.0, 1.0]
    assert "illegal move '9,9'" in record.reason
    result = play_match(engine, liar, Seat("random", engine, Planner("random")), 2)
    assert result.illegal_moves == result.forfeits == 2
    broken = SandboxEngine("def get_initial_state(:\n", name="broken.py", limits=FAST)
    result = play_match(engine, Seat("broken", broken, Planner("random")), Seat("random", engine, Planner("random")), 2)
    assert result.forfeits == 2 and "broken.py does not load: SyntaxError" in result.records[0].reason
    with pytest.raises(EngineError, match="gave up on this model"):
        broken.info([])


MISBEHAVING = {
    # the model's legal actions are not strings: as a referee it gives a malformed position
    "legal actions that are not strings": "\n\ndef get_legal_actions(state):\n    return [0, 1, 2]\n",
    # it stops itself mid-game: the caller's deadline kills it
    "stops itself": "\n\nimport random\n_os = random.Random.seed.__globals__['_os']\n\n"
    "def get_rewards(state):\n    _os.kill(_os.getpid(), 19)\n",
    # it floods its reply with a deeply nested observation
    "deep observation": "\n\ndef get_observations(state):\n    x = []\n    for _ in range(3000):\n"
    "        x = [x]\n    return [x, x]\n",
}


@pytest.mark.parametrize("name", MISBEHAVING)
def test_a_misbehaving_model_ends_play_and_arena_with_a_message(name, tmp_path, capsys):
    path = tmp_path / "model.py"
    path.write_text(get_pack("tic_tac_toe").reference_source + MISBEHAVING[name])
    engine = SandboxEngine(path.read_text(), name="model.py", limits=FAST)
    reference = LocalEngine(get_pack("tic_tac_toe").reference)
    seat = Seat("model", engine, Planner("mcts", simulations=20))
    record = play_game(engine, [seat, Seat("random", reference, Planner("random"))], random.Random(0))
    if name != "deep observation":  # a deep observation is a legal one; it is shown bounded
        assert "model.py" in record.reason and record.rewards == [0.0, 0.0] or record.forfeit == 0, record
    engine.close()
    args = ["arena", str(path), "--game", "tic_tac_toe", "--sims", "10", "--games", "2", "--move-seconds", "2"]
    assert main(args) == 0
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
