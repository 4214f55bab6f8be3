"""Fakes and helpers for the terminal UI tests: a streaming fake generator, a quick verifier, waiting."""

from __future__ import annotations

import asyncio
import functools
import time
from collections.abc import Callable

from gamecwm.games import get_pack
from gamecwm.verifier import VerifyConfig, verify

TTT = get_pack("tic_tac_toe")
# A rule bug: no diagonal wins. Scenarios and trajectory agreement catch it.
NO_DIAGONALS = TTT.reference_source.replace(
    "    + [[(i, i) for i in range(SIZE)], [(i, SIZE - 1 - i) for i in range(SIZE)]]\n", ""
)
assert NO_DIAGONALS != TTT.reference_source
# A model that crashes on its second move: the engine fails mid-game.
CRASHES = TTT.reference_source.replace(
    "    row, col = cell\n",
    "    row, col = cell\n    if any(mark != EMPTY for line in state['board'] for mark in line):\n"
    "        raise RuntimeError('boom')\n",
)
assert CRASHES != TTT.reference_source


def reply(code: str) -> str:
    return f"Here is the GameCWM.\n\n```python\n{code}```\n"


class FakeGenerator:
    """Streams canned replies in small chunks (reply i for seed i), recording every prompt it is given."""

    name = "fake model"

    def __init__(self, replies: list[str], chunk: int = 64, delay: float = 0.0) -> None:
        self.replies, self.chunk, self.delay = replies, chunk, delay
        self.prompts: list[list[dict[str, str]]] = []
        self.closed = 0

    def stream(self, messages, temperature=0.3, max_tokens=4096, seed=0):
        self.prompts.append(messages)
        text = self.replies[min(seed, len(self.replies) - 1)]
        try:
            for start in range(0, len(text), self.chunk):
                if self.delay:
                    time.sleep(self.delay)
                yield text[start : start + self.chunk]
        finally:
            self.closed += 1


def quick_verify(source: str, pack) -> object:
    """The real sandboxed verifier with fewer fuzz games, so each test stays fast. The isolation level it
    names depends on the machine: screenshots show a fixed one instead."""
    report = verify(source, pack, VerifyConfig(fuzz_games=10, reference_games=5))
    report.isolation = "namespaces+seccomp (uid 65534)"
    return report


async def wait_for(pilot, condition: Callable[[], bool], timeout: float = 20.0, what: str = "condition") -> None:
    """Let the app run until `condition()` holds (workers run in threads, so poll)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await pilot.pause(0.02)
    await pilot.pause()


def run_async(test):
    """Run an `async def` test on a fresh event loop (no async pytest plugin needed)."""

    @functools.wraps(test)
    def wrapper(*args, **kwargs):
        return asyncio.run(test(*args, **kwargs))

    return wrapper
