"""What the terminal UI asks of the rest of gamecwm, behind three injectable functions.

    from gamecwm.tui.app import make_app
    make_app(game="tic_tac_toe", verify_fn=lambda source, pack: my_fake_report).run()

`Services` holds a generator factory (model path -> object with `.stream(messages, ...)`), a verify
function (source, pack -> `Report`) and an engine factory (`Candidate` -> engine with `info` and
`choose`). The defaults import llama.cpp, the verifier and the search engines only when first used,
so the app starts fast; tests pass fakes through `make_app(...)`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gamecwm.games import GamePack, get_pack


@dataclass(frozen=True)
class Candidate:
    """A GameCWM to verify or play: the pack's trusted reference (`source is None`) or untrusted source."""

    pack: GamePack
    source: str | None = None
    label: str = ""

    @property
    def is_reference(self) -> bool:
        return self.source is None

    @property
    def name(self) -> str:
        return self.label or (f"{self.pack.id} reference" if self.is_reference else f"{self.pack.id} candidate")

    def code(self) -> str:
        return self.pack.reference_source if self.source is None else self.source


def default_generator_factory(model_path: str | None) -> Any:
    """llama.cpp generation with the embedded SmolLM2 GGUF and our adapter (`None`), the embedded GGUF
    alone (`"base"`) or the GGUF at `model_path`.

    A missing model or llama-cpp-python raises an error that says how to fix it (shown as a notification).
    """
    from gamecwm.runtime import LlamaGenerator

    return LlamaGenerator(model_path=model_path)


def default_verify(source: str, pack: GamePack) -> Any:
    """The evaluation setting of the sandboxed verifier (100 fuzz games, reference tiers)."""
    from gamecwm.verifier import VerifyConfig, verify

    return verify(source, pack, VerifyConfig())


def default_engine_factory(candidate: Candidate) -> Any:
    """A catalog reference runs in this process; any other source runs, with its searches, sandboxed."""
    from gamecwm.search.engine import LocalEngine, SandboxEngine

    if candidate.is_reference:
        return LocalEngine(candidate.pack.reference, name=candidate.name)
    return SandboxEngine(candidate.source, name=candidate.name)


def default_rank(source: str, pack: GamePack) -> Any:
    """How the generate screen ranks drafts: as `gamecwm generate` does (the GRPO reward's settings)."""
    from gamecwm.runtime.generate import reward_verify

    return reward_verify(source, pack)


@dataclass
class Services:
    generator_factory: Callable[[str | None], Any] = default_generator_factory
    verify_fn: Callable[[str, GamePack], Any] = default_verify  # the verify screen's full verification
    engine_factory: Callable[[Candidate], Any] = default_engine_factory
    rank_fn: Callable[[str, GamePack], Any] = default_rank  # scores each generated draft


# The first fenced block, closed or (while the reply streams) not yet
FENCE = re.compile(r"```[ \t]*(?:python|py|python3)?[ \t]*\n(.*?)(?:```|\Z)", re.DOTALL | re.IGNORECASE)


def visible_code(text: str) -> str:
    """What to show while a reply streams: the code inside its first fence once the fence has opened."""
    match = FENCE.search(text)
    return match.group(1) if match else text


def open_target(path: str, selected: GamePack | None) -> tuple[GamePack, Candidate | None]:
    """Open a pack folder (its reference becomes the subject) or a GameCWM `.py` file.

    A `.py` file inside a pack folder is a candidate for that pack; elsewhere, for the selected game.
    """
    target = Path(path).expanduser()
    if target.is_dir():
        return get_pack(target), None
    if not target.is_file():
        raise FileNotFoundError(f"not found: {target}; give a pack folder or a GameCWM .py file")
    if target.suffix != ".py":
        raise ValueError(f"{target} is neither a pack folder nor a .py file")
    if (target.parent / "game.toml").is_file():
        pack = get_pack(target.parent)
    elif selected is not None:
        pack = selected
    else:
        raise ValueError(f"pick the game {target.name} implements in the catalog first, then open it")
    return pack, Candidate(pack, target.read_text(encoding="utf-8"), label=target.name)
