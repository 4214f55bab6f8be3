"""Seeded rule bugs in any reference GameCWM, for repair rows: a buggy module, what the verifier says
about it, and the reference that fixes it.

    >>> from gamecwm.games import get_pack
    >>> source = get_pack("tic_tac_toe").reference_source
    >>> sites = mutation_sites(source)
    >>> len(sites) > 10, sorted({site.kind for site in sites})
    (True, ['drop_branch', 'flip_comparison', 'shift_constant'])
    >>> sites[0].apply(source) != source
    True

A site is one place where a small, typical mistake can be made:
- `flip_comparison`: one comparison turned into its opposite (`==` into `!=`, `<` into `>=`, `in` into
  `not in`);
- `shift_constant`: one small integer literal off by one;
- `drop_branch`: one `if` statement left out (a forgotten rule).

A site only edits its own characters of the source, so the buggy module reads like the reference
except for the bug, comments and layout included. Whether a site is a real bug is for the verifier to
say: `repair.py` keeps only the mutants it scores below 1.0.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

OPPOSITES: dict[type[ast.cmpop], str] = {
    ast.Eq: "!=",
    ast.NotEq: "==",
    ast.Lt: ">=",
    ast.GtE: "<",
    ast.Gt: "<=",
    ast.LtE: ">",
    ast.In: "not in",
    ast.NotIn: "in",
}


@dataclass(frozen=True)
class Site:
    """One edit of the source: replace the text between two (line, column) positions."""

    kind: str
    function: str
    start: tuple[int, int]  # 1-based line, 0-based column, as `ast` counts them
    end: tuple[int, int]
    replacement: str

    def apply(self, source: str) -> str:
        lines = source.splitlines(keepends=True)
        offsets = [0]
        for line in lines:
            offsets.append(offsets[-1] + len(line))
        start = offsets[self.start[0] - 1] + self.start[1]
        end = offsets[self.end[0] - 1] + self.end[1]
        return source[:start] + self.replacement + source[end:]

    @property
    def name(self) -> str:
        return f"{self.kind} in {self.function} (line {self.start[0]})"


def mutation_sites(source: str) -> list[Site]:
    """Every site in the module's top-level functions, in source order."""
    tree = ast.parse(source)
    lines = source.splitlines()
    sites: list[Site] = []
    for function in (node for node in tree.body if isinstance(node, ast.FunctionDef)):
        for node in ast.walk(function):
            if isinstance(node, ast.Compare) and len(node.ops) == 1 and type(node.ops[0]) in OPPOSITES:
                sites.append(_flip(function.name, node, lines))
            elif isinstance(node, ast.Constant) and type(node.value) is int and 0 <= node.value <= 20:
                assert node.end_lineno is not None and node.end_col_offset is not None
                sites.append(Site("shift_constant", function.name, (node.lineno, node.col_offset),
                                  (node.end_lineno, node.end_col_offset), str(node.value + 1)))  # fmt: skip
            elif isinstance(node, ast.If) and function.body and node is not function.body[-1]:
                sites.append(_drop(function.name, node, lines))
    return sorted((site for site in sites if _compiles(site.apply(source))), key=lambda s: (s.start, s.kind))


def _compiles(source: str) -> bool:
    try:
        ast.parse(source)
    except SyntaxError:  # e.g. a dropped `elif`, which leaves its `else` alone
        return False
    return True


def _flip(function: str, node: ast.Compare, lines: list[str]) -> Site:
    """The operator's text lies between the left operand and the right one."""
    left, right = node.left, node.comparators[0]
    assert left.end_lineno is not None and left.end_col_offset is not None
    start, end = (left.end_lineno, left.end_col_offset), (right.lineno, right.col_offset)
    return Site("flip_comparison", function, start, end, f" {OPPOSITES[type(node.ops[0])]} ")


def _drop(function: str, node: ast.If, lines: list[str]) -> Site:
    """The whole `if` statement (its lines), replaced by `pass` at its indentation."""
    assert node.end_lineno is not None
    indent = lines[node.lineno - 1][: node.col_offset]
    return Site("drop_branch", function, (node.lineno, 0), (node.end_lineno, len(lines[node.end_lineno - 1])),
                f"{indent}pass")  # fmt: skip
