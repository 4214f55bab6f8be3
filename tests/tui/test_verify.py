"""The verify screen: the sandboxed verifier on a passing and a failing GameCWM, scores and details."""

from __future__ import annotations

from textual.widgets import DataTable, Digits, Static

from gamecwm.tui.app import make_app
from gamecwm.tui.services import Candidate
from gamecwm.tui.verify_screen import VerifyScreen
from tests.tui.fakes import NO_DIAGONALS, TTT, quick_verify, run_async, wait_for

SIZE = (100, 32)


def verified(app) -> bool:
    return isinstance(app.screen, VerifyScreen) and app.screen.report is not None


@run_async
async def test_verify_a_passing_then_a_failing_candidate():
    app = make_app(game="tic_tac_toe", verify_fn=quick_verify)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("v")
        await wait_for(pilot, lambda: verified(app), what="the reference's report")
        screen = app.screen
        assert screen.report.overall == 1.0 and screen.report.reward == 1.0
        assert screen.query_one("#overall", Digits).value == "1.00"
        assert screen.query_one("#overall", Digits).has_class("good")
        table = screen.query_one("#checks", DataTable)
        assert table.row_count == sum(len(t.checks) for t in screen.report.tiers.values())
        assert all(str(table.get_row_at(i)[2]) == "✓ pass" for i in range(table.row_count))
        await pilot.press("escape")

        app.candidate = Candidate(TTT, NO_DIAGONALS, label="no_diagonals.py")
        await pilot.press("v")
        await wait_for(pilot, lambda: verified(app), what="the candidate's report")
        screen = app.screen
        report = screen.report
        assert report.overall < 1.0 and report.reward < 1.0
        assert screen.query_one("#reward", Digits).value == f"{report.reward:.2f}"
        # the first failing check is selected and its detail shown: expected vs actual
        table = screen.query_one("#checks", DataTable)
        tier, check, result = (str(cell) for cell in table.get_row_at(table.cursor_row))
        assert (tier, result) == ("scenarios", "✗ fail")
        detail = str(screen.query_one("#detail-text", Static).render())
        assert f"scenarios / {check}: failed" in detail and "expected True, got False" in detail
        # moving the cursor shows another check's detail; f jumps to the next failure
        await pilot.press("ctrl+home")
        assert "static / compiles: passed" in str(screen.query_one("#detail-text", Static).render())
        await pilot.press("f")
        assert str(table.get_row_at(table.cursor_row)[2]) == "✗ fail"


@run_async
async def test_a_failing_verifier_is_reported_not_fatal():
    def broken(source, pack):
        raise RuntimeError("sandbox unavailable")

    app = make_app(game="tic_tac_toe", verify_fn=broken)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("v")
        await wait_for(pilot, lambda: any("sandbox unavailable" in n.message for n in app._notifications))
        assert "verification failed" in str(app.screen.query_one("#summary", Static).render())
