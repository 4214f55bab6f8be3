"""The games screen: the catalog with filters, a game's rules, prompt and code, and opening files.

Pick a game with the arrow keys or the mouse; `g` generates its GameCWM, `v` verifies and `p` plays
the subject (the game's reference, or the GameCWM last opened or generated for it).
"""

from __future__ import annotations

from rich.markdown import Markdown
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Select, Static, TabbedContent, TabPane

from gamecwm.games import CATALOG_DIR, GamePack, catalog, get_pack
from gamecwm.prompts import build_prompt
from gamecwm.tui.code_view import CodeView
from gamecwm.tui.services import open_target

INFO_FILTERS = [("All info", "all"), ("Perfect", "perfect"), ("Imperfect", "imperfect")]
SPLIT_FILTERS = [("All splits", "all"), ("Train", "train"), ("Held-out", "eval")]


def pack_key(pack: GamePack) -> str:
    """Catalog games by id, external packs by folder (an id may repeat across folders)."""
    return pack.id if pack.path.resolve().parent == CATALOG_DIR else str(pack.path)


def split_label(pack: GamePack) -> str:
    return f"train·{pack.tier}" if pack.split == "train" else "held-out"


class GamesScreen(Screen):
    CSS_PATH = "games_screen.tcss"
    BINDINGS = [
        Binding("o", "open", "Open"),
        Binding("g", "generate", "Generate"),
        Binding("v", "verify", "Verify"),
        Binding("p", "play", "Play"),
        Binding("i", "cycle_info", "Info"),
        Binding("s", "cycle_split", "Split"),
        Binding("1", "tab('rules')", "Rules", show=False),
        Binding("2", "tab('prompt')", "Prompt", show=False),
        Binding("3", "tab('code')", "Code", show=False),
        Binding("u", "use_reference", "Use reference", show=False),
        Binding("q", "app.quit", "Quit"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.packs: dict[str, GamePack] = {pack_key(p): p for p in catalog()}
        self.pack: GamePack | None = None
        self.shown: GamePack | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="body"):
            with Vertical(id="catalog-pane"):
                with Horizontal(id="filters"):
                    yield Select(INFO_FILTERS, value="all", allow_blank=False, compact=True, id="info-filter")
                    yield Select(SPLIT_FILTERS, value="all", allow_blank=False, compact=True, id="split-filter")
                yield DataTable(id="catalog", cursor_type="row", zebra_stripes=True)
            with Vertical(id="detail-pane"):
                yield Static(id="game-title")
                with TabbedContent(id="tabs"):
                    with TabPane("Rules", id="rules"):
                        with VerticalScroll(id="rules-scroll", classes="tab-scroll"):
                            yield Static(id="rules-text")
                    with TabPane("Prompt", id="prompt"):
                        with VerticalScroll(id="prompt-scroll", classes="tab-scroll"):
                            yield Static(id="prompt-text", markup=False)
                    with TabPane("Code", id="code"):
                        yield CodeView("this pack has no reference.py", id="code-view")
                yield Static(id="subject", classes="status")
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        self.sub_title = "games"
        table = self.query_one("#catalog", DataTable)
        table.add_columns("game", "info", "split")
        if self.app.initial_game:
            pack = get_pack(self.app.initial_game)
            self.packs.setdefault(pack_key(pack), pack)
            self.pack = pack
        self.refill()
        table.focus()

    def on_screen_resume(self) -> None:
        if self.pack is not None:
            self.show_subject(self.pack)

    # The catalog and its filters

    def visible(self) -> list[GamePack]:
        info = self.query_one("#info-filter", Select).value
        split = self.query_one("#split-filter", Select).value
        return [p for p in self.packs.values() if info in ("all", p.info) and split in ("all", p.split)]

    def refill(self) -> None:
        """Rebuild the table for the filters, keeping the selected game when it is still shown."""
        table = self.query_one("#catalog", DataTable)
        table.clear()
        packs = self.visible()
        for pack in packs:
            table.add_row(pack.id, pack.info, split_label(pack), key=pack_key(pack))
        keys = [pack_key(p) for p in packs]
        if not packs:
            self.query_one("#game-title", Static).update("No game matches these filters.")
            return
        wanted = pack_key(self.pack) if self.pack is not None else keys[0]
        table.move_cursor(row=keys.index(wanted) if wanted in keys else 0, animate=False)
        self.select(self.packs[keys[table.cursor_row]])

    @on(Select.Changed, "#filters Select")
    def filters_changed(self) -> None:
        self.refill()

    def _cycle(self, selector: str, options: list[tuple[str, str]]) -> None:
        select = self.query_one(selector, Select)
        values = [value for _, value in options]
        select.value = values[(values.index(select.value) + 1) % len(values)]

    def action_cycle_info(self) -> None:
        self._cycle("#info-filter", INFO_FILTERS)

    def action_cycle_split(self) -> None:
        self._cycle("#split-filter", SPLIT_FILTERS)

    @on(DataTable.RowHighlighted, "#catalog")
    def row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.cursor_row != event.data_table.cursor_row:
            return  # a stale event: the cursor has moved on since
        if event.row_key.value in self.packs:
            self.select(self.packs[event.row_key.value])

    # The selected game

    def select(self, pack: GamePack) -> None:
        if pack is self.pack and self.shown is pack:
            return
        self.pack = self.shown = pack
        tier = f" tier {pack.tier}" if pack.split == "train" else ""
        split = "train" if pack.split == "train" else "held-out"
        self.query_one("#game-title", Static).update(
            Text.assemble((pack.name, "bold"), f"  {pack.info} · {split}{tier} · {len(pack.scenarios)} scenarios")
        )
        # rich's Markdown renders as one widget: fast enough to follow the cursor through the catalog
        self.query_one("#rules-text", Static).update(Markdown(pack.rules, code_theme="monokai"))
        self.query_one("#prompt-text", Static).update(build_prompt(pack))
        for scroll in self.query(".tab-scroll").results(VerticalScroll):
            scroll.scroll_home(animate=False)
        self.show_subject(pack)

    def show_subject(self, pack: GamePack) -> None:
        subject = self.app.subject(pack)
        if subject.is_reference:
            where = "the reference" if pack.has_reference else "nothing yet (no reference.py): open (o) or generate (g)"
        else:
            where = f"{subject.name}, sandboxed · u: use the reference"
        self.query_one("#subject", Static).update(Text(f"verify / play: {where}"))
        code = "" if subject.is_reference and not pack.has_reference else subject.code()
        self.query_one("#code-view", CodeView).show(code)
        self.refresh_bindings()

    def action_tab(self, tab: str) -> None:
        self.query_one("#tabs", TabbedContent).active = tab

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "use_reference":
            return self.pack is not None and not self.app.subject(self.pack).is_reference
        return True

    def action_use_reference(self) -> None:
        self.app.candidate = None
        if self.pack is not None:
            self.show_subject(self.pack)

    # Opening files and moving on to the other screens

    def action_open(self) -> None:
        from gamecwm.tui.path_dialog import PathDialog

        dialog = PathDialog(
            "Open a game pack folder or a GameCWM .py file", "Open", placeholder="path/to/pack or file.py"
        )
        self.app.push_screen(dialog, callback=self.open_path)

    def open_path(self, path: str | None) -> None:
        if not path:
            return
        try:
            pack, candidate = open_target(path, self.pack)
        except Exception as exc:  # a bad folder or file: say why, keep the app
            self.notify(str(exc), title="cannot open", severity="error", timeout=10, markup=False)
            return
        key = pack_key(pack)
        self.packs.setdefault(key, pack)
        self.app.candidate = candidate
        self.query_one("#info-filter", Select).value = "all"
        self.query_one("#split-filter", Select).value = "all"
        self.pack = self.packs[key]
        self.refill()
        self.show_subject(self.pack)
        what = f"{candidate.name} as a GameCWM for {pack.name}" if candidate else f"the pack {pack.name}"
        self.notify(f"opened {what}", markup=False)

    def _need_pack(self) -> GamePack | None:
        if self.pack is None:
            self.notify("pick a game first", severity="warning")
        return self.pack

    def action_generate(self) -> None:
        from gamecwm.tui.generate_screen import GenerateScreen

        if pack := self._need_pack():
            self.app.push_screen(GenerateScreen(pack))

    def action_verify(self) -> None:
        from gamecwm.tui.verify_screen import VerifyScreen

        if pack := self._need_pack():
            if self._playable(pack):
                self.app.push_screen(VerifyScreen(self.app.subject(pack)))

    def action_play(self) -> None:
        from gamecwm.tui.play_screen import PlayScreen

        if pack := self._need_pack():
            if self._playable(pack):
                self.app.push_screen(PlayScreen(self.app.subject(pack)))

    def _playable(self, pack: GamePack) -> bool:
        if self.app.subject(pack).is_reference and not pack.has_reference:
            self.notify(
                f"{pack.path} has no reference.py; open a GameCWM file (o) or generate one (g)", severity="warning"
            )
            return False
        return True
