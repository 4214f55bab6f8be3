"""The help screen: what each screen is for and every key binding, read from the screens themselves."""

from __future__ import annotations

from rich import box
from rich.console import Group
from rich.markdown import Markdown
from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

INTRO = """\
A **GameCWM** is a Python module that implements a game's rules so MCTS or ISMCTS can plan with it.

1. **Games**: pick a game; read its rules, the prompt a model gets and the reference code. `o` opens a
   pack folder or a GameCWM `.py` file (files run sandboxed).
2. **Generate**: a model writes the GameCWM (best of N samples, optional repair rounds); each sample is
   verified as soon as it is written and the best one is kept.
3. **Verify**: the four-tier verifier, sandboxed; pick a check to read its detail.
4. **Play**: a person or a bot (random, MCTS, ISMCTS) on each seat.
"""
KEY_NAMES = {"question_mark": "?", "escape": "esc"}
APP_BINDINGS = [Binding("question_mark,f1", "help", "Help", key_display="?")]
"""The app's own bindings (`GameCWMApp.BINDINGS`), active on every screen: the key that opens this help."""


def help_sections() -> list[tuple[str, list[tuple[str, str]]]]:
    """(screen, [(keys, action), ...]) for every screen, taken from their BINDINGS."""
    from gamecwm.tui.games_screen import GamesScreen
    from gamecwm.tui.generate_screen import GenerateScreen
    from gamecwm.tui.play_screen import PlayScreen
    from gamecwm.tui.verify_screen import VerifyScreen

    screens = [("Games", GamesScreen), ("Generate", GenerateScreen), ("Verify", VerifyScreen), ("Play", PlayScreen)]
    sections = [(title, [(_keys(b), b.description) for b in cls.BINDINGS]) for title, cls in screens]
    sections.append(("Everywhere", [(_keys(b), b.description) for b in APP_BINDINGS] + [("ctrl+q", "Quit")]))
    return sections


def _keys(binding: Binding) -> str:
    return " / ".join(KEY_NAMES.get(key, key) for key in binding.key.split(","))


def help_renderable() -> Group:
    tables = []
    for title, rows in help_sections():
        table = Table(
            title=title, title_justify="left", title_style="bold", box=box.SIMPLE, expand=True, show_header=False
        )
        table.add_column("key", style="bold cyan", width=12)
        table.add_column("action", ratio=1)
        for keys, action in rows:
            table.add_row(keys, action)
        tables.append(table)
    return Group(Markdown(INTRO), *tables)


class HelpScreen(ModalScreen[None]):
    CSS_PATH = "help_screen.tcss"
    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close")]

    def compose(self) -> ComposeResult:
        with Vertical(id="help"):
            with VerticalScroll(id="help-scroll"):
                yield Static(help_renderable(), id="help-text")
            yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#help-scroll").focus()

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
