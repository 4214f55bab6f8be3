"""End to end in a real terminal: `gamecwm tui` in a detached tmux session, driven with send-keys.

Opens tic_tac_toe from the catalog, verifies its reference, plays a move against MCTS and reads the
screen with `capture-pane`. Skipped only when tmux is missing outside CI (install it from Debian's
packages: `apt-get install -y tmux`; `.ci/run` installs it, and in CI a missing tmux is a failure).
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import time

import pytest

from gamecwm.games import game_ids

TMUX = shutil.which("tmux")
pytestmark = pytest.mark.skipif(
    TMUX is None and not os.environ.get("CI"), reason="tmux not found; install it with `apt-get install -y tmux`"
)


def tui_command() -> list[str]:
    """`gamecwm tui` through the umbrella command once it is registered there, else the module itself."""
    from gamecwm.cli import build_parser

    subcommands = next(action for action in build_parser()._actions if action.dest == "command")
    if "tui" in (subcommands.choices or {}):
        return [sys.executable, "-m", "gamecwm.cli", "tui"]
    return [sys.executable, "-m", "gamecwm.tui"]


class Terminal:
    """A private tmux server (its own socket) running one command in a 100x32 window."""

    def __init__(self, command: list[str]) -> None:
        self.socket = f"gamecwm-test-{os.getpid()}"
        # COLUMNS and LINES (set by some test runners) would override the window's real size
        command = ["env", "-u", "COLUMNS", "-u", "LINES", *command]
        self.tmux("-f", "/dev/null", "new-session", "-d", "-s", "tui", "-x", "100", "-y", "32", shlex.join(command))

    def tmux(self, *args: str) -> str:
        result = subprocess.run([TMUX, "-L", self.socket, *args], capture_output=True, text=True, timeout=10)
        assert result.returncode == 0, f"tmux {' '.join(args)} failed: {result.stderr}"
        return result.stdout

    def send(self, *keys: str) -> None:
        for key in keys:
            self.tmux("send-keys", "-t", "tui", key)
            time.sleep(0.15)

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "tui")

    def wait_for(self, pattern: str, timeout: float = 20.0) -> str:
        deadline = time.monotonic() + timeout
        while True:
            screen = self.screen()
            if re.search(pattern, screen):
                return screen
            if time.monotonic() > deadline:
                raise AssertionError(f"{pattern!r} never appeared; the screen reads:\n{screen}")
            time.sleep(0.2)

    def close(self) -> None:
        subprocess.run([TMUX, "-L", self.socket, "kill-server"], capture_output=True, timeout=10)


def test_open_verify_and_play_tic_tac_toe_in_tmux():
    terminal = Terminal(tui_command())
    try:
        first = terminal.wait_for(r"verify / play: the reference")
        assert "connect4" in first and "o Open" in first and "g Generate" in first
        terminal.send(*["Down"] * game_ids().index("tic_tac_toe"))
        terminal.wait_for(r"Tic-Tac-Toe  perfect · train tier 1")

        terminal.send("v")
        verified = terminal.wait_for(r"(\d+)/\1 checks pass")
        assert "tic_tac_toe reference against Tic-Tac-Toe" in verified
        assert re.search(r"static\s+compiles\s+✓ pass", verified)
        print(verified)

        terminal.send("Escape", "p")
        terminal.wait_for(r"your move, player 0")
        terminal.send("Enter")  # the first legal action, 0,0
        played = terminal.wait_for(r"2\. player 1 \(mcts\): \d,\d")
        assert "1. player 0 (human): 0,0" in played
        assert re.search(r"0  x [.xo] [.xo]", played)  # the board shows the move
        print(played)

        terminal.send("Escape", "q")
        deadline = time.monotonic() + 10
        while "tui" in subprocess.run([TMUX, "-L", terminal.socket, "ls"], capture_output=True, text=True).stdout:
            assert time.monotonic() < deadline, "the app did not quit on q"
            time.sleep(0.2)
    finally:
        terminal.close()
