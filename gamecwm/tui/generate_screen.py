"""The generate screen: a model writes the selected game's GameCWM while you watch the code stream in.

Settings: the model (the embedded default or a GGUF path), temperature, samples (best of N, ranked by
the verifier's reward) and repair rounds (the best reply plus its failing checks go back to the
model). Every sample is verified as soon as it is written; the best one becomes the subject that
`v` verifies in detail, `p` plays and `s` saves.
"""

from __future__ import annotations

import time
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, Label, ProgressBar, Select, Static
from textual.worker import Worker, get_current_worker

from gamecwm.games import GamePack
from gamecwm.runtime.generate import Cancelled, Draft, GenerateConfig, generate
from gamecwm.runtime.llama import BASE_MODEL
from gamecwm.tui.code_view import CodeView
from gamecwm.tui.services import Candidate, visible_code

MODELS = [
    ("SmolLM2 + our adapter", "embedded"),  # the default (runtime.llama.resolve_model)
    ("SmolLM2 base", BASE_MODEL),
    ("a GGUF file…", "file"),
]
TEMPERATURES = [(f"{t:.1f}", t) for t in (0.0, 0.2, 0.3, 0.6, 0.8, 1.0)]
SAMPLES = [(str(n), n) for n in (1, 2, 4, 8)]
REPAIRS = [(str(n), n) for n in (0, 1, 2, 3)]
REFRESH_SECONDS = 0.05  # at most this often the streaming code view is redrawn


class GenerateScreen(Screen):
    CSS_PATH = "generate_screen.tcss"
    AUTO_FOCUS = "#model"  # not the path input, which would swallow the screen's keys
    BINDINGS = [
        Binding("g", "generate", "Generate"),
        Binding("x", "cancel", "Cancel"),
        Binding("s", "save", "Save"),
        Binding("v", "verify", "Verify"),
        Binding("p", "play", "Play"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self, pack: GamePack) -> None:
        super().__init__()
        self.pack = pack
        self.drafts: dict[str, Draft] = {}
        self.selected: Draft | None = None
        self.candidate: Candidate | None = None
        self.worker: Worker | None = None
        self._last_draw = 0.0

    def compose(self) -> ComposeResult:
        model_path = self.app.model_path
        self.model_choice = BASE_MODEL if model_path == BASE_MODEL else "file" if model_path else "embedded"
        yield Header()
        with Horizontal(id="body"):
            with Vertical(id="settings"):
                yield Label("Model", classes="section")
                yield Select(MODELS, value=self.model_choice, allow_blank=False, compact=True, id="model")
                path = model_path if self.model_choice == "file" else ""
                yield Input(path or "", placeholder="path/to/model.gguf", compact=True, id="model-path")
                with Horizontal(classes="field"):
                    yield Label("temperature")
                    yield Select(TEMPERATURES, value=0.3, allow_blank=False, compact=True, id="temperature")
                with Horizontal(classes="field"):
                    yield Label("samples")
                    yield Select(SAMPLES, value=1, allow_blank=False, compact=True, id="samples")
                with Horizontal(classes="field"):
                    yield Label("repair rounds")
                    yield Select(REPAIRS, value=0, allow_blank=False, compact=True, id="repairs")
                yield ProgressBar(total=1, show_eta=False, id="progress")
                yield DataTable(id="samples-table", cursor_type="row")
            with Vertical(id="output"):
                yield Static(id="gen-status", classes="status")
                yield CodeView("the generated code streams here", id="code")
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        self.sub_title = f"generate · {self.pack.name}"
        self.query_one("#samples-table", DataTable).add_columns("sample", "reward", "overall")
        self.query_one("#model-path").display = self.model_choice == "file"
        self.status(f"g: generate a GameCWM for {self.pack.name} · x: cancel")

    def status(self, message: str | Text) -> None:
        self.query_one("#gen-status", Static).update(message)

    @on(Select.Changed, "#model")
    def model_changed(self, event: Select.Changed) -> None:
        if event.value == self.model_choice:
            return  # the initial value, posted when the screen mounts
        self.model_choice = event.value
        path = self.query_one("#model-path", Input)
        path.display = event.value == "file"
        if path.display:
            path.focus()  # the user picked a file: type its path next

    def model_path(self) -> str | None:
        """The GGUF path typed in, 'base', or None for the embedded default."""
        choice = self.query_one("#model", Select).value
        path = self.query_one("#model-path", Input).value.strip()
        return BASE_MODEL if choice == BASE_MODEL else path if choice == "file" and path else None

    def settings(self) -> GenerateConfig:
        return GenerateConfig(
            samples=self.query_one("#samples", Select).value,
            repair=self.query_one("#repairs", Select).value,
            temperature=self.query_one("#temperature", Select).value,
            seed=self.app.seed,
        )

    @property
    def running(self) -> bool:
        return self.worker is not None and self.worker.is_running

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "cancel":
            return self.running
        if action in ("save", "verify", "play"):
            return self.selected is not None and not self.running
        if action == "generate":
            return not self.running
        return True

    # Generation in a worker thread

    def action_generate(self) -> None:
        settings, model_path = self.settings(), self.model_path()
        if self.query_one("#model", Select).value == "file" and model_path is None:
            self.notify("type the path of a GGUF model, or pick the embedded default", severity="warning")
            return
        self.drafts, self.selected = {}, None
        self.query_one("#samples-table", DataTable).clear()
        self.query_one("#progress", ProgressBar).update(total=settings.max_replies, progress=0)
        self.query_one("#code", CodeView).show("")
        self.status("loading the model…")
        self.query_one("#code", CodeView).focus()
        self.worker = self._generate(settings, model_path)
        self.refresh_bindings()

    @work(thread=True, exclusive=True, group="generate", exit_on_error=False)
    def _generate(self, settings: GenerateConfig, model_path: str | None) -> None:
        worker = get_current_worker()
        post = self._post
        replies: dict[str, str] = {}

        def on_text(label: str, chunk: str) -> None:  # in the worker, for every chunk
            replies[label] = replies.get(label, "") + chunk
            now = time.monotonic()
            if now - self._last_draw >= REFRESH_SECONDS:  # redraw at most every REFRESH_SECONDS
                self._last_draw = now
                post(self.show_stream, label, replies[label])

        try:
            generator = self.app.generator(model_path)
            drafts = generate(
                self.pack,
                generator,
                settings,
                verify=self.app.services.rank_fn,
                on_text=on_text,
                on_verify=lambda label: post(self.status, f"{label}: verifying in the sandbox…"),
                on_draft=lambda draft: post(self.add_draft, draft),
                cancelled=lambda: worker.is_cancelled,
            )
        except Cancelled:
            post(self.finished, None, "generation cancelled")
            return
        except Exception as exc:  # a missing model or a failing generation: show why, keep the app
            post(self.failed, exc)
            return
        post(self.finished, next((d for d in drafts if d.code is not None), None), "")

    def _post(self, callback, *args) -> None:
        """Run `callback` on the UI thread, unless this screen has been closed meanwhile."""
        self.app.call_from_thread(lambda: callback(*args) if self.is_attached else None)

    def show_stream(self, label: str, text: str) -> None:
        self.status(f"{label}: streaming… {len(text)} characters (x: cancel)")
        self.query_one("#code", CodeView).show(visible_code(text), follow=True)

    def add_draft(self, draft: Draft) -> None:
        self.drafts[draft.label] = draft
        if draft.report is None:
            reward, overall = Text("no code", style="red"), Text("-")
        else:
            reward, overall = f"{draft.report.reward:.2f}", f"{draft.report.overall:.2f}"
        self.query_one("#samples-table", DataTable).add_row(draft.label, reward, overall, key=draft.label)
        self.query_one("#progress", ProgressBar).advance(1)
        self.query_one("#code", CodeView).show(draft.code or visible_code(draft.text))

    def failed(self, exc: Exception) -> None:
        self.worker = None
        self.status(Text(f"generation failed: {exc}", style="red"))
        self.notify(str(exc), title="generation failed", severity="error", timeout=15, markup=False)
        self.refresh_bindings()

    def finished(self, best: Draft | None, message: str) -> None:
        self.worker = None
        progress = self.query_one("#progress", ProgressBar)
        progress.update(progress=progress.total)
        self.refresh_bindings()
        if message:
            self.status(message)
            self.notify(message, severity="warning")
            return
        if best is None:
            self.status(Text("no sample held a ```python block; try more samples or another temperature", "red"))
            return
        self.select_sample(best)
        table = self.query_one("#samples-table", DataTable)
        table.move_cursor(row=table.get_row_index(best.label), animate=False)
        self.status(
            f"best: {best.label} · reward {best.report.reward:.2f} · overall {best.report.overall:.2f} · v: its checks"
        )

    @on(DataTable.RowSelected, "#samples-table")
    @on(DataTable.RowHighlighted, "#samples-table")
    def sample_picked(self, event: DataTable.RowSelected | DataTable.RowHighlighted) -> None:
        draft = self.drafts.get(event.row_key.value)
        if draft is not None and not self.running:
            self.select_sample(draft)

    def select_sample(self, sample: Draft) -> None:
        """Show a sample's code and make it the game's candidate (if it has code)."""
        self.query_one("#code", CodeView).show(sample.code or visible_code(sample.text))
        if sample.code is None:
            return
        self.selected = sample
        self.candidate = Candidate(self.pack, sample.code, label=f"generated {sample.label}")
        self.app.candidate = self.candidate
        self.refresh_bindings()

    def action_cancel(self) -> None:
        if self.running:
            self.worker.cancel()
            self.status("cancelling…")

    def action_back(self) -> None:
        if self.running:
            self.worker.cancel()
        self.app.pop_screen()

    # Using the result

    def action_save(self) -> None:
        from gamecwm.tui.path_dialog import PathDialog

        default = f"{self.pack.id}_generated.py"
        dialog = PathDialog(f"Save {self.selected.label} as", "Save", value=default, placeholder="path/to/file.py")
        self.app.push_screen(dialog, callback=self.save_to)

    def save_to(self, path: str | None) -> None:
        if not path or self.selected is None:
            return
        target = Path(path).expanduser()
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(self.selected.code, encoding="utf-8")
        except OSError as exc:
            self.notify(f"cannot write {target}: {exc}", severity="error", markup=False)
            return
        self.notify(f"saved {self.selected.label} to {target}", markup=False)

    def action_verify(self) -> None:
        from gamecwm.tui.verify_screen import VerifyScreen

        if self.candidate is not None:
            self.app.push_screen(VerifyScreen(self.candidate, report=self.selected.report))

    def action_play(self) -> None:
        from gamecwm.tui.play_screen import PlayScreen

        if self.candidate is not None:
            self.app.push_screen(PlayScreen(self.candidate))
