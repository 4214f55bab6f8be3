"""The wire format: what a hostile worker could send must be refused, never crash the reader."""

from __future__ import annotations

import json

import pytest

from gamecwm.sandbox.codec import MAX_DEPTH, MalformedMessage, Opaque, decode_value, encode_value, loads


@pytest.mark.parametrize(
    "value",
    [None, True, 3, "x", 1.5, [1, [2]], {"a": (1, "b")}, {(0, 1): "x", 2: [None]}, ((),), {"$x": 1}],
)
def test_values_round_trip_through_json(value):
    assert decode_value(loads(json.dumps(encode_value(value)).encode())) == value


def test_containers_are_read_through_the_builtin_types():
    class Liar(dict):
        def items(self):
            return [("board", "fake")]

    class Stream(list):
        def __iter__(self):
            return iter(["fake"])

    assert encode_value(Liar(board="real")) == {"board": "real"}
    assert encode_value(Stream(["real"])) == ["real"]


def test_other_types_become_opaque_and_bounded():
    class Loud:
        def __repr__(self):
            return "x" * 10_000

    class Broken:
        def __repr__(self):
            raise SystemExit("no")

    decoded = decode_value(encode_value([Loud(), Broken(), {1, 2}, float("nan")]))
    assert all(isinstance(v, Opaque) for v in decoded)
    assert len(decoded[0].text) <= 200 and "unrepresentable" in decoded[1].text
    assert decoded[3].type_name == "float"  # NaN is not a number anything downstream may use


@pytest.mark.parametrize(
    "data, why",
    [
        (b"[" * 3000 + b"]" * 3000, "nested deeper"),
        (b'{"a": NaN}', "non-finite"),
        (b"[Infinity]", "non-finite"),
        (b'{"a": ', "not valid JSON"),
        (b"\xff\xfe", "not valid JSON"),
    ],
)
def test_hostile_messages_are_refused(data, why):
    with pytest.raises(MalformedMessage, match=why):
        loads(data)


def test_depth_just_within_the_limit_and_brackets_inside_strings():
    assert loads(b"[" * MAX_DEPTH + b"]" * MAX_DEPTH) is not None
    assert loads(json.dumps(["[" * 500]).encode()) == ["[" * 500]


def test_encoding_caps_depth_instead_of_recursing():
    x: list = []
    for _ in range(5000):
        x = [x]
    encoded = json.dumps(encode_value(x))
    assert loads(encoded.encode()) is not None and "too deep" in encoded


@pytest.mark.parametrize("tagged", [{"$dict": [[1]]}, {"$dict": [[[1], 2]]}, {"$what": 1}])
def test_malformed_tags_are_refused(tagged):
    with pytest.raises(MalformedMessage):
        decode_value(tagged)
