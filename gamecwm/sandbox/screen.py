"""Static screening of candidate source, before anything executes (runs in the caller: parsing only).

    >>> from gamecwm.sandbox.screen import screen_source
    >>> screen_source("import os\\nos.system('ls')")
    ["line 1: import of 'os' is not allowed (allowed: __future__, bisect, collections, ...)"]

A candidate may import only the pure standard-library modules of the contract, and may not reach
for the attributes used to escape a sandbox (`__subclasses__`, `__globals__`, a module's private
`random._os`, the modules an allowed module imports such as `dataclasses.sys`), the tools of dynamic
attribute access (`operator.attrgetter`, `string.Formatter`), the builtins that execute or open things
(`eval`, `open`, `__import__`, ...), or define special methods the interpreter calls behind its back
(`__fspath__`, `__index__`, `__del__`, ...). This is the first of several layers (see `gamecwm.sandbox`):
the worker enforces the same boundaries at run time, and the OS isolation holds when both are passed.
`inject_imports` is the optional preprocessing step that adds the imports a model forgot.
"""

from __future__ import annotations

import ast
import functools
import importlib
import re
import types

from gamecwm.api import ALLOWED_IMPORTS

# Builtins that run code, touch files or reach into frames; a GameCWM needs none of them.
FORBIDDEN_NAMES = frozenset(
    {
        "eval",
        "exec",
        "compile",
        "open",
        "input",
        "breakpoint",
        "globals",
        "locals",
        "vars",
        "getattr",
        "setattr",
        "delattr",
        "__import__",
        "__builtins__",
        "__loader__",
        "__spec__",
        "memoryview",
        "exit",
        "quit",
        "help",
    }
)
# Dunder names that ordinary game code uses; every other dunder attribute is refused.
ALLOWED_DUNDERS = frozenset({"__init__", "__name__", "__doc__", "__post_init__", "__eq__", "__hash__", "__repr__"})
# Special methods a candidate's class may define: comparisons, containers, text. Others (`__fspath__`,
# `__index__`, `__del__`, `__getattr__`, `__reduce__`, ...) run inside the interpreter's own machinery.
DEFINABLE_DUNDERS = ALLOWED_DUNDERS | frozenset(
    {"__ne__", "__lt__", "__le__", "__gt__", "__ge__", "__str__", "__len__", "__iter__", "__contains__",
     "__getitem__", "__bool__"}
)  # fmt: skip
# Public names of allowed modules that reach any attribute by name: absent from the worker's module views.
HIDDEN_MODULE_NAMES = {"operator": frozenset({"attrgetter", "methodcaller"}), "string": frozenset({"Formatter"})}


@functools.cache
def smuggled_module_names() -> frozenset[str]:
    """Names under which an allowed module exposes a module that is not allowed (`dataclasses.sys`,
    `random._os`, `typing.collections`...): refused as attributes anywhere in a candidate."""
    names: set[str] = set()
    allowed_names: set[str] = set()
    for root in ALLOWED_IMPORTS:
        module = importlib.import_module(root)
        for name, value in vars(module).items():
            if isinstance(value, types.ModuleType):
                allowed = value.__name__.split(".")[0] in ALLOWED_IMPORTS
                (allowed_names if allowed else names).add(name)
    return frozenset(names - allowed_names)  # `collections.abc` stays usable


# Imports added by `inject_imports` when a name is used but never imported.
INJECTABLE = {
    "random": "import random",
    "copy": "import copy",
    "math": "import math",
    "itertools": "import itertools",
    "collections": "import collections",
    "functools": "import functools",
    "re": "import re",
    "Any": "from typing import Any",
    "Optional": "from typing import Optional",
    "List": "from typing import List",
    "Dict": "from typing import Dict",
    "Tuple": "from typing import Tuple",
    "defaultdict": "from collections import defaultdict",
    "Counter": "from collections import Counter",
    "deque": "from collections import deque",
    "deepcopy": "from copy import deepcopy",
}


def _module_root(name: str) -> str:
    return name.split(".")[0]


def _on_module(node: ast.expr, modules: set[str]) -> bool:
    """Whether `node` is an imported module's name or an attribute chain starting from one."""
    while isinstance(node, ast.Attribute):
        node = node.value
    return isinstance(node, ast.Name) and node.id in modules


def screen_source(source: str) -> list[str]:
    """Reasons to refuse `source` before execution (empty when it may run). Syntax errors are not
    reported here: compiling is the static tier's first check."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return []
    problems: list[str] = []
    allowed = ", ".join(sorted(ALLOWED_IMPORTS))
    imported_modules: set[str] = set()
    smuggled = smuggled_module_names()
    hidden = frozenset().union(*HIDDEN_MODULE_NAMES.values())
    for node in ast.walk(tree):
        line = getattr(node, "lineno", "?")
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            name = node.name
            if name.startswith("__") and name.endswith("__") and name not in DEFINABLE_DUNDERS:
                problems.append(f"line {line}: defining the special method {name!r} is not allowed")
        if isinstance(node, ast.Import):
            for alias in node.names:
                imported_modules.add(alias.asname or alias.name.split(".")[0])
                if _module_root(alias.name) not in ALLOWED_IMPORTS:
                    problems.append(f"line {line}: import of {alias.name!r} is not allowed (allowed: {allowed})")
        elif isinstance(node, ast.ImportFrom):
            if node.level or _module_root(node.module or "") not in ALLOWED_IMPORTS:
                problems.append(f"line {line}: import from {node.module!r} is not allowed (allowed: {allowed})")
            for alias in node.names:
                if alias.name.startswith("_") and node.module != "__future__" or alias.name in smuggled | hidden:
                    problems.append(f"line {line}: importing {alias.name!r} from {node.module!r} is not allowed")
        elif isinstance(node, ast.Attribute):
            attr = node.attr
            if attr.startswith("__") and attr.endswith("__") and attr not in ALLOWED_DUNDERS:
                problems.append(f"line {line}: access to attribute {attr!r} is not allowed")
            elif attr in hidden or (attr in smuggled and _on_module(node.value, imported_modules)):
                problems.append(
                    f"line {line}: access to attribute {attr!r} (a module or a dynamic lookup) is not allowed"
                )
            elif attr.startswith("_") and isinstance(node.value, ast.Name) and node.value.id in imported_modules:
                problems.append(
                    f"line {line}: access to private module attribute {node.value.id}.{attr} is not allowed"
                )
        elif isinstance(node, ast.Name) and node.id in FORBIDDEN_NAMES:
            problems.append(f"line {line}: use of {node.id!r} is not allowed")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            if re.fullmatch(r"__\w+__", node.value) and node.value not in ALLOWED_DUNDERS | {"__main__"}:
                problems.append(f"line {line}: the string {node.value!r} names a dunder attribute")
    return problems


def inject_imports(source: str) -> tuple[str, list[str]]:
    """Prepend the imports of well-known names the source uses but never binds.

    Returns the new source and the import lines added (empty if none were needed or it does not parse).
    """
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return source, []
    bound: set[str] = set()
    used: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            bound.update((a.asname or a.name).split(".")[0] for a in node.names)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
        elif isinstance(node, ast.Name):
            (bound if isinstance(node.ctx, ast.Store) else used).add(node.id)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
    added = [INJECTABLE[name] for name in sorted(used - bound) if name in INJECTABLE]
    if not added:
        return source, []
    return "\n".join(added) + "\n" + source, added
