"""Best-of-N generation with verifier-guided repair.

    >>> from gamecwm.games import get_pack
    >>> from gamecwm.runtime import GenerateConfig, LlamaGenerator, generate
    >>> best = generate(get_pack("gen_tic_tac_toe"), LlamaGenerator(), GenerateConfig(samples=2))[0]
    >>> best.reward  # doctest: +SKIP

Each of N samples is generated, its code extracted and scored with the verifier's GRPO reward (10
fuzz games, sandboxed). A sample that is not perfect gets up to K repair rounds: the model sees its
own module and the failing checks' details and answers with a corrected module; the better of the two
is kept. Candidates come back best first.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from gamecwm.games import GamePack
from gamecwm.prompts import build_messages
from gamecwm.runtime.extract import extract_code

MAX_FAILURES_SHOWN = 8


@dataclass
class GenerateConfig:
    samples: int = field(default=4, metadata={"help": "samples to draw (best-of-N)"})
    repair: int = field(default=0, metadata={"help": "repair rounds per sample, fed the failing checks"})
    temperature: float = field(default=0.3, metadata={"help": "sampling temperature"})
    max_tokens: int = field(default=4096, metadata={"help": "token budget per reply"})
    seed: int = field(default=0, metadata={"help": "seed of the first sample (sample k uses seed + k)"})

    def __post_init__(self) -> None:
        if self.samples < 1 or self.repair < 0 or self.max_tokens < 1:
            raise ValueError("samples and max_tokens must be at least 1, repair at least 0")


@dataclass
class Candidate:
    sample: int
    round: int  # 0 for the first draw, k for the k-th repair
    text: str
    code: str | None
    report: Any = None  # the verifier's Report, when there was code to verify

    @property
    def reward(self) -> float:
        return self.report.reward if self.report is not None else 0.0

    @property
    def overall(self) -> float:
        return self.report.overall if self.report is not None else 0.0


def failing_checks(report: Any) -> list[str]:
    """'tier/check: detail' for every failing check, for a repair prompt."""
    return [f"{tier}/{check.name}: {check.detail}" for tier, t in report.tiers.items() for check in t.checks
            if not check.passed]  # fmt: skip


def repair_messages(pack: GamePack, candidate: Candidate) -> list[dict[str, str]]:
    """The original conversation, the model's module, and what the verifier found wrong with it."""
    if candidate.code is None:
        feedback = "Your answer contained no Python code block."
    else:
        failures = failing_checks(candidate.report)
        shown = "\n".join(f"- {line}" for line in failures[:MAX_FAILURES_SHOWN])
        more = f"\n- ... and {len(failures) - MAX_FAILURES_SHOWN} more" if len(failures) > MAX_FAILURES_SHOWN else ""
        feedback = f"A verifier ran your module and these checks failed:\n{shown}{more}"
    reply = f"```python\n{candidate.code}```" if candidate.code else candidate.text
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
    on_text: Callable[[str], None] | None = None,
    on_candidate: Callable[[Candidate], None] | None = None,
    verify: Callable[[str, GamePack], Any] | None = None,
) -> list[Candidate]:
    """Draw, verify and repair candidates for `pack`; all of them, best reward first."""
    config = config or GenerateConfig()
    verify = verify or _reward_verify
    candidates = []
    for sample in range(config.samples):
        messages = build_messages(pack)
        best = None
        for round_ in range(config.repair + 1):
            text = "".join(_stream(generator, messages, config, config.seed + sample * 1000 + round_, on_text))
            code = extract_code(text)
            candidate = Candidate(sample, round_, text, code, verify(code, pack) if code else None)
            candidates.append(candidate)
            if on_candidate is not None:
                on_candidate(candidate)
            best = candidate if best is None or candidate.reward > best.reward else best
            if best.reward >= 1.0:
                break
            messages = repair_messages(pack, best)
    return sorted(candidates, key=lambda c: (c.reward, c.overall, -c.sample, -c.round), reverse=True)


def _stream(generator: Any, messages: list, config: GenerateConfig, seed: int, on_text: Any):
    for chunk in generator.stream(messages, temperature=config.temperature, max_tokens=config.max_tokens, seed=seed):
        if on_text is not None:
            on_text(chunk)
        yield chunk


def _reward_verify(code: str, pack: GamePack) -> Any:
    from gamecwm.verifier import VerifyConfig, verify

    return verify(code, pack, VerifyConfig.for_reward())
