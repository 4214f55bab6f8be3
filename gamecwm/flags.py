"""Command-line flags from config dataclasses: each setting's default and help are written once, on its
field, and every command that exposes it reads them from there.

    >>> import argparse
    >>> from dataclasses import dataclass, field
    >>> @dataclass
    ... class Settings:
    ...     games: int = field(default=20, metadata={"help": "games to play"})
    ...     inject: bool = field(default=True, metadata={"help": "add missing imports"})
    >>> parser = argparse.ArgumentParser()
    >>> add_flags(parser, Settings)
    >>> args = parser.parse_args(["--games", "5", "--no-inject"])
    >>> config_from(Settings, args)
    Settings(games=5, inject=False)

A field becomes `--its-name` (or the name given in `names`), typed from its annotation: `bool` fields
become `--x/--no-x`, `X | None` takes an `X`, and a `choices` entry in the field's metadata limits the
values. The help text ends with the default. `add_flag` adds one field with overrides (a positional
argument, a custom type, `required`). Standard library only, so every layer may use it.
"""

from __future__ import annotations

import argparse
import dataclasses
import functools
import types
import typing
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, TypeVar, cast

T = TypeVar("T")
SIMPLE = (int, float, str, Path)


def add_flags(
    parser: argparse.ArgumentParser | argparse._ArgumentGroup,
    config: type,
    only: Iterable[str] | None = None,
    *,
    skip: Iterable[str] = (),
    names: Mapping[str, str] | None = None,
    defaults: Mapping[str, Any] | None = None,
) -> None:
    """Add a flag for each field of `config` (those in `only`, in that order; else all but `skip`).

    `names` renames flags (field -> flag without dashes); `defaults` replaces a field's default for this
    command (the demo draws fewer, shorter samples than `gamecwm generate`).
    """
    chosen = list(only) if only is not None else [f.name for f in dataclasses.fields(config) if f.name not in skip]
    for name in chosen:
        flag = (names or {}).get(name)
        extra: dict[str, Any] = {"metavar": flag.upper()} if flag else {}
        if defaults and name in defaults:
            extra["default"] = defaults[name]
        add_flag(parser, config, name, *([f"--{flag.replace('_', '-')}"] if flag else []), **extra)


def add_flag(
    parser: argparse.ArgumentParser | argparse._ArgumentGroup, config: type, name: str, *flags: str, **overrides: Any
) -> None:
    """Add the argument of `config`'s field `name`: `--name` unless `flags` says otherwise (a bare name
    makes it positional); type, default, choices and help come from the field, `overrides` win."""
    specs, hints = _described(config)
    spec, hint = specs[name], hints[name]
    kind = _plain(hint)
    kwargs: dict[str, Any] = {"default": _default(spec)}
    if kind is bool:
        kwargs["action"] = argparse.BooleanOptionalAction
    elif kind is not None:
        kwargs["type"] = kind
    elif "type" not in overrides:
        raise TypeError(f"{config.__name__}.{name}: no command-line form for {hint}; pass type=")
    if "choices" in spec.metadata:
        kwargs["choices"] = tuple(spec.metadata["choices"])
    kwargs.update(overrides)
    if kwargs.get("action") == "store_true":
        kwargs.pop("type", None)
    flags = flags or (f"--{name.replace('_', '-')}",)
    if flags[0].startswith("-"):
        kwargs["dest"] = name
    elif "default" not in overrides:
        del kwargs["default"]  # a positional argument is given, not defaulted
    shown = spec.metadata.get("help", "")
    default = kwargs.get("default")
    if default is not None and not isinstance(default, bool) and "default" not in shown:
        text = ",".join(default) if isinstance(default, tuple) else default
        shown = f"{shown} (default: {text})" if shown else f"default: {text}"
    parser.add_argument(*flags, help=shown.replace("%", "%%"), **kwargs)


def config_from(config: type[T], args: argparse.Namespace, **overrides: Any) -> T:
    """An instance of `config` from the parsed flags (fields without a flag keep their defaults)."""
    specs = dataclasses.fields(cast(Any, config))  # `config` is a dataclass: what `type[T]` cannot say
    values = {spec.name: getattr(args, spec.name) for spec in specs if hasattr(args, spec.name)}
    return config(**{**values, **overrides})


@functools.cache
def _described(config: type) -> tuple[dict[str, dataclasses.Field], dict[str, Any]]:
    """`config`'s fields by name and their resolved annotations, worked out once per class (every
    command builds its flags at start-up, and resolving annotations is the slow part)."""
    return {spec.name: spec for spec in dataclasses.fields(config)}, typing.get_type_hints(config)


def _default(spec: dataclasses.Field) -> Any:
    if spec.default is not dataclasses.MISSING:
        return spec.default
    if spec.default_factory is not dataclasses.MISSING:
        return spec.default_factory()
    return None


def _plain(hint: Any) -> type | None:
    """The one simple type a flag parses into: `int`, `float`, `str`, `Path` or `bool` (`X | None` -> X)."""
    if hint in (*SIMPLE, bool):
        return hint
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        kinds = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        if len(kinds) == 1:
            return _plain(kinds[0])
    return None
