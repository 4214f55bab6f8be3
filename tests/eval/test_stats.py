"""Bootstrap intervals: known cases, an independent numpy computation, paired differences."""

from __future__ import annotations

import math

import numpy as np
import pytest

from gamecwm.eval.stats import paired_differences, paired_summary, quantile, summarize
from tests.eval.fakes import numpy_interval


def test_constant_data_has_a_zero_width_interval():
    s = summarize([0.75] * 12, resamples=500, seed=3)
    assert s.mean == 0.75 and s.n == 12
    assert s.ci90 == s.ci95 == (0.75, 0.75)


def test_no_data_gives_nan_and_null_json():
    s = summarize([])
    assert s.n == 0 and math.isnan(s.mean)
    assert s.to_json() == {"mean": None, "n": 0, "ci90": [None, None], "ci95": [None, None]}


@pytest.mark.parametrize("seed", [0, 7])
def test_interval_matches_a_direct_numpy_percentile_computation(seed):
    values = [0.0, 0.25, 1.0, 1.0, 0.5, 0.0, 0.75, 0.3]
    s = summarize(values, resamples=3000, seed=seed)
    assert s.mean == pytest.approx(np.mean(values))
    assert s.ci90 == pytest.approx(numpy_interval(values, 0.90, 3000, seed), abs=1e-12)
    assert s.ci95 == pytest.approx(numpy_interval(values, 0.95, 3000, seed), abs=1e-12)


def test_two_point_case_checkable_by_hand():
    # Resamples of [0, 1] have mean 0 (1/4), 1/2 (1/2) or 1 (1/4): both central intervals span [0, 1],
    # and about a quarter of the means are 0.
    s = summarize([0.0, 1.0], resamples=4000, seed=1)
    assert s.ci90 == (0.0, 1.0) and s.ci95 == (0.0, 1.0)


def test_known_proportion_matches_the_normal_approximation():
    # 50 successes in 100: the standard error is 0.05, so the 95% interval is about 0.5 +- 0.098
    # and the 90% one about 0.5 +- 0.082.
    s = summarize([1.0] * 50 + [0.0] * 50, resamples=10_000, seed=0)
    assert s.ci95[0] == pytest.approx(0.402, abs=0.012) and s.ci95[1] == pytest.approx(0.598, abs=0.012)
    assert s.ci90[0] == pytest.approx(0.418, abs=0.012) and s.ci90[1] == pytest.approx(0.582, abs=0.012)
    assert s.ci95[0] < s.ci90[0] < s.mean < s.ci90[1] < s.ci95[1]


def test_the_seed_fixes_the_interval():
    values = [0.1, 0.9, 0.4, 0.7, 0.2]
    assert summarize(values, seed=5) == summarize(values, seed=5)
    assert summarize(values, resamples=200, seed=5).ci95 != summarize(values, resamples=200, seed=6).ci95


@pytest.mark.parametrize("q", [0.0, 0.025, 0.05, 0.5, 0.95, 0.975, 1.0])
def test_quantile_interpolates_like_numpy(q):
    values = sorted([0.3, 0.1, 0.9, 0.4, 0.4, 0.8, 0.05])
    assert quantile(values, q) == pytest.approx(np.percentile(values, 100 * q))


def test_paired_differences_use_only_shared_keys():
    a = {("y", "0"): 1.0, ("y", "1"): 0.5, ("y", "2"): 0.25}
    b = {("y", "0"): 0.75, ("y", "1"): 0.5, ("y", "9"): 0.0}
    assert paired_differences(a, b) == [0.25, 0.0]
    shifted = {key: value - 0.125 for key, value in a.items()}
    s = paired_summary(a, shifted, resamples=300)
    assert s.n == 3 and s.mean == pytest.approx(0.125)
    assert s.ci95 == pytest.approx((0.125, 0.125))


def test_bad_arguments_are_rejected():
    with pytest.raises(ValueError, match="resamples"):
        summarize([1.0], resamples=0)
