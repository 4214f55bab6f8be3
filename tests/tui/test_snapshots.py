"""SVG snapshots of every screen at 100x32 (and the games screen at 80x24), with fakes where time varies.

Update them after a deliberate change with `pytest tests/tui/test_snapshots.py --snapshot-update`
and look at the report before committing the new SVGs.
"""

from __future__ import annotations

from textual.widgets import Select

from gamecwm.tui.app import make_app
from gamecwm.tui.services import Candidate
from tests.tui.fakes import NO_DIAGONALS, TTT, FakeGenerator, quick_verify, reply, wait_for

SIZE = (100, 32)


async def settle(pilot) -> None:
    """Let scrollbars catch up with the last scroll (they redraw on the next frame)."""
    await pilot.pause(0.3)


def test_games_screen(snap_compare):
    assert snap_compare(make_app(game="tic_tac_toe"), terminal_size=SIZE)


def test_games_screen_at_80x24(snap_compare):
    assert snap_compare(make_app(game="kuhn_poker"), terminal_size=(80, 24))


def test_help_screen(snap_compare):
    assert snap_compare(make_app(game="tic_tac_toe"), press=["question_mark"], terminal_size=SIZE)


def test_generate_screen_after_a_generation(snap_compare):
    fake = FakeGenerator([reply(NO_DIAGONALS), reply(TTT.reference_source)])
    app = make_app(game="tic_tac_toe", generator_factory=lambda path: fake, verify_fn=quick_verify)

    async def generate(pilot):
        await pilot.press("g")
        pilot.app.screen.query_one("#samples", Select).value = 2
        await pilot.press("g")
        await wait_for(pilot, lambda: pilot.app.screen.selected is not None and pilot.app.screen.worker is None)
        await settle(pilot)

    assert snap_compare(app, run_before=generate, terminal_size=SIZE)


def test_verify_screen_with_a_failing_candidate(snap_compare):
    app = make_app(game="tic_tac_toe", verify_fn=quick_verify)
    app.candidate = Candidate(TTT, NO_DIAGONALS, label="no_diagonals.py")

    async def verify(pilot):
        await pilot.press("v")
        await wait_for(pilot, lambda: getattr(pilot.app.screen, "report", None) is not None)
        await settle(pilot)

    assert snap_compare(app, run_before=verify, terminal_size=SIZE)


def test_play_screen_mid_game(snap_compare):
    app = make_app(game="tic_tac_toe")

    async def play(pilot):
        await pilot.press("p")
        screen = pilot.app.screen
        screen.query_one("#sims", Select).value = 200
        for _ in range(2):
            await wait_for(pilot, lambda: screen.phase == "human")
            await pilot.press("down", "enter")
        await wait_for(pilot, lambda: screen.phase == "human")
        await settle(pilot)

    assert snap_compare(app, run_before=play, terminal_size=SIZE)
