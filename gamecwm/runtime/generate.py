"""Best-of-N generation with verifier-guided repair: the one engine behind `gamecwm generate`, `demo`
and the TUI's generate screen.

    >>> from gamecwm.games import get_pack
    >>> from gamecwm.runtime import GenerateConfig, LlamaGenerator, generate
    >>> best = generate(get_pack("gen_tic_tac_toe"), LlamaGenerator(), GenerateConfig(samples=2))[0]
    >>> best.reward  # doctest: +SKIP

First N samples are drawn (sample k with seed `seed + k - 1`), each reply's code extracted and scored
by the verifier (by default the GRPO reward's settings: 10 fuzz games, sandboxed). Then up to R repair
rounds improve the best draft so far: the model sees the conversation, that draft and its failing
checks (`Report.failing_checks`, at most 8 shown) and answers with a corrected module; a repair that
scores higher becomes the draft the next round repairs. Rounds stop once a draft reaches reward 1.0,
so "4 samples, 1 repair" asks the model at most 5 times. Drafts come back best first.

Callers watch and steer through keyword callbacks: `on_text(label, chunk)` as a reply streams,
`on_verify(label)` before its verification, `on_draft(draft)` once it is scored, and `cancelled()`,
polled between chunks, which stops the model mid-reply and raises `Cancelled`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from gamecwm.games import GamePack
from gamecwm.prompts import build_messages
from gamecwm.runtime.extract import extract_code

MAX_FAILURES_SHOWN = 8


class Cancelled(Exception):
    """The caller cancelled the generation."""


@dataclass
class GenerateConfig:
    samples: int = field(default=4, metadata={"help": "samples to draw (best-of-N)"})
    repair: int = field(default=0, metadata={"help": "repair rounds on the best draft, fed its failing checks"})
    temperature: float = field(default=0.3, metadata={"help": "sampling temperature"})
    max_tokens: int = field(default=4096, metadata={"help": "token budget per reply"})
    seed: int = field(default=0, metadata={"help": "seed of the first reply (each later reply uses the next)"})

    def __post_init__(self) -> None:
        if self.samples < 1 or self.repair < 0 or self.max_tokens < 1:
            raise ValueError("samples and max_tokens must be at least 1, repair at least 0")

    @property
    def max_replies(self) -> int:
        return self.samples + self.repair


@dataclass
class Draft:
    """One reply of the model: sample k (from 1), or repair round k of the best draft before it."""

    kind: str  # "sample" or "repair"
    index: int
    seed: int
    text: str
    code: str | None
    report: Any = None  # the verifier's Report, when the reply held code

    @property
    def label(self) -> str:
        return f"{self.kind} {self.index}"

    @property
    def reward(self) -> float:
        return self.report.reward if self.report is not None else 0.0

    @property
    def overall(self) -> float:
        return self.report.overall if self.report is not None else 0.0

    @property
    def rank(self) -> tuple[float, float, bool]:
        return (self.reward, self.overall, self.code is not None)


def repair_messages(pack: GamePack, draft: Draft) -> list[dict[str, str]]:
    """The original conversation, the draft's module, and what the verifier found wrong with it."""
    if draft.code is None:
        feedback = "Your answer contained no Python code block."
    else:
        failures = draft.report.failing_checks()
        lines = [f"- {line}" for line in failures[:MAX_FAILURES_SHOWN]]
        if len(failures) > MAX_FAILURES_SHOWN:
            lines.append(f"- ... and {len(failures) - MAX_FAILURES_SHOWN} more")
        if draft.report.reason:
            lines.append(f"Reason: {draft.report.reason}")
        feedback = "A verifier ran your module and these checks failed:\n" + "\n".join(lines)
    reply = f"```python\n{draft.code}```" if draft.code else draft.text
    return build_messages(pack, completion=reply) + [
        {
            "role": "user",
            "content": f"{feedback}\n\nFix every problem and answer with the complete corrected module in a "
            "single ```python code block.",
        }
    ]


def generate(
    pack: GamePack,
    generator: Any,
    config: GenerateConfig | None = None,
    *,
    verify: Callable[[str, GamePack], Any] | None = None,
    on_text: Callable[[str, str], None] | None = None,
    on_verify: Callable[[str], None] | None = None,
    on_draft: Callable[[Draft], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> list[Draft]:
    """Draw, verify and repair drafts for `pack`; all of them, best first."""
    config = config or GenerateConfig()
    verify = verify or reward_verify
    cancelled = cancelled or (lambda: False)
    drafts: list[Draft] = []
    best: Draft | None = None
    for step in range(config.max_replies):
        if step < config.samples:
            kind, index, messages = "sample", step + 1, build_messages(pack)
        elif best is None or best.reward >= 1.0:
            break  # nothing left to fix
        else:
            kind, index, messages = "repair", step - config.samples + 1, repair_messages(pack, best)
        label, seed = f"{kind} {index}", config.seed + step
        text = "".join(_stream(generator, messages, config, seed, label, on_text, cancelled))
        code = extract_code(text)
        if code is not None and on_verify is not None:
            on_verify(label)
        draft = Draft(kind, index, seed, text, code, verify(code, pack) if code else None)
        if cancelled():
            raise Cancelled
        drafts.append(draft)
        if on_draft is not None:
            on_draft(draft)
        if best is None or draft.rank > best.rank:
            best = draft
    return sorted(drafts, key=lambda d: d.rank, reverse=True)  # stable: the earlier of equal drafts first


def _stream(generator: Any, messages: list, config: GenerateConfig, seed: int, label: str,
            on_text: Callable[[str, str], None] | None, cancelled: Callable[[], bool]) -> Iterator[str]:  # fmt: skip
    stream = generator.stream(messages, temperature=config.temperature, max_tokens=config.max_tokens, seed=seed)
    try:
        for chunk in stream:
            if cancelled():
                raise Cancelled
            if on_text is not None:
                on_text(label, chunk)
            yield chunk
    finally:
        close = getattr(stream, "close", None)
        if close is not None:
            close()  # stops the model mid-reply when cancelled


def reward_verify(code: str, pack: GamePack) -> Any:
    """How drafts are ranked unless the caller says otherwise: the GRPO reward's verifier settings."""
    from gamecwm.verifier import VerifyConfig, verify

    return verify(code, pack, VerifyConfig.for_reward())
