"""The GRPO reward: extract each completion's code block and score it with the sandboxed verifier.

    reward = VerifierReward(fuzz_games=10)
    reward(prompts=[...], completions=[[{"role": "assistant", "content": "```python ...```"}]], game_id=["pig"])

TRL calls the reward function with the batch's prompts, completions and the dataset's other columns
(`game_id` here). Completions of a group are verified in parallel, each in its own sandboxed worker; a
reply without a code block scores 0 without starting one. Per-tier means, the share of replies with
code and the share of perfect modules go to TRL's metrics through `log_metric`, so a run shows which
tier the model is learning.
"""

from __future__ import annotations

import dataclasses
import os
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from gamecwm.games import GamePack, get_pack
from gamecwm.runtime.extract import extract_code


def completion_text(completion: Any) -> str:
    """The text of a completion: a plain string, or the content of a conversational reply."""
    if isinstance(completion, str):
        return completion
    if isinstance(completion, list):
        return "".join(m.get("content") or "" for m in completion if m.get("role", "assistant") == "assistant")
    if isinstance(completion, dict):
        return completion.get("content") or ""
    raise TypeError(f"cannot read a completion of type {type(completion).__name__}")


class VerifierReward:
    """A TRL reward function: one float per completion, from the verifier's GRPO reward."""

    __name__ = "verifier"  # TRL names the reward column after the function

    def __init__(
        self,
        fuzz_games: int = 10,
        jobs: int = 0,
        scenarios: bool = True,
        verify: Callable[[str, GamePack], Any] | None = None,
        isolation: str = "required",
    ) -> None:
        from gamecwm.verifier import VerifyConfig

        self.config = VerifyConfig.for_reward(fuzz_games=fuzz_games, isolation=isolation)
        self.jobs = jobs or os.cpu_count() or 1
        self.scenarios = scenarios
        self._verify = verify
        self._packs: dict[str, GamePack] = {}
        self.calls = 0

    def pack(self, game_id: str) -> GamePack:
        if game_id not in self._packs:
            pack = get_pack(game_id)
            if not self.scenarios:  # the --no-scenarios ablation: the reward never sees the scenario tier
                pack = dataclasses.replace(pack, scenarios=[])
            self._packs[game_id] = pack
        return self._packs[game_id]

    def reports(self, texts: list[str], game_ids: list[str]) -> list[Any]:
        """Verifier reports (None where a reply has no code), verified in parallel."""
        from concurrent.futures import ThreadPoolExecutor

        from gamecwm.verifier import verify

        def one(item: tuple[str, str]) -> Any:
            code = extract_code(item[0])
            if code is None:
                return None
            if self._verify is not None:
                return self._verify(code, self.pack(item[1]))
            return verify(code, self.pack(item[1]), self.config, file=f"<{item[1]} completion>")

        with ThreadPoolExecutor(max_workers=self.jobs) as pool:
            return list(pool.map(one, zip(texts, game_ids, strict=True)))

    def __call__(
        self,
        prompts: list[Any],
        completions: list[Any],
        game_id: list[str],
        log_metric: Callable[[str, float], None] | None = None,
        **_: Any,
    ) -> list[float]:
        self.calls += 1
        reports = self.reports([completion_text(c) for c in completions], list(game_id))
        rewards = [r.reward if r is not None else 0.0 for r in reports]
        if log_metric is not None:
            for name, value in batch_metrics(reports, rewards).items():
                log_metric(name, value)
        return rewards


def batch_metrics(reports: list[Any], rewards: list[float]) -> dict[str, float]:
    """Share of replies with code, share of perfect modules, mean overall and each tier's mean score."""
    n = len(reports) or 1
    with_code = [r for r in reports if r is not None]
    metrics = {
        "verifier/has_code": len(with_code) / n,
        "verifier/perfect": sum(reward >= 1.0 for reward in rewards) / n,
        "verifier/overall": sum(r.overall for r in with_code) / n,
    }
    tiers: dict[str, list[float]] = defaultdict(list)
    for report in reports:
        if report is not None:
            for name, tier in report.tiers.items():
                tiers[name].append(tier.score)
    for name, scores in tiers.items():  # a tier's mean over the replies where it applies
        metrics[f"verifier/{name}"] = sum(scores) / len(scores)
    return metrics
