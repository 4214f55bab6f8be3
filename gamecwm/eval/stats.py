"""Means with percentile-bootstrap confidence intervals, and paired differences; standard library only.

    >>> from gamecwm.eval.stats import summarize
    >>> s = summarize([1.0, 1.0, 0.0, 0.5], seed=0)
    >>> s.mean, s.n, s.ci95[0] <= s.mean <= s.ci95[1]
    (0.625, 4, True)

The bootstrap, exactly (so a report can be reproduced, and checked by hand): `rng = random.Random(seed)`;
`resamples` times, draw `rng.choices(values, k=len(values))` and take its mean; each interval is the
percentile interval of those means, with the linear interpolation of numpy's default `percentile`
(the (1 - level)/2 and (1 + level)/2 quantiles). Both levels come from the same resampled means.
"""

from __future__ import annotations

import math
import random
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

LEVELS = (0.90, 0.95)
RESAMPLES = 10_000


@dataclass(frozen=True)
class Summary:
    """A sample mean, its size and its 90% and 95% bootstrap intervals (NaN when there is no data)."""

    mean: float
    n: int
    ci90: tuple[float, float]
    ci95: tuple[float, float]

    def to_json(self) -> dict[str, Any]:
        return {
            "mean": _finite(self.mean),
            "n": self.n,
            "ci90": [_finite(x) for x in self.ci90],
            "ci95": [_finite(x) for x in self.ci95],
        }


def _finite(x: float) -> float | None:
    return None if math.isnan(x) else x


def quantile(sorted_values: Sequence[float], q: float) -> float:
    """The q-quantile of already sorted values, interpolated linearly (numpy's default method)."""
    if not sorted_values:
        return math.nan
    position = q * (len(sorted_values) - 1)
    low = math.floor(position)
    high = min(low + 1, len(sorted_values) - 1)
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (position - low)


def bootstrap_means(values: Sequence[float], resamples: int = RESAMPLES, seed: int = 0) -> list[float]:
    """The means of `resamples` resamples of `values` drawn with replacement, sorted."""
    if resamples < 1:
        raise ValueError(f"resamples must be at least 1, got {resamples}")
    values = list(values)
    if not values:
        return []
    rng, n = random.Random(seed), len(values)
    return sorted(math.fsum(rng.choices(values, k=n)) / n for _ in range(resamples))


def percentile_interval(means: Sequence[float], level: float) -> tuple[float, float]:
    """The central `level` interval of sorted bootstrap means."""
    if not 0 < level < 1:
        raise ValueError(f"a confidence level lies strictly between 0 and 1, got {level}")
    tail = (1 - level) / 2
    return quantile(means, tail), quantile(means, 1 - tail)


def summarize(values: Sequence[float], resamples: int = RESAMPLES, seed: int = 0) -> Summary:
    """Mean, N and 90%/95% percentile-bootstrap intervals of `values`."""
    values = list(values)
    if not values:
        return Summary(math.nan, 0, (math.nan, math.nan), (math.nan, math.nan))
    means = bootstrap_means(values, resamples, seed)
    mean = math.fsum(values) / len(values)
    return Summary(mean, len(values), percentile_interval(means, 0.90), percentile_interval(means, 0.95))


def paired_differences(a: Mapping[Hashable, float], b: Mapping[Hashable, float]) -> list[float]:
    """a[key] - b[key] for every key both have, in sorted key order (so the bootstrap is reproducible)."""
    common = sorted(set(a) & set(b), key=repr)
    return [a[key] - b[key] for key in common]


def paired_summary(
    a: Mapping[Hashable, float], b: Mapping[Hashable, float], resamples: int = RESAMPLES, seed: int = 0
) -> Summary:
    """The mean paired difference a - b over shared keys, with bootstrap intervals over the pairs."""
    return summarize(paired_differences(a, b), resamples, seed)
