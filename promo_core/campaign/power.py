"""Sample size for a minimum detectable effect, and the effect a given sample can detect.

A thin layer over statsmodels' ``NormalIndPower``: for conversions the effect size is Cohen's h
(``proportion_effectsize``), for means it is the difference over the standard deviation.
``n_control`` is statsmodels' ``nobs1`` and each variant has ``ratio`` times as many customers.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Literal

import numpy as np
import pandas as pd
from statsmodels.stats.power import NormalIndPower
from statsmodels.stats.proportion import proportion_effectsize

from promo_core.errors import SchemaError

Alternative = Literal["two-sided", "larger", "smaller"]


@dataclass(frozen=True)
class PowerResult:
    """Customers needed per arm and the detectable effect, absolute and relative to the baseline."""

    metric: Literal["proportion", "mean"]
    baseline: float
    sd: float | None
    alpha: float
    power: float
    ratio: float
    n_variants: int
    n_control: int
    n_variant: int
    n_total: int
    mde_abs: float
    mde_rel: float
    effect_size: float
    alternative: Alternative

    def summary(self) -> pd.DataFrame:
        """One row with every field."""
        return pd.DataFrame([asdict(self)])


def power_analysis(
    metric: Literal["proportion", "mean"] = "proportion",
    *,
    baseline: float,
    mde: float | None = None,
    n_control: int | None = None,
    sd: float | None = None,
    relative: bool = False,
    alpha: float = 0.05,
    power: float = 0.8,
    ratio: float = 1.0,
    n_variants: int = 1,
    alternative: Alternative = "two-sided",
) -> PowerResult:
    """Give ``mde`` (absolute, or relative to ``baseline`` with ``relative=True``) to get the sample
    size, or ``n_control`` to get the minimum detectable effect. Means need ``sd``."""
    _check_arguments(metric, baseline, mde, n_control, sd, alpha, power, ratio)
    solver = NormalIndPower()
    if mde is not None:
        mde_abs = mde * baseline if relative else mde
        effect = _effect_size(metric, baseline, mde_abs, sd)
        nobs = solver.solve_power(
            effect_size=abs(effect), nobs1=None, alpha=alpha, power=power, ratio=ratio, alternative=_side(alternative)
        )
        n1 = math.ceil(float(np.asarray(nobs).item()) - 1e-9)
    else:
        n1 = int(n_control)
        effect = float(solver.solve_power(
            effect_size=None, nobs1=n1, alpha=alpha, power=power, ratio=ratio, alternative=_side(alternative)
        ))
        mde_abs = _effect_to_difference(metric, baseline, effect, sd)
    n2 = math.ceil(n1 * ratio - 1e-9)
    return PowerResult(
        metric=metric, baseline=baseline, sd=sd, alpha=alpha, power=power, ratio=ratio, n_variants=n_variants,
        n_control=n1, n_variant=n2, n_total=n1 + n_variants * n2, mde_abs=float(mde_abs),
        mde_rel=float(mde_abs / baseline) if baseline else float("nan"), effect_size=float(abs(effect)),
        alternative=alternative,
    )


def detectable_effect(n_control: int, n_variant: int, baseline: float, sd: float, binary: bool, alpha: float) -> float:
    """The absolute lift detectable with 80% power for the given arms (NaN when undefined)."""
    if n_control < 2 or n_variant < 2 or not sd > 0:
        return float("nan")
    if binary and not 0 < baseline < 1:
        return float("nan")
    effect = float(NormalIndPower().solve_power(
        effect_size=None, nobs1=n_control, alpha=alpha, power=0.8, ratio=n_variant / n_control
    ))
    return _effect_to_difference("proportion" if binary else "mean", baseline, effect, sd)


def _side(alternative: Alternative) -> str:
    return "two-sided" if alternative == "two-sided" else "larger"


def _effect_size(metric: str, baseline: float, mde_abs: float, sd: float | None) -> float:
    if metric == "mean":
        return mde_abs / sd
    target = baseline + mde_abs
    if not 0 < target < 1:
        raise SchemaError(
            f"A lift of {mde_abs:g} on a baseline conversion of {baseline:g} gives {target:g}, outside 0-1. "
            "Choose a smaller minimum detectable effect.",
            code="power_target_outside",
            baseline=baseline,
            mde=mde_abs,
        )
    return float(proportion_effectsize(target, baseline))


def _effect_to_difference(metric: str, baseline: float, effect: float, sd: float | None) -> float:
    if metric == "mean":
        return effect * sd
    angle = min(2 * math.asin(math.sqrt(baseline)) + effect, math.pi)  # invert Cohen's h upwards
    return math.sin(angle / 2) ** 2 - baseline


def _check_arguments(metric, baseline, mde, n_control, sd, alpha, power, ratio) -> None:
    problems = []
    if metric not in ("proportion", "mean"):
        problems.append(f"metric must be 'proportion' or 'mean', not {metric!r}")
    if (mde is None) == (n_control is None):
        problems.append("give exactly one of mde and n_control")
    if mde is not None and not mde != 0:
        problems.append("mde must not be 0")
    if n_control is not None and not n_control >= 2:
        problems.append("n_control must be at least 2")
    if metric == "proportion" and not 0 < baseline < 1:
        problems.append(f"baseline conversion must lie strictly between 0 and 1, not {baseline!r}")
    if metric == "mean" and not (sd is not None and sd > 0):
        problems.append("sd must be positive for a mean")
    if not 0 < alpha < 1 or not 0 < power < 1:
        problems.append("alpha and power must lie strictly between 0 and 1")
    if not ratio > 0:
        problems.append("ratio must be positive")
    if problems:
        raise SchemaError(
            "Power analysis: " + "; ".join(problems) + ".", code="power_arguments", problems="; ".join(problems)
        )
