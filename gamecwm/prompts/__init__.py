"""Generation prompts: our wording of the task for perfect- and imperfect-information games.

    >>> from gamecwm.games import get_pack
    >>> from gamecwm.prompts import build_messages
    >>> messages = build_messages(get_pack("kuhn_poker"))
    >>> [m["role"] for m in messages]
    ['system', 'user']

`gamecwm prompt GAME` prints the user prompt. Training data, the runtime and evaluation all build
prompts here, so a model sees the same wording when it is trained and when it is used.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from gamecwm.games import GamePack

PROMPT_DIR = Path(__file__).resolve().parent
SYSTEM_PROMPT = (
    "You are an expert Python programmer who implements board, card and dice games as precise, readable game engines."
)


@cache
def _template(info: str) -> str:
    return (PROMPT_DIR / f"{info}.md").read_text(encoding="utf-8")


def build_prompt(pack: GamePack) -> str:
    """The user prompt asking for `pack`'s GameCWM, chosen by its information type."""
    return _template(pack.info).replace("{rules}", pack.rules.strip())


def build_messages(pack: GamePack, completion: str | None = None) -> list[dict[str, str]]:
    """Chat messages: system, user prompt and, for training targets, the assistant's completion."""
    messages = [
        {"role": "system", "content": SYSTEM_PROMPT},
        {"role": "user", "content": build_prompt(pack)},
    ]
    if completion is not None:
        messages.append({"role": "assistant", "content": completion})
    return messages
