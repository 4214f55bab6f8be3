"""The board: a player's observation, with boards stored as nested lists drawn as grids.

view = BoardView(id="board")
view.show({"board": [["x", "."], [".", "o"]], "current_player": 1}, title="player 0's view")
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from rich.console import Group
from rich.text import Text
from textual.widgets import Static

from gamecwm.search.render import is_grid

EMPTY = {".", "", " ", "-", "_", "0", "None"}
PALETTE = ("bold cyan", "bold magenta", "bold yellow", "bold green", "bold red", "bold blue")


def grid_text(grid: list[list[Any]]) -> Text:
    """A grid with row and column numbers; empty cells dim, each distinct mark in its own colour."""
    cells = [["." if cell is None else str(cell) for cell in row] for row in grid]
    width = max(len(cell) for row in cells for cell in row)
    label = len(str(len(cells) - 1))
    marks: dict[str, str] = {}
    text = Text(" " * label + "  " + " ".join(str(c).rjust(width) for c in range(len(cells[0]))), style="dim")
    for r, row in enumerate(cells):
        text.append("\n" + str(r).rjust(label) + "  ", style="dim")
        for c, cell in enumerate(row):
            if cell in EMPTY:
                style = "dim"
            else:
                style = marks.setdefault(cell, PALETTE[len(marks) % len(PALETTE)])
            text.append(cell.rjust(width), style=style)
            if c < len(row) - 1:
                text.append(" ")
    return text


def as_grid(key: str, value: Any) -> list[list[Any]] | None:
    """A board as rows of cells: nested lists, or (for a key naming a board) equally long row strings
    or a square string. Anything else (a hand of cards, a history) stays a plain value."""
    if is_grid(value):
        return value
    if "board" not in key:
        return None
    if isinstance(value, list) and len(value) > 1 and all(isinstance(row, str) and row for row in value):
        if len({len(row) for row in value}) == 1:
            return [list(row) for row in value]
    if isinstance(value, str) and len(value) >= 9:
        side = math.isqrt(len(value))
        if side * side == len(value):
            return [list(value[r * side : (r + 1) * side]) for r in range(side)]
    return None


def observation_renderable(observation: Any) -> Group | Text:
    """Grids for boards (see `as_grid`), `key: value` lines for everything else."""
    if not isinstance(observation, dict):
        return Text(str(observation))
    parts: list[Text] = []
    for key, value in observation.items():
        grid = as_grid(str(key), value)
        if grid is not None:
            parts.append(Text(f"{key}:", style="bold"))
            parts.append(grid_text(grid))
        else:
            line = Text(f"{key}: ", style="bold")
            line.append(str(value))
            parts.append(line)
    return Group(*parts)


class BoardView(Static):
    """Shows one player's observation, titled with whose view it is."""

    DEFAULT_CSS = Path(__file__).with_suffix(".tcss").read_text(encoding="utf-8")

    def show(self, observation: Any, title: str) -> None:
        self.border_title = title
        self.update(observation_renderable(observation))
