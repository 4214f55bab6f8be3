"""Readable text for observations: grids for boards stored as nested lists, `key: value` otherwise.

>>> print(render_observation({"board": [["x", "."], [".", "o"]], "current_player": 1}))
board:
     0 1
  0  x .
  1  . o
current_player: 1
"""

from __future__ import annotations

from typing import Any


def is_grid(value: Any) -> bool:
    """A non-empty list of equally long lists of scalars."""
    return (
        isinstance(value, list)
        and len(value) > 0
        and all(isinstance(row, list) and row and len(row) == len(value[0]) for row in value)
        and all(not isinstance(cell, (list, dict)) for row in value for cell in row)
    )


def render_grid(grid: list[list[Any]], indent: str = "  ") -> list[str]:
    cells = [["." if cell is None else str(cell) for cell in row] for row in grid]
    width = max(len(cell) for row in cells for cell in row)
    label = len(str(len(grid) - 1))
    header = " ".join(str(c).rjust(width) for c in range(len(grid[0])))
    lines = [f"{indent}{' ' * label}  {header}"]
    for r, row in enumerate(cells):
        lines.append(f"{indent}{str(r).rjust(label)}  {' '.join(cell.rjust(width) for cell in row)}")
    return lines


def render_observation(observation: Any) -> str:
    if not isinstance(observation, dict):
        return str(observation)
    lines = []
    for key, value in observation.items():
        if is_grid(value):
            lines.append(f"{key}:")
            lines.extend(render_grid(value))
        else:
            lines.append(f"{key}: {value}")
    return "\n".join(lines)
