import pytest

from gamecwm.games import catalog, get_pack
from gamecwm.interop.spaces import ActionSpace, ActionSpaceError, expand
from gamecwm.interop.spec import GameSpec, SpecError


def test_brace_patterns_expand_in_order_leftmost_slowest():
    assert expand("{0..1},{0..2}") == ["0,0", "0,1", "0,2", "1,0", "1,1", "1,2"]
    assert expand("{a..c}{1..2}") == ["a1", "a2", "b1", "b2", "c1", "c2"]
    assert expand("x{,:q,:r}") == ["x", "x:q", "x:r"]
    assert expand("pass") == ["pass"]
    with pytest.raises(ValueError, match="unbalanced"):
        expand("a{0..2")


def test_listed_space_numbers_strings_and_names_what_is_outside():
    space = ActionSpace.from_declaration(["pass", "bet"], None, "player")
    assert space.numbers(["bet", "pass"]) == [1, 0]
    assert space.string(1) == "bet"
    with pytest.raises(ActionSpaceError, match="'raise' is outside the declared action space"):
        space.numbers(["pass", "raise"])
    with pytest.raises(ActionSpaceError, match="outside 0..1"):
        space.string(2)
    with pytest.raises(ValueError, match="twice"):
        ActionSpace.from_declaration(["a", "{a,b}"], None, "player")


def test_positional_space_numbers_by_place_and_bounds_the_count():
    space = ActionSpace.from_declaration("positional", 3, "player")
    assert space.numbers(["13/10 8/5", "pass"]) == [0, 1]
    assert space.string(1, ["13/10 8/5", "pass"]) == "pass"
    with pytest.raises(ActionSpaceError, match="more than the 3"):
        space.numbers(["a", "b", "c", "d"])
    with pytest.raises(ValueError, match="max_actions"):
        ActionSpace.from_declaration("positional", None, "player")


def test_deck_weights_chance_by_copies_left():
    spec = GameSpec.from_pack(get_pack("hanabi"))
    first = spec.chance_probabilities(["deal:R1", "deal:R2", "deal:R3"], [])
    assert first == pytest.approx([3 / 6, 2 / 6, 1 / 6])
    later = spec.chance_probabilities(["deal:R1", "deal:R2", "deal:R3"], ["deal:R1", "deal:R1"])
    assert later == pytest.approx([1 / 4, 2 / 4, 1 / 4])
    with pytest.raises(ActionSpaceError, match="no copy of it is left"):
        spec.chance_probabilities(["deal:R3"], ["deal:R3"])


def test_every_catalog_pack_declares_a_valid_interop_table():
    for pack in catalog():
        spec = GameSpec.from_pack(pack)
        assert spec.actions.size > 0, pack.id
        assert spec.returns[0] < spec.returns[1], pack.id


def test_a_pack_without_the_table_is_refused_by_name(tmp_path):
    pack = get_pack("kuhn_poker")
    table = pack.extra.pop("interop")
    try:
        with pytest.raises(SpecError, match=r"\[interop\]"):
            GameSpec.from_pack(pack)
    finally:
        pack.extra["interop"] = table
    with pytest.raises(ValueError, match="unknown keys"):
        GameSpec.from_table("x", "perfect", {**table, "colour": "red"})
