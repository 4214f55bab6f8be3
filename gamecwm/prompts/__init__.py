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


# Other wordings of the prompt's first paragraph and last line, for training rows only (`gamecwm data
# --phrasings N`): a small model that saw one wording learns that wording, not the task. Phrasing 0 is
# the templates' own, the one every user and evaluation sees.
OPENINGS = (
    "Implement the two-player game below as a game code world model (GameCWM): a single Python module\n"
    "whose functions follow its rules to the letter, so that a search algorithm can plan with it.",
    "I need a GameCWM for the two-player game whose rules follow: a Python module that encodes those\n"
    "rules as plain functions, exactly, because a planner will search with it.",
    "Turn the rules of the two-player game below into Python: one module, the game's code world model\n"
    "(GameCWM), correct in every rule, for a tree-search planner to use.",
)
HIDDEN_INFORMATION = "\nIt must also model exactly what each player can and cannot see."
CLOSINGS = (
    "Reply with the full module inside one ```python fenced block.",
    "Give the entire module in a single ```python block.",
    "Write out the whole module in one ```python code block.",
)
PHRASINGS = 1 + len(OPENINGS)


def build_prompt(pack: GamePack, phrasing: int = 0) -> str:
    """The user prompt asking for `pack`'s GameCWM, chosen by its information type; `phrasing` > 0
    words its opening and closing differently (training data only)."""
    text = _template(pack.info).replace("{rules}", pack.rules.strip())
    if not 0 <= phrasing < PHRASINGS:
        raise ValueError(f"phrasing must be between 0 and {PHRASINGS - 1}, got {phrasing}")
    if phrasing == 0:
        return text
    opening, body = text.split("\n\n", 1)
    body, closing = body.rstrip().rsplit("\n", 1)
    hidden = HIDDEN_INFORMATION if pack.info == "imperfect" else ""
    return f"{OPENINGS[phrasing - 1]}{hidden}\n\n{body}\n{CLOSINGS[phrasing - 1]}\n"


def build_messages(pack: GamePack, completion: str | None = None, phrasing: int = 0) -> list[dict[str, str]]:
    """Chat messages: system, user prompt and, for training targets, the assistant's completion."""
    messages = [
        {"role": "system", "content": SYSTEM_PROMPT},
        {"role": "user", "content": build_prompt(pack, phrasing)},
    ]
    if completion is not None:
        messages.append({"role": "assistant", "content": completion})
    return messages
