"""What crosses the sandbox boundary: length-prefixed JSON with bounded size and depth, and a strict
encoding of a candidate's values.

    >>> from gamecwm.sandbox.codec import decode_value, encode_value, loads
    >>> decode_value(encode_value({"board": ((1, 2), None), 3: "x"}))
    {'board': ((1, 2), None), 3: 'x'}
    >>> loads(b'[' * 100 + b']' * 100)
    Traceback (most recent call last):
    ...
    gamecwm.sandbox.codec.MalformedMessage: nested deeper than 64 levels

Every message is decoded by `loads`, which refuses what a hostile peer could use against the reader:
oversized payloads, deep nesting (the decoder recurses), NaN and infinities, invalid UTF-8. The value
codec keeps the types a GameCWM uses (dicts with any hashable plain keys, lists, tuples, strings,
numbers, booleans, None) and turns anything else into an opaque tag with a bounded repr, so nothing a
candidate returns is ever unpickled or called by the reader.
"""

from __future__ import annotations

import json
import marshal
import math
import re
from typing import Any

MAX_DEPTH = 64
MAX_MESSAGE_BYTES = 64 * 1024 * 1024
_STRINGS = re.compile(rb'"(?:[^"\\]|\\.)*"')
_PAIRS = re.compile(rb"\[\]|\{\}")
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")


class MalformedMessage(ValueError):
    """A message that must not be trusted: why, in words."""


def _reject_constant(name: str) -> Any:
    raise MalformedMessage(f"non-finite number {name}")


def _too_deep(data: bytes, max_depth: int) -> bool:
    """Whether brackets outside strings nest deeper than `max_depth`, at C speed: strip the strings and
    everything but brackets, then peel innermost pairs once per level."""
    brackets = _STRINGS.sub(b"", data).translate(None, _NOT_BRACKETS)
    for _ in range(max_depth):
        peeled = _PAIRS.sub(b"", brackets)
        if not peeled or peeled == brackets:  # done, or unbalanced (the JSON decoder will say so)
            return False
        brackets = peeled
    return True


def loads(data: bytes, max_depth: int = MAX_DEPTH) -> Any:
    """Decode one message, or raise `MalformedMessage` saying why it was refused."""
    if len(data) > MAX_MESSAGE_BYTES:
        raise MalformedMessage(f"message of {len(data)} bytes is over the limit of {MAX_MESSAGE_BYTES}")
    if data.count(b"[") + data.count(b"{") > max_depth and _too_deep(data, max_depth):
        raise MalformedMessage(f"nested deeper than {max_depth} levels")
    try:
        return json.loads(data, parse_constant=_reject_constant)
    except MalformedMessage:
        raise
    except (ValueError, RecursionError) as exc:
        raise MalformedMessage(f"not valid JSON: {str(exc)[:120]}") from None


def dumps(message: Any) -> bytes:
    """Encode one message (the writer's side: never NaN, never a non-JSON object)."""
    return json.dumps(message, allow_nan=False, separators=(",", ":")).encode()


def encode_value(value: Any, depth: int = 0) -> Any:
    """A JSON form of a candidate's value that `decode_value` turns back into the same plain types.

    Containers are read through the built-in types' own methods, so a dict subclass with its own
    `items` or a list with its own `__iter__` cannot show the reader something else than it holds.
    """
    kind = type(value)
    if value is None or kind in (bool, int, str):
        return value
    if kind is float:
        return value if math.isfinite(value) else {"$float": repr(value)}
    if depth >= MAX_DEPTH - 4:
        return {"$opaque": "too deep", "repr": ""}
    if isinstance(value, list):
        return [encode_value(v, depth + 1) for v in list.__iter__(value)]
    if isinstance(value, tuple):
        return {"$tuple": [encode_value(v, depth + 1) for v in tuple.__iter__(value)]}
    if isinstance(value, dict):
        items = list(dict.items(value))
        if all(type(k) is str and not k.startswith("$") for k, _ in items):
            return {k: encode_value(v, depth + 1) for k, v in items}
        return {"$dict": [[encode_value(k, depth + 1), encode_value(v, depth + 1)] for k, v in items]}
    return {"$opaque": kind.__name__, "repr": short(value, 200)}


def answer(value: Any) -> dict[str, Any]:
    """A candidate's return value as an answer: `{"j": value}` when it is plain JSON that reads back
    exactly (checked at C speed: exact built-in types, no tuples, sets, non-string keys, non-finite
    floats or `$` keys), else `{"v": encode_value(value)}`."""
    kind = type(value)
    if value is None or kind in (bool, int, str):
        return {"j": value}
    if kind is list and all(type(v) is str for v in value):
        return {"j": value}
    try:
        marshal.dumps(value, 2)  # exact built-in types only: a subclass or any other object raises
        text = json.dumps(value, allow_nan=False)
        if '"$' not in text and json.loads(text) == value:
            return {"j": value}
    except (ValueError, TypeError, RecursionError, OverflowError):
        pass
    return {"v": encode_value(value)}


def read_answer(answer: dict[str, Any]) -> Any:
    """The value of an `answer` (raises `MalformedMessage` on anything else)."""
    if "j" in answer:
        return answer["j"]
    if "v" in answer:
        return decode_value(answer["v"])
    raise MalformedMessage("an answer without a value")


def short(value: Any, limit: int = 300) -> str:
    """A bounded text of a value a candidate may have shaped: strings as they are, anything else as its
    repr; never raises."""
    try:
        text = value if type(value) is str else repr(value)
    except BaseException as exc:  # noqa: BLE001 - a candidate's __repr__ may raise anything
        text = f"<unrepresentable {type(value).__name__}: {type(exc).__name__}>"
    return text if len(text) <= limit else text[: limit - 3] + "..."


def error_text(exc: BaseException) -> str:
    """A bounded `Type: message` of an exception a candidate raised; never raises."""
    try:
        return short(f"{type(exc).__name__}: {exc}")
    except BaseException:  # noqa: BLE001 - a candidate's exception may fail to print
        return short(type(exc).__name__)


class Opaque:
    """A value of a type that does not cross the boundary: its type name and a bounded repr."""

    __slots__ = ("type_name", "text")

    def __init__(self, type_name: str, text: str) -> None:
        self.type_name, self.text = str(type_name), str(text)

    def __repr__(self) -> str:
        return self.text

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Opaque) and (self.type_name, self.text) == (other.type_name, other.text)

    def __hash__(self) -> int:
        return hash((self.type_name, self.text))


def decode_value(value: Any) -> Any:
    """The inverse of `encode_value`; malformed tags raise `MalformedMessage`."""
    if isinstance(value, list):
        return [decode_value(v) for v in value]
    if not isinstance(value, dict):
        return value
    if len(value) == 1 and "$tuple" in value and isinstance(value["$tuple"], list):
        return tuple(decode_value(v) for v in value["$tuple"])
    if len(value) == 1 and "$dict" in value and isinstance(value["$dict"], list):
        pairs = value["$dict"]
        if not all(isinstance(p, list) and len(p) == 2 for p in pairs):
            raise MalformedMessage("a $dict entry is not a [key, value] pair")
        try:
            return {decode_value(k): decode_value(v) for k, v in pairs}
        except TypeError as exc:
            raise MalformedMessage(f"unhashable key: {exc}") from None
    if len(value) == 1 and "$float" in value:
        return Opaque("float", str(value["$float"])[:20])  # not a number anything downstream may use
    if set(value) == {"$opaque", "repr"}:
        return Opaque(value["$opaque"], value["repr"])
    if any(isinstance(k, str) and k.startswith("$") for k in value):
        raise MalformedMessage(f"unknown tag in {sorted(value)[:3]}")
    return {k: decode_value(v) for k, v in value.items()}
