"""One variant against the control from sufficient statistics: lift, intervals, p-value, Bayes, MDE.

Tests and intervals are statsmodels' and scipy's (pooled two-proportion z-test, Newcombe interval
for a difference of proportions, Welch's t-test from summary statistics). Two pieces are written
here because no kept library offers them from sufficient statistics: the interval of the relative
lift m1/m0 - 1, and the Bayesian chance to beat control (an integral of Beta posteriors for
conversions, a normal approximation for continuous metrics).

The relative interval is built from the same per-arm limits as the absolute one, so that the two
always agree on whether "no effect" is excluded (a delta-method interval of the ratio did not: its
standard error grows with m1/m0, so "+1.55 [0.09, 3.01]" sat beside "+18.9% [-0.6%, 38.5%]").
Newcombe's difference interval combines the arms' Wilson limits (MOVER-D); the ratio interval is its
twin MOVER-R (Donner & Zou 2012) on the same Wilson limits. Welch's difference interval is MOVER-D on
mean ± t·se with Welch's critical t; on those limits MOVER-R is Fieller's interval. In both pairs the
ratio's limit crosses 1 exactly when the difference's crosses 0.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
from scipy import integrate, stats
from statsmodels.stats.proportion import (
    confint_proportions_2indep,
    proportion_confint,
    proportions_ztest,
)

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
        rel, rel_low, rel_high = ratio_from_wilson(control, variant, alpha)
        prob = beta_beat_probability(control, variant)
        sd = float(np.sqrt(control.mean * (1 - control.mean)))
    else:
        statistic, p_value, critical = _welch(control, variant, alpha)
        low, high = diff - critical * se, diff + critical * se
        rel, rel_low, rel_high = fieller_ratio(control, variant, critical)
        prob = float(stats.norm.cdf(diff / se)) if se > 0 else float(diff > 0)
        sd = float(np.sqrt(control.var))
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


def _welch(control: Arm, variant: Arm, alpha: float) -> tuple[float, float, float]:
    """Welch's t statistic, p-value and critical t at ``alpha`` (0 when neither arm varies)."""
    a, b = variant.var / variant.n, control.var / control.n
    diff = variant.mean - control.mean
    if a + b == 0:
        return 0.0, (1.0 if diff == 0 else 0.0), 0.0
    result = stats.ttest_ind_from_stats(
        variant.mean, np.sqrt(variant.var), variant.n, control.mean, np.sqrt(control.var), control.n, equal_var=False
    )
    wa, wb = a / (a + b), b / (a + b)  # shares of the variance: squaring tiny variances would underflow to 0
    df = 1 / (wa * wa / (variant.n - 1) + wb * wb / (control.n - 1))
    return float(result.statistic), float(result.pvalue), float(stats.t.ppf(1 - alpha / 2, df))


_UNDEFINED = (float("nan"), float("nan"), float("nan"))


def fieller_ratio(control: Arm, variant: Arm, critical: float) -> tuple[float, float, float]:
    """m1/m0 - 1 with Fieller's interval: every ratio r with |m1 - r·m0| <= critical·sqrt(se1² + r²·se0²).

    Undefined (NaN) unless the control mean is positive; the limits are NaN when the control mean
    itself is not bounded away from 0 (m0 <= critical·se0), where no finite interval exists.
    """
    if not control.mean > 0:
        return _UNDEFINED
    rel = variant.mean / control.mean - 1
    c2 = critical * critical
    a = control.mean**2 - c2 * control.var / control.n
    if not a > 0:
        return rel, float("nan"), float("nan")
    b = variant.mean * control.mean
    c = variant.mean**2 - c2 * variant.var / variant.n
    half = np.sqrt(max(b * b - a * c, 0.0))
    return rel, float((b - half) / a - 1), float((b + half) / a - 1)


def ratio_from_wilson(control: Arm, variant: Arm, alpha: float) -> tuple[float, float, float]:
    """p1/p0 - 1 with the MOVER-R interval on the arms' Wilson limits (those of Newcombe's interval).

    Each limit is the root of (p1 - r·p0)² = (p1 - l1)² + r²·(u0 - p0)² (lower; the upper one with
    u1 and l0), written in the form that stays finite when a rate is 0. Undefined when p0 is 0.
    """
    if not control.successes > 0:
        return _UNDEFINED
    p1, p0 = variant.successes / variant.n, control.successes / control.n  # exact: summed means can leave 1e-16
    l1, u1 = proportion_confint(variant.successes, variant.n, alpha=alpha, method="wilson")
    l0, u0 = proportion_confint(control.successes, control.n, alpha=alpha, method="wilson")
    b = p1 * p0
    a_low, c_low = u0 * (2 * p0 - u0), l1 * (2 * p1 - l1)
    a_high, c_high = l0 * (2 * p0 - l0), u1 * (2 * p1 - u1)
    low = c_low / (b + np.sqrt(max(b * b - a_low * c_low, 0.0))) if c_low > 0 else 0.0
    high = (b + np.sqrt(max(b * b - a_high * c_high, 0.0))) / a_high
    return p1 / p0 - 1, float(low - 1), float(high - 1)


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
