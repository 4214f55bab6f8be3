"""The terminal UI's plain helpers: code extraction while streaming, board grids, outcomes, the command."""

from __future__ import annotations

import argparse

import pytest

from gamecwm.games import UnknownGameError
from gamecwm.runtime import Draft, extract_code, repair_messages
from gamecwm.tui import cli
from gamecwm.tui.board_view import as_grid
from gamecwm.tui.play_screen import outcome, seat_kinds
from gamecwm.tui.services import visible_code
from tests.tui.fakes import NO_DIAGONALS, TTT, quick_verify, reply


def test_code_is_taken_from_the_fence_even_before_it_closes():
    assert extract_code(reply("x = 1\n")) == "x = 1\n"
    assert extract_code("no code here") is None
    assert visible_code("Sure.\n```python\ndef get_initial_sta") == "def get_initial_sta"
    assert visible_code("Thinking about it") == "Thinking about it"


def test_boards_become_grids():
    assert as_grid("board", [["x", "."], [".", "o"]]) == [["x", "."], [".", "o"]]
    assert as_grid("board", ["bb.", ".ww"]) == [["b", "b", "."], [".", "w", "w"]]  # rows as strings
    assert as_grid("board", "RNB.K.pqr") == [list("RNB"), list(".K."), list("pqr")]  # a square board string
    assert as_grid("history", "RNB.K.pqr") is None and as_grid("hand", ["Qc", "2d"]) is None


def test_outcomes_and_seats():
    assert outcome([1.0, -1.0], ["human", "mcts"]) == "player 0 (human) wins · rewards [1.0, -1.0]"
    assert outcome([0.0, 0.0], ["human", "mcts"]).startswith("draw")
    assert "ismcts" in seat_kinds("imperfect") and "ismcts" not in seat_kinds("perfect")


def test_repair_message_lists_the_failing_checks():
    draft = Draft("sample", 1, 0, reply(NO_DIAGONALS), NO_DIAGONALS, quick_verify(NO_DIAGONALS, TTT))
    message = repair_messages(TTT, draft)[-1]["content"]
    assert "scenarios/o wins on the anti-diagonal: after 6 actions" in message
    assert "compiles" not in message and message.endswith("in a single ```python code block.")


def test_command_line_checks_its_arguments_before_starting():
    parser = argparse.ArgumentParser()
    cli.add_parsers(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["tui", "--game", "tic_tac_toe", "--model", "runs/missing.gguf"])
    with pytest.raises(FileNotFoundError, match="model file not found: runs/missing.gguf"):
        args.run(args)
    with pytest.raises(UnknownGameError, match="unknown game 'nope'"):
        args.run(parser.parse_args(["tui", "--game", "nope"]))
    assert cli.main(["tui", "--game", "nope"]) == 2
