"""gamecwm.flags: one way from a config dataclass to command-line flags."""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from gamecwm.flags import add_flag, add_flags, config_from


@dataclass
class Settings:
    games: int = field(default=20, metadata={"help": "games to play"})
    rate: float = 0.5
    model: Path | None = field(default=None, metadata={"help": "a model file"})
    mode: str = field(default="auto", metadata={"help": "how", "choices": ("auto", "off")})
    inject: bool = field(default=True, metadata={"help": "add imports"})
    tags: list[str] = field(default_factory=list)


def parse(argv, **kwargs):
    parser = argparse.ArgumentParser()
    add_flags(parser, Settings, **kwargs)
    return parser, parser.parse_args(argv)


def test_fields_become_typed_flags_with_their_defaults_and_help():
    parser, args = parse(
        ["--games", "5", "--model", "m.gguf", "--no-inject"], only=["games", "model", "mode", "inject"]
    )
    assert config_from(Settings, args) == Settings(games=5, model=Path("m.gguf"), inject=False)
    text = parser.format_help()
    assert "games to play (default: 20)" in text and "--inject, --no-inject" in text and "{auto,off}" in text
    with pytest.raises(SystemExit):
        parser.parse_args(["--mode", "sometimes"])


def test_renamed_flags_and_command_defaults():
    parser, args = parse([], only=["games"], names={"games": "n"}, defaults={"games": 3})
    assert args.games == 3 and "--n N" in parser.format_help() and "(default: 3)" in parser.format_help()


def test_a_field_without_a_command_line_form_needs_a_type():
    with pytest.raises(TypeError, match="Settings.tags"):
        parse([])
    parser = argparse.ArgumentParser()
    add_flag(parser, Settings, "tags", type=lambda text: text.split(","))
    assert parser.parse_args(["--tags", "a,b"]).tags == ["a", "b"]


def test_a_positional_field_is_required():
    parser = argparse.ArgumentParser()
    add_flag(parser, Settings, "model", "model")
    assert parser.parse_args(["x.gguf"]).model == Path("x.gguf")
    with pytest.raises(SystemExit):
        parser.parse_args([])
