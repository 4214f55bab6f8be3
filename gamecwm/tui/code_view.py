"""A read-only Python code view with syntax highlighting that can follow a streaming reply.

view = CodeView(id="code")
view.show("def get_initial_state():\n    return {}\n", follow=True)
"""

from __future__ import annotations

from pathlib import Path

from rich.cells import cell_len
from rich.syntax import Syntax
from rich.text import Text
from textual.containers import ScrollableContainer
from textual.widgets import Static


class CodeView(ScrollableContainer, can_focus=True):
    """Highlighted code in a scrollable pane; `show(code, follow=True)` keeps the end in view."""

    DEFAULT_CSS = Path(__file__).with_suffix(".tcss").read_text(encoding="utf-8")

    def __init__(self, placeholder: str = "", *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.placeholder = placeholder
        self.code = ""
        self.follow = False

    def compose(self):
        yield Static(Text(self.placeholder, style="italic"), classes="code")

    def show(self, code: str, follow: bool = False) -> None:
        self.code = code
        body = self.query_one(".code", Static)
        if not code:
            body.update(Text(self.placeholder, style="italic"))
        else:
            body.update(Syntax(code, "python", theme="monokai", line_numbers=True, background_color="default"))
        # as wide as the longest line, so long lines scroll sideways instead of being cut
        lines = code.splitlines() or [""]
        body.styles.width = max(cell_len(line) for line in lines) + len(str(len(lines))) + 4 if code else "auto"
        self.follow = follow
        self.call_after_refresh(self._settle)

    def _settle(self) -> None:
        """Scroll once the new content is laid out; only the latest `show` decides where to."""
        if self.follow:
            self.scroll_end(animate=False, immediate=True)
        else:
            self.scroll_home(animate=False, immediate=True)
        # Textual leaves the thumb where it was if the scroll moved while the scrollbar was hidden
        self.vertical_scrollbar.position = self.scroll_y
