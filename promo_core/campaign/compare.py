"""One variant against the control from sufficient statistics: lift, intervals, p-value, Bayes, MDE.

Tests and intervals are statsmodels' and scipy's (pooled two-proportion z-test, Newcombe interval
for a difference of proportions, Welch's t-test from summary statistics). Two pieces are written
here because no kept library offers them from sufficient statistics: the delta-method interval of
the relative lift m1/m0 - 1, and the Bayesian chance to beat control (an integral of Beta posteriors
for conversions, a normal approximation for continuous metrics).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
from scipy import integrate, stats
from statsmodels.stats.proportion import confint_proportions_2indep, proportions_ztest

from promo_core.campaign.power import detectable_effect


@dataclass(frozen=True)
class Arm:
    """An arm's size, mean and variance (ddof=1); ``successes`` for a plain conversion metric."""

    n: int
    mean: float
    var: float
    successes: int | None = None

    @property
    def se2(self) -> float:
        """Squared standard error of the mean (p(1-p)/n for conversions)."""
        if self.successes is not None:
            return self.mean * (1 - self.mean) / self.n
        return self.var / self.n


def compare_arms(control: Arm, variant: Arm, alpha: float) -> dict[str, float]:
    """Absolute and relative lift with intervals, test statistic, p-value, chance to beat, MDE."""
    binary = control.successes is not None and variant.successes is not None
    diff = variant.mean - control.mean
    se = float(np.sqrt(variant.se2 + control.se2))
    if binary:
        statistic, p_value = _proportions_test(control, variant)
        low, high = confint_proportions_2indep(
            variant.successes, variant.n, control.successes, control.n, compare="diff", method="newcomb", alpha=alpha
        )
        prob = beta_beat_probability(control, variant)
        sd = float(np.sqrt(control.mean * (1 - control.mean)))
    else:
        statistic, p_value, low, high = _welch(control, variant, alpha)
        prob = float(stats.norm.cdf(diff / se)) if se > 0 else float(diff > 0)
        sd = float(np.sqrt(control.var))
    rel, rel_low, rel_high = relative_lift(control, variant, alpha)
    mde = detectable_effect(control.n, variant.n, control.mean, sd, binary, alpha)
    return {
        "abs_lift": diff, "abs_lift_low": float(low), "abs_lift_high": float(high), "se": se,
        "rel_lift": rel, "rel_lift_low": rel_low, "rel_lift_high": rel_high,
        "statistic": statistic, "p_value": p_value, "prob_beat_control": prob, "mde": mde,
    }


def _proportions_test(control: Arm, variant: Arm) -> tuple[float, float]:
    pooled = (control.successes + variant.successes) / (control.n + variant.n)
    if pooled in (0.0, 1.0):  # every customer did the same in both arms: no evidence of a difference
        return 0.0, 1.0
    statistic, p_value = proportions_ztest([variant.successes, control.successes], [variant.n, control.n])
    return float(statistic), float(p_value)


def _welch(control: Arm, variant: Arm, alpha: float) -> tuple[float, float, float, float]:
    a, b = variant.var / variant.n, control.var / control.n
    diff = variant.mean - control.mean
    if a + b == 0:
        return 0.0, (1.0 if diff == 0 else 0.0), diff, diff
    result = stats.ttest_ind_from_stats(
        variant.mean, np.sqrt(variant.var), variant.n, control.mean, np.sqrt(control.var), control.n, equal_var=False
    )
    df = (a + b) ** 2 / (a * a / (variant.n - 1) + b * b / (control.n - 1))
    half = stats.t.ppf(1 - alpha / 2, df) * np.sqrt(a + b)
    return float(result.statistic), float(result.pvalue), diff - half, diff + half


def relative_lift(control: Arm, variant: Arm, alpha: float) -> tuple[float, float, float]:
    """m1/m0 - 1 with a delta-method interval; log-adjusted ratio interval when a rate is 0 or 1."""
    if control.mean == 0:
        return float("nan"), float("nan"), float("nan")
    rel = variant.mean / control.mean - 1
    if control.successes is not None and variant.successes is not None and _degenerate(control, variant):
        low, high = confint_proportions_2indep(
            variant.successes, variant.n, control.successes, control.n, compare="ratio", method="log-adjusted",
            alpha=alpha,
        )
        return rel, float(low) - 1, float(high) - 1
    se = np.sqrt(variant.se2 / control.mean**2 + variant.mean**2 * control.se2 / control.mean**4)
    half = stats.norm.ppf(1 - alpha / 2) * se
    return rel, float(rel - half), float(rel + half)


def _degenerate(control: Arm, variant: Arm) -> bool:
    return any(arm.successes in (0, arm.n) for arm in (control, variant))


def beta_beat_probability(control: Arm, variant: Arm) -> float:
    """P(p_variant > p_control) under independent Beta(1 + successes, 1 + failures) posteriors."""
    post_c = stats.beta(1 + control.successes, 1 + control.n - control.successes)
    post_v = stats.beta(1 + variant.successes, 1 + variant.n - variant.successes)
    low = min(post_c.ppf(1e-12), post_v.ppf(1e-12))
    high = max(post_c.isf(1e-12), post_v.isf(1e-12))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", integrate.IntegrationWarning)
        value, _ = integrate.quad(
            lambda p: post_c.pdf(p) * post_v.sf(p), low, high, points=[post_c.mean(), post_v.mean()], limit=200,
            epsabs=1e-12, epsrel=1e-10,
        )
    return float(min(max(value, 0.0), 1.0))
