"""The games screen: the catalog and its filters, rules, prompt and code, opening packs and files, help."""

from __future__ import annotations

import shutil

from rich.markdown import Markdown as RichMarkdown
from textual.widgets import DataTable, Input, Select, Static, TabbedContent

from gamecwm.games import catalog
from gamecwm.prompts import build_prompt
from gamecwm.tui.app import make_app
from gamecwm.tui.code_view import CodeView
from gamecwm.tui.help_screen import HelpScreen, help_sections
from tests.tui.fakes import NO_DIAGONALS, TTT, run_async, wait_for

SIZE = (100, 32)


def rows(app) -> list[str]:
    table = app.screen.query_one("#catalog", DataTable)
    return [table.get_row_at(i)[0] for i in range(table.row_count)]


async def open_path(pilot, path) -> None:
    """Press `o`, type the path (set at once: typing it key by key is slow) and press enter."""
    await pilot.press("o")
    pilot.app.screen.query_one("#path", Input).value = str(path)
    await pilot.press("enter")


def text_of(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


@run_async
async def test_open_a_game_and_read_its_rules_prompt_and_code():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        assert rows(app) == [p.id for p in catalog()]
        await pilot.press(*["down"] * rows(app).index("tic_tac_toe"))
        assert "Tic-Tac-Toe" in text_of(app, "#game-title")
        rules = app.screen.query_one("#rules-text", Static).content
        assert isinstance(rules, RichMarkdown) and rules.markup == TTT.rules
        assert "the reference" in text_of(app, "#subject")

        await pilot.press("2")
        assert app.screen.query_one("#tabs", TabbedContent).active == "prompt"
        assert text_of(app, "#prompt-text") == build_prompt(TTT)
        await pilot.press("3")
        assert app.screen.query_one("#tabs", TabbedContent).active == "code"
        assert app.screen.query_one("#code-view", CodeView).code == TTT.reference_source


@run_async
async def test_filters_by_information_and_split_and_help():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("i")  # perfect
        await pilot.pause()
        assert rows(app) == [p.id for p in catalog() if p.info == "perfect"]
        await pilot.press("i", "s", "s")  # imperfect, held-out
        await pilot.pause()
        assert app.screen.query_one("#split-filter", Select).value == "eval"
        assert rows(app) == ["gin_rummy", "hand_of_war", "quadranto"]
        assert "Gin Rummy" in text_of(app, "#game-title")

        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        sections = dict(help_sections())
        assert ("g", "Generate") in sections["Games"] and ("x", "Cancel move") in sections["Play"]
        await pilot.press("escape")
        assert type(app.screen).__name__ == "GamesScreen"


@run_async
async def test_open_a_pack_folder_and_a_gamecwm_file(tmp_path):
    pack_dir = tmp_path / "my_ttt"
    shutil.copytree(TTT.path, pack_dir, ignore=shutil.ignore_patterns("reference.py", "__pycache__"))
    candidate = tmp_path / "no_diagonals.py"
    candidate.write_text(NO_DIAGONALS)
    app = make_app(game="kuhn_poker")
    async with app.run_test(size=SIZE) as pilot:
        await open_path(pilot, pack_dir)
        await wait_for(pilot, lambda: str(pack_dir) in app.screen.packs, what="the pack folder")
        assert app.screen.pack.path == pack_dir
        assert "no reference.py" in text_of(app, "#subject")
        await pilot.press("v")  # nothing to verify yet: a warning, no verify screen
        assert type(app.screen).__name__ == "GamesScreen"

        await open_path(pilot, candidate)
        await wait_for(pilot, lambda: app.candidate is not None, what="the candidate")
        assert app.candidate.source == NO_DIAGONALS and app.candidate.pack.path == pack_dir
        assert "no_diagonals.py, sandboxed" in text_of(app, "#subject")
        assert app.screen.query_one("#code-view", CodeView).code == NO_DIAGONALS

        await pilot.press("u")
        assert app.candidate is None

        await open_path(pilot, tmp_path / "missing.py")
        await pilot.pause()
        assert any("not found" in n.message for n in app._notifications)
