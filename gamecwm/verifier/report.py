"""Verification reports and the two scores computed from them.

- `overall` (evaluation, strict): each tier scores the fraction of its checks that pass; `overall` is
  the unweighted mean of the applicable paper tiers. It is not the published evaluator's score: that
  one is `published_overall` (`published.py`, `--scoring published`).
- `reward` (GRPO): graded tier scores (a dynamics check that held in 97 of 100 games counts 0.97),
  weighted 0.15/0.25/0.30/0.30 and renormalised over the applicable tiers, with gates: an incomplete
  API earns the static term only, dynamics below 0.5 earns nothing from the semantic tiers, and a
  stubbed `resample_history` costs a penalty.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

PAPER_TIERS = ("static", "dynamics", "scenarios", "information")
REFERENCE_TIERS = ("trajectory", "information_sets")
DEFAULT_WEIGHTS = {"static": 0.15, "dynamics": 0.25, "scenarios": 0.30, "information": 0.30}


MAX_DETAIL = 600
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def clean_text(text: object, limit: int = MAX_DETAIL) -> str:
    """Text a candidate may have shaped, safe to show anywhere: control characters (terminal escapes,
    bidirectional overrides) replaced by their code, and bounded. Rich markup is escaped where shown."""
    text = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", str(text))
    return text if len(text) <= limit else text[: limit - 3] + "..."


@dataclass
class Check:
    name: str
    passed: bool
    detail: str
    score: float | None = None  # graded credit for the reward; defaults to 1.0/0.0 from `passed`

    def __post_init__(self) -> None:
        self.detail = clean_text(self.detail)
        self.passed = self.passed is True
        if self.score is not None:
            score = float(self.score)
            self.score = min(1.0, max(0.0, score)) if score == score else 0.0

    @property
    def credit(self) -> float:
        return float(self.passed) if self.score is None else self.score

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "passed": self.passed, "detail": self.detail}


@dataclass
class Tier:
    checks: list[Check]

    @property
    def score(self) -> float:
        return sum(c.passed for c in self.checks) / len(self.checks) if self.checks else 0.0

    @property
    def graded(self) -> float:
        return sum(c.credit for c in self.checks) / len(self.checks) if self.checks else 0.0

    def to_json(self) -> dict[str, Any]:
        return {"score": self.score, "checks": [c.to_json() for c in self.checks]}


@dataclass
class RewardConfig:
    weights: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    dynamics_gate: float = 0.5
    stub_penalty: float = 0.1


@dataclass
class Report:
    file: str
    game: str
    info: str
    tiers: dict[str, Tier]
    elapsed_s: float = 0.0
    api_complete: bool = False
    stub: bool = False
    reason: str | None = None  # why checks could not run (refused, timed out, crashed), if they could not
    isolation: str = ""  # the sandbox's isolation level (`gamecwm.sandbox.isolation`), in words
    scoring: str = "strict"  # strict, published or both (`published.py`)
    published: dict[str, Tier] | None = None  # the published evaluator's tiers, when asked for
    reward_config: RewardConfig = field(default_factory=RewardConfig)

    @property
    def overall(self) -> float:
        """The strict overall; with `scoring="published"` alone, the published one."""
        if self.scoring == "published":
            return self.published_overall or 0.0
        scores = [self.tiers[t].score for t in PAPER_TIERS if t in self.tiers]
        return sum(scores) / len(scores) if scores else 0.0

    @property
    def published_overall(self) -> float | None:
        """The published evaluator's per-sample score: the mean of its tiers that have checks."""
        return None if self.published is None else published_overall(self.published)

    @property
    def reward(self) -> float:
        return compute_reward(self, self.reward_config)

    def failing_checks(self) -> list[str]:
        """`tier/check: detail` for every failing check, in tier order (what a repair prompt shows)."""
        return [f"{name}/{check.name}: {check.detail}" for name, tier in self.tiers.items() for check in tier.checks
                if not check.passed]  # fmt: skip

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "game": self.game,
            "info": self.info,
            "tiers": {name: tier.to_json() for name, tier in self.tiers.items()},
            "overall": self.overall,
            "reward": self.reward,
            "isolation": self.isolation,
            "reason": clean_text(self.reason) if self.reason else None,
            "elapsed_s": round(self.elapsed_s, 3),
        } | (
            {}
            if self.published is None
            else {
                "published": {
                    "overall": self.published_overall,
                    "tiers": {name: tier.to_json() for name, tier in self.published.items()},
                }
            }
        )


def published_overall(tiers: dict[str, Tier]) -> float:
    """The published evaluator's per-sample score: the unweighted mean of the tiers' pass fractions,
    over the tiers that have checks (a sample whose run timed out keeps only some)."""
    scores = [tiers[name].score for name in PAPER_TIERS if name in tiers and tiers[name].checks]
    return sum(scores) / len(scores) if scores else 0.0


def compute_reward(report: Report, config: RewardConfig) -> float:
    weights = {t: w for t, w in config.weights.items() if t in report.tiers and w > 0}
    total = sum(weights.values())
    if not total:
        return 0.0
    credit = {t: report.tiers[t].graded for t in weights}
    if not report.api_complete:
        credit = {t: (v if t == "static" else 0.0) for t, v in credit.items()}
    elif credit.get("dynamics", 1.0) < config.dynamics_gate:
        credit = {t: (v if t in ("static", "dynamics") else 0.0) for t, v in credit.items()}
    reward = sum(weights[t] * credit[t] for t in weights) / total
    if report.stub:
        reward -= config.stub_penalty
    return max(0.0, min(1.0, reward))
