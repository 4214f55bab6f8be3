"""Best-of-N generation with repair rounds, as the generate screen runs it in a worker thread.

    best = generate(generator, pack, GenerateSettings(samples=4, repairs=1), verify_fn,
                    on_text=print_progress, on_sample=add_row, cancelled=lambda: False)

Each sample streams from the model, its fenced code is extracted and verified, and the best by
(reward, overall) wins. A repair round shows the model its best reply with the verifier's failing
checks and asks for a corrected module; the repair replaces the best sample only if it scores higher.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from gamecwm.games import GamePack
from gamecwm.prompts import build_messages
from gamecwm.runtime import extract_code

MAX_FEEDBACK_CHECKS = 12


class Cancelled(Exception):
    """The user cancelled the generation."""


@dataclass
class GenerateSettings:
    model_path: str | None = None  # None: the embedded default GGUF
    temperature: float = 0.3
    samples: int = 1
    repairs: int = 0
    max_tokens: int = 4096
    seed: int = 0


@dataclass
class Sample:
    index: int  # position in the samples table, from 1
    kind: str  # "sample" or "repair"
    text: str
    code: str | None
    report: Any | None  # the verifier's Report, None when the reply holds no code

    @property
    def label(self) -> str:
        return f"{self.kind} {self.index}"

    @property
    def rank(self) -> tuple[float, float]:
        if self.report is None:
            return (-1.0, -1.0)
        return (self.report.reward, self.report.overall)


def repair_message(report: Any) -> str:
    """The user turn of a repair round: the failing checks, each with its detail, then the request."""
    failing = [f"- {tier} / {c.name}: {c.detail}" for tier, t in report.tiers.items() for c in t.checks if not c.passed]
    lines = ["Your module fails these checks of the verifier:", *failing[:MAX_FEEDBACK_CHECKS]]
    if len(failing) > MAX_FEEDBACK_CHECKS:
        lines.append(f"- ... and {len(failing) - MAX_FEEDBACK_CHECKS} more")
    if report.reason:
        lines.append(f"Reason: {report.reason}")
    lines.append("Fix them and reply with the complete corrected module in a single ```python block.")
    return "\n".join(lines)


def generate(
    generator: Any,
    pack: GamePack,
    settings: GenerateSettings,
    verify_fn: Callable[[str, GamePack], Any],
    *,
    on_text: Callable[[str, str], None],
    on_sample: Callable[[Sample], None],
    cancelled: Callable[[], bool],
    on_verify: Callable[[str], None] = lambda label: None,
) -> Sample | None:
    """Run the samples and repair rounds; returns the best sample with code (None if none had code)."""
    messages = build_messages(pack)
    best: Sample | None = None
    for step in range(settings.samples + settings.repairs):
        if step < settings.samples:
            kind, index, prompt = "sample", step + 1, messages
        elif best is None or best.report.reward >= 1.0:
            break  # nothing to repair, or nothing left to fix
        else:
            kind, index = "repair", step - settings.samples + 1
            prompt = [
                *messages,
                {"role": "assistant", "content": best.text},
                {"role": "user", "content": repair_message(best.report)},
            ]
        label = f"{kind} {index}"
        text = _stream(generator, prompt, settings, settings.seed + step, label, on_text, cancelled)
        code = extract_code(text)
        if code:
            on_verify(label)
        report = verify_fn(code, pack) if code else None
        if cancelled():
            raise Cancelled
        sample = Sample(index=index, kind=kind, text=text, code=code, report=report)
        on_sample(sample)
        if code is not None and (best is None or sample.rank > best.rank):
            best = sample
    return best


def _stream(
    generator: Any,
    messages: list[dict[str, str]],
    settings: GenerateSettings,
    seed: int,
    label: str,
    on_text: Callable[[str, str], None],
    cancelled: Callable[[], bool],
) -> str:
    text = ""
    stream = generator.stream(messages, temperature=settings.temperature, max_tokens=settings.max_tokens, seed=seed)
    try:
        for chunk in stream:
            if cancelled():
                raise Cancelled
            text += chunk
            on_text(label, text)
    finally:
        close = getattr(stream, "close", None)
        if close is not None:
            close()  # stops the model mid-reply when cancelled
    return text
