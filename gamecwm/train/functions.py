"""Function rows: the contract taught one function at a time, cut out of a reference GameCWM.

    >>> from gamecwm.games import get_pack
    >>> row = function_row(get_pack("tic_tac_toe"), "get_rewards")
    >>> row["prompt"][-1]["content"].splitlines()[-1]
    'Write only `get_rewards` now, with the imports, constants and helpers it uses, in one ```python block.'
    >>> "def get_rewards(" in row["completion"][0]["content"]
    True

A whole module is a long target for a small model. A function row asks, in the usual prompt whose
last line is changed, for one contract function, and answers with that function as the reference
writes it, after the imports and the top-level constants and helpers it reaches (transitively; the
other contract functions are taken as written already). Every piece is the reference's own text,
so putting a row's answer back into the reference changes nothing (`reassemble`; the tests verify
the result at 1.0).
"""

from __future__ import annotations

import ast
import random
from typing import Any

from gamecwm.api import IMPERFECT_FUNCTIONS, PERFECT_FUNCTIONS
from gamecwm.games import GamePack
from gamecwm.prompts import build_messages

TRIVIAL = ("get_player_name",)  # a one-line table that teaches nothing on its own


def contract_functions(pack: GamePack) -> tuple[str, ...]:
    names = IMPERFECT_FUNCTIONS if pack.info == "imperfect" else PERFECT_FUNCTIONS
    return tuple(name for name in names if name not in TRIVIAL)


def _defined_names(node: ast.stmt) -> set[str]:
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return {node.name}
    targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
    return {n.id for t in targets if t is not None for n in ast.walk(t) if isinstance(n, ast.Name)}


def _imported_names(node: ast.Import | ast.ImportFrom) -> set[str]:
    return {(alias.asname or alias.name).split(".")[0] for alias in node.names}


def _used_names(node: ast.stmt) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}


def function_source(source: str, name: str) -> str:
    """The imports, the definitions `name` reaches and `name` itself, in the reference's order."""
    tree = ast.parse(source)
    imports = [n for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))]
    definitions = [n for n in tree.body if _defined_names(n) and n not in imports]
    by_name = {defined: node for node in definitions for defined in _defined_names(node)}
    if name not in by_name:
        raise ValueError(f"the module defines no {name}")
    contract = set(IMPERFECT_FUNCTIONS) - {name}
    wanted, todo = set(), [by_name[name]]
    while todo:
        node = todo.pop()
        if id(node) in wanted:
            continue
        wanted.add(id(node))
        todo += [by_name[used] for used in _used_names(node) - contract if used in by_name]
    chosen = [node for node in definitions if id(node) in wanted]
    used = set().union(*(_used_names(node) for node in chosen))
    header = "\n".join(_segment(source, node) for node in imports if _imported_names(node) & used)
    body = _join([(node, _segment(source, node)) for node in chosen])
    return f"{header}\n\n\n{body}\n" if header else f"{body}\n"


def _join(parts: list[tuple[ast.stmt, str]]) -> str:
    """Statements as PEP 8 lays them out: constants line by line, two blank lines around the rest."""
    text, before = "", None
    for node, segment in parts:
        plain = isinstance(node, (ast.Assign, ast.AnnAssign)) and isinstance(before, (ast.Assign, ast.AnnAssign))
        text += ("" if before is None else "\n" if plain else "\n\n\n") + segment
        before = node
    return text


def _segment(source: str, node: ast.stmt) -> str:
    """`node`'s lines of `source`, decorators included (`ast.get_source_segment` starts at `def`)."""
    decorators = getattr(node, "decorator_list", [])
    first = min([node.lineno, *(d.lineno for d in decorators)])
    return "\n".join(source.splitlines()[first - 1 : node.end_lineno])


def function_row(pack: GamePack, name: str) -> dict[str, Any]:
    """A prompt/completion row asking for `name` alone."""
    system, user = build_messages(pack)
    instructions = user["content"].rstrip().rsplit("\n", 1)[0]  # its last line asks for the whole module
    ask = f"Write only `{name}` now, with the imports, constants and helpers it uses, in one ```python block."
    code = function_source(pack.reference_source, name)
    return {
        "prompt": [system, {"role": "user", "content": f"{instructions}\n{ask}"}],
        "completion": [{"role": "assistant", "content": f"```python\n{code}```"}],
    }


def function_rows(pack: GamePack, count: int, seed: int) -> list[dict[str, Any]]:
    """`count` function rows for `pack`, its contract functions drawn with `seed` (all when count is larger)."""
    names = list(contract_functions(pack))
    random.Random(f"{seed}:functions:{pack.id}").shuffle(names)
    return [function_row(pack, name) for name in names[:count]]


def reassemble(source: str, code: str) -> str:
    """`source` with every top-level definition also found in `code` replaced by `code`'s version: the
    module a function row's answer makes when put back into its reference."""
    replaced = {name: node for node in ast.parse(code).body for name in _defined_names(node)}
    tree = ast.parse(source)
    parts = []
    for node in tree.body:
        chosen = next((replaced[n] for n in _defined_names(node) if n in replaced), None)
        parts.append((node, _segment(code, chosen) if chosen is not None else _segment(source, node)))
    return _join(parts) + "\n"
