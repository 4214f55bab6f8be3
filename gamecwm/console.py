"""The rich Console every command prints through, so that output off a terminal is never hard-wrapped."""

from __future__ import annotations

import os
import sys
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console

OFF_TERMINAL_WIDTH = 200  # table width when piped or redirected, unless $COLUMNS says otherwise


def make_console(stderr: bool = False, file: IO[str] | None = None) -> Console:
    """A rich Console on stdout (stderr with `stderr=True`, or `file`) that keeps lines whole off a terminal.

    On a terminal it is rich's default Console. Piped or redirected (logs, CI, tests) rich would wrap at
    80 columns and split long paths over lines; there text is soft-wrapped (each line printed whole)
    and tables get $COLUMNS or 200 columns, so they are not squeezed.
    """
    from rich.console import Console

    stream = file or (sys.stderr if stderr else sys.stdout)
    if stream.isatty():  # the stream itself: FORCE_COLOR in a CI log still means no terminal to wrap for
        return Console(stderr=stderr, file=file)
    width = None if os.environ.get("COLUMNS", "").isdigit() else OFF_TERMINAL_WIDTH  # None: rich reads $COLUMNS
    return Console(stderr=stderr, file=file, soft_wrap=True, width=width)
