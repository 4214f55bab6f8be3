"""Fixed-size numeric observations for any GameCWM, whose observations are free-form JSON.

A GameCWM's observation is a dict of whatever the game needs (boards as nested lists, cards, bets), so
there is no schema to lay out a tensor from. The bridges use the hashing trick instead: every leaf of
the observation is named by its path and value (`board/0/2=x`), and that name switches on one of
`size` cells. Equal observations give equal vectors, a board becomes a one-hot encoding per square,
and two names rarely share a cell (about one in `size` per pair).

    >>> vector = encode('{"board":[["x",null]],"turn":1}', size=64)
    >>> vector.shape, int(vector.sum())
    ((64,), 3)
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from typing import Any

import numpy as np

DEFAULT_SIZE = 1024


def leaves(value: Any, path: str = "") -> list[str]:
    """`path=value` for every scalar in a JSON value."""
    if isinstance(value, dict):
        return [leaf for key in sorted(value) for leaf in leaves(value[key], f"{path}/{key}")]
    if isinstance(value, list):
        return [leaf for index, item in enumerate(value) for leaf in leaves(item, f"{path}/{index}")]
    return [f"{path}={json.dumps(value)}"]


def _cell(name: str, size: int) -> int:
    return int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), "little") % size


@lru_cache(maxsize=65536)
def _cells(text: str, size: int) -> tuple[int, ...]:
    return tuple(sorted({_cell(name, size) for name in leaves(json.loads(text))}))


def encode(observation_text: str, size: int = DEFAULT_SIZE) -> np.ndarray:
    """The 0/1 float32 vector of an observation given as canonical JSON text."""
    vector = np.zeros(size, dtype=np.float32)
    vector[list(_cells(observation_text, size))] = 1.0
    return vector
