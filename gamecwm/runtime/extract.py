"""Pull the Python module out of a model's reply.

    >>> extract_code("Here it is:\\n```python\\nx = 1\\n```\\nDone.")
    'x = 1\\n'

Rules, in order: the longest fenced block labelled python (or py); else the longest fenced block;
an unterminated fence counts to the end of the text (a reply cut off by the token budget); with no
fence at all, the text itself if it parses as Python, else None.

`code_block_closed` tells a streaming generator that a Python block has been written in full, so
that it stops there instead of spending the CPU on the prose models like to add after it:

    >>> code_block_closed("```python\\nx = 1\\n"), code_block_closed("```python\\nx = 1\\n```\\n")
    (False, True)
"""

from __future__ import annotations

import ast
import re

FENCE = re.compile(r"^```[ \t]*([\w+-]*)[ \t]*$", re.MULTILINE)


def _blocks(text: str) -> list[tuple[str, str]]:
    """(language, body) of every fenced block; a last unterminated fence runs to the end."""
    blocks, fences = [], list(FENCE.finditer(text))
    index = 0
    while index < len(fences):
        opening = fences[index]
        closing = fences[index + 1] if index + 1 < len(fences) else None
        end = closing.start() if closing else len(text)
        blocks.append((opening.group(1).lower(), text[opening.end() + 1 : end]))
        index += 2
    return blocks


PYTHON = ("python", "py", "python3")


def code_block_closed(text: str) -> bool:
    """Whether `text` holds a complete fenced Python block (its closing fence ended by a newline)."""
    fences = list(FENCE.finditer(text))
    for opening, closing in zip(fences[::2], fences[1::2], strict=False):
        if opening.group(1).lower() in PYTHON and text[closing.end() : closing.end() + 1] == "\n":
            return True
    return False


def _parses(code: str) -> bool:
    try:
        ast.parse(code)
    except (SyntaxError, ValueError):
        return False
    return True


def extract_code(text: str) -> str | None:
    """The reply's Python code, or None when there is none."""
    blocks = _blocks(text)
    python = [body for language, body in blocks if language in PYTHON]
    candidates = python or [body for _, body in blocks]
    if candidates:
        code = max(candidates, key=len)
        return code if code.endswith("\n") else code + "\n"
    stripped = text.strip()
    if stripped and _parses(stripped):
        return stripped + "\n"
    return None
