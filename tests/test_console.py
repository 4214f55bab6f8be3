"""`gamecwm.console.make_console`: whole lines off a terminal, rich's defaults on one."""

from __future__ import annotations

import io

import pytest
from rich.table import Table

from gamecwm.console import OFF_TERMINAL_WIDTH, make_console

LONG_PATH = "/tmp/" + "long-directory-name/" * 14 + "notes-file-0.py"  # 300 characters


@pytest.fixture(autouse=True)
def plain_environment(monkeypatch):
    """No $COLUMNS, and no FORCE_COLOR escape codes inside the paths."""
    monkeypatch.delenv("COLUMNS", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_long_path_stays_on_one_line_off_a_terminal():
    assert len(LONG_PATH) == 300
    buffer = io.StringIO()
    make_console(file=buffer).print(f"[yellow]skipped[/] {LONG_PATH}: not a sample")
    assert buffer.getvalue() == f"skipped {LONG_PATH}: not a sample\n"


def test_stderr_and_stdout_off_a_terminal(capsys):
    make_console(stderr=True).print(f"warning: {LONG_PATH}")
    make_console().print(LONG_PATH)
    printed = capsys.readouterr()
    assert f"warning: {LONG_PATH}" in printed.err.splitlines()
    assert LONG_PATH in printed.out.splitlines()


def test_tables_get_a_generous_width_off_a_terminal(monkeypatch):
    buffer = io.StringIO()
    console = make_console(file=buffer)
    assert console.width == OFF_TERMINAL_WIDTH
    table = Table("game", "detail")
    table.add_row("tic_tac_toe", "d" * 150)  # fits in 200 columns: one row, not folded over several
    console.print(table)
    assert sum("d" * 150 in line for line in buffer.getvalue().splitlines()) == 1
    monkeypatch.setenv("COLUMNS", "100")
    assert make_console(file=io.StringIO()).width == 100  # an explicit $COLUMNS still wins


def test_a_terminal_keeps_rich_defaults():
    console = make_console(file=_Terminal())
    assert console.is_terminal and not console.soft_wrap
