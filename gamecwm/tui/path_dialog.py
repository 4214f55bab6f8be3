"""A small modal that asks for a path: to open a pack folder or GameCWM file, or to save code.

dialog = PathDialog("Open a game pack folder or a GameCWM .py file", "Open", placeholder="path/to/file.py")
self.app.push_screen(dialog, callback=self.open_path)  # the callback gets the path, or None
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Input, Label


class PathDialog(ModalScreen[str | None]):
    """Returns the path typed (Enter or the action button) or None (Escape or Cancel)."""

    CSS_PATH = "path_dialog.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, button: str, value: str = "", placeholder: str = "") -> None:
        super().__init__()
        self.title_text, self.button, self.value, self.placeholder = title, button, value, placeholder

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(self.title_text, id="dialog-title")
            yield Input(self.value, placeholder=self.placeholder, id="path")
            with Horizontal(id="dialog-buttons"):
                yield Button(self.button, variant="primary", id="ok")
                yield Button("Cancel", id="cancel")
        yield Footer(show_command_palette=False)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._submit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "ok":
            self._submit()
        else:
            self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def _submit(self) -> None:
        path = self.query_one("#path", Input).value.strip()
        if path:
            self.dismiss(path)
        else:
            self.notify("type a path first", severity="warning")
