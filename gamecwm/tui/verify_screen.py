"""The verify screen: the sandboxed verifier in a worker, its tiers and checks, and each check's detail.

Overall (the paper's score) and reward (what GRPO trains on) are shown large at the top; the table
lists every check with pass/fail; the highlighted check's detail (step, action, expected vs actual)
is shown below it.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Digits, Footer, Header, Label, ProgressBar, Static
from textual.worker import get_current_worker

from gamecwm.tui.services import Candidate


def score_class(score: float) -> str:
    return "good" if score >= 0.999 else "fair" if score >= 0.5 else "bad"


class VerifyScreen(Screen):
    CSS_PATH = "verify_screen.tcss"
    BINDINGS = [
        Binding("r", "rerun", "Re-run"),
        Binding("p", "play", "Play"),
        Binding("f", "next_failure", "Next failure"),
        Binding("escape", "app.pop_screen", "Back"),
    ]

    def __init__(self, candidate: Candidate, report: Any | None = None) -> None:
        super().__init__()
        self.candidate = candidate
        self.report = report
        self.checks: dict[str, tuple[str, Any]] = {}  # row key -> (tier, check)

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="scores"):
            with Vertical(classes="score"):
                yield Label("overall", classes="section")
                yield Digits("-.--", id="overall")
            with Vertical(classes="score"):
                yield Label("reward", classes="section")
                yield Digits("-.--", id="reward")
            with Vertical(id="summary-pane"):
                yield Static(
                    Text.assemble((self.candidate.name, "bold"), f" against {self.candidate.pack.name}"), id="what"
                )
                yield Static(id="summary")
        with Horizontal(id="progress-row"):
            yield ProgressBar(total=None, show_eta=False, show_percentage=False, id="progress")
            yield Static(id="verify-status", classes="status")
        yield DataTable(id="checks", cursor_type="row", zebra_stripes=True)
        with VerticalScroll(id="detail"):
            yield Static("Select a check to see its detail.", id="detail-text")
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        self.sub_title = f"verify · {self.candidate.name}"
        table = self.query_one("#checks", DataTable)
        table.add_columns("tier", "check", "result")
        if self.report is None:
            self.run_verifier()
        else:
            self.show_report(self.report)

    # Running the verifier

    def action_rerun(self) -> None:
        self.run_verifier()

    def run_verifier(self) -> None:
        self.query_one("#progress", ProgressBar).update(total=None, progress=0)
        self.query_one("#progress-row").display = True
        self.query_one("#verify-status", Static).update(
            f"verifying {self.candidate.name} in the sandbox: static, dynamics, scenarios, information…"
        )
        self._verify(self.candidate.code())

    @work(thread=True, exclusive=True, group="verify", exit_on_error=False)
    def _verify(self, source: str) -> None:
        worker = get_current_worker()
        try:
            report = self.app.services.verify_fn(source, self.candidate.pack)
        except Exception as exc:  # the verifier itself failed: tell the user, keep the app
            if not worker.is_cancelled:
                self._post(self.failed, f"{type(exc).__name__}: {exc}")
            return
        if not worker.is_cancelled:
            self._post(self.show_report, report)

    def _post(self, callback, *args) -> None:
        """Run `callback` on the UI thread, unless this screen has been closed meanwhile."""
        self.app.call_from_thread(lambda: callback(*args) if self.is_attached else None)

    def failed(self, message: str) -> None:
        self.query_one("#progress-row").display = False
        self.query_one("#summary", Static).update(Text(f"verification failed: {message}", style="red"))
        self.notify(f"verification failed: {message}", severity="error", timeout=10, markup=False)

    # Showing the report

    def show_report(self, report: Any) -> None:
        self.report = report
        self.query_one("#progress-row").display = False
        for widget_id, score in (("overall", report.overall), ("reward", report.reward)):
            digits = self.query_one(f"#{widget_id}", Digits)
            digits.update(f"{score:.2f}")
            digits.set_classes(score_class(score))
        checks = [(tier, check) for tier, t in report.tiers.items() for check in t.checks]
        passed = sum(check.passed for _, check in checks)
        tiers = "  ".join(f"{name} {t.score:.2f}" for name, t in report.tiers.items())
        summary = Text(f"{passed}/{len(checks)} checks pass\n{tiers}")
        if report.reason:
            summary.append(f"\n{report.reason}", style="red")
        self.query_one("#summary", Static).update(summary)
        if report.isolation:  # the level the sandbox ran at, in the header
            self.sub_title = f"verify · {self.candidate.name} · sandbox: {report.isolation}"
        table = self.query_one("#checks", DataTable)
        table.clear()
        self.checks = {}
        for index, (tier, check) in enumerate(checks):
            key = f"{index}"
            self.checks[key] = (tier, check)
            result = Text("✓ pass", style="bold green") if check.passed else Text("✗ fail", style="bold red")
            table.add_row(tier, check.name, result, key=key)
        first_failure = next((i for i, (_, c) in enumerate(checks) if not c.passed), 0)
        if checks:
            table.move_cursor(row=first_failure, animate=False)
            self.show_detail(str(first_failure))
        table.focus()

    @on(DataTable.RowHighlighted, "#checks")
    def row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.show_detail(event.row_key.value)

    def show_detail(self, key: str | None) -> None:
        if key not in self.checks:
            return
        tier, check = self.checks[key]
        verdict = Text("passed", style="bold green") if check.passed else Text("failed", style="bold red")
        text = Text.assemble((f"{tier} / {check.name}", "bold"), ": ", verdict, "\n", check.detail)
        self.query_one("#detail-text", Static).update(text)

    def action_next_failure(self) -> None:
        table = self.query_one("#checks", DataTable)
        keys = list(self.checks)
        if not keys:
            return
        start = table.cursor_row
        for step in range(1, len(keys) + 1):
            row = (start + step) % len(keys)
            if not self.checks[keys[row]][1].passed:
                table.move_cursor(row=row)
                return
        self.notify("every check passes")

    def action_play(self) -> None:
        from gamecwm.tui.play_screen import PlayScreen

        self.app.push_screen(PlayScreen(self.candidate))
