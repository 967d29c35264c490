"""Where the next unit of budget goes: the split across channels that maximises the fitted outcome.

With concave curves f_c the optimum of sum f_c(x_c) under sum x_c = budget and bounds is where
every channel not at a bound has the same marginal return lambda (the KKT conditions), so
x_c(lambda) = clip(b_c log(a_c / (b_c lambda)), low_c, high_c) and scipy's ``brentq`` finds the
lambda whose split spends the budget. That is exact, never leaves a bound and cannot do worse than
any other feasible split (the current one included) on the fitted curves, which a general-purpose
SLSQP run does not promise. ``roas_target`` spends up to the budget only while total revenue stays
at least ``roas_target`` x spend. Uncertainty: every bootstrap curve set scores both splits.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from scipy.optimize import brentq

from promo_core.campaign.notes import Note, notes_frame
from promo_core.ctr.curves import N_BOOT, Outcome, ResponseCurves, fit_response_curves, saturation
from promo_core.ctr.history import daily_history
from promo_core.errors import SchemaError

Objective = Literal["conversions", "revenue", "clicks", "roas_target"]
OBJECTIVES: dict[str, Outcome] = {"conversions": "conversions", "revenue": "revenue", "clicks": "clicks",
                                   "roas_target": "revenue"}
Bounds = Mapping[str, tuple[float | None, float | None]]
REACH = 2.0
"""Default upper bound: this multiple of a channel's largest daily spend, as far as a curve is trusted."""


UNFUNDED_SPEND = 0.005
"""A recommended daily spend below this (half a cent) counts as none."""


@dataclass(frozen=True, eq=False)
class Allocation:
    """Recommended against current daily spend per channel, with the outcome each earns on the curves.

    ``table``: channel, low, high, current_spend, recommended_spend, change, current_outcome,
    recommended_outcome, marginal_return (per extra unit at the recommended spend), beyond_history
    (recommended above the largest daily spend seen, so the curve is extrapolated).
    """

    objective: Objective
    budget: float
    spend: float
    roas_target: float | None
    table: pd.DataFrame
    current_outcome: float
    expected_outcome: float
    expected_low: float
    expected_high: float
    gain: float
    gain_low: float
    gain_high: float
    interval: float
    curves: ResponseCurves
    notes: tuple[Note, ...]

    def summary(self) -> pd.DataFrame:
        return self.table.copy()

    def unfunded(self) -> pd.DataFrame:
        """Channels the split gives nothing, and why: ``reason`` "bound" (their maximum is 0) or "return".

        With concave curves the best split gives every funded channel the same return on its last unit
        (or more, at its maximum); a channel whose very first unit (``first_return``) brings less than
        that ``level`` (the lowest last-unit return among funded channels) gets nothing.
        """
        t = self.table
        zero = t["recommended_spend"] < UNFUNDED_SPEND
        funded = t.loc[~zero, "marginal_return"]
        left = t.loc[zero]
        return pd.DataFrame({
            "channel": left["channel"].to_numpy(),
            "reason": np.where(left["high"] < UNFUNDED_SPEND, "bound", "return"),
            "first_return": left["marginal_return"].to_numpy(),
            "level": float(funded.min()) if len(funded) else np.nan,
        })

    def notes_table(self) -> pd.DataFrame:
        return notes_frame(self.notes)


def optimal_split(a: np.ndarray, b: np.ndarray, low: np.ndarray, high: np.ndarray, budget: float) -> np.ndarray:
    """Spend per channel maximising sum a (1 - exp(-x / b)) with sum x = budget and low <= x <= high."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    low, high = np.asarray(low, dtype=float), np.asarray(high, dtype=float)

    def spend_at(log_lambda: float) -> np.ndarray:
        with np.errstate(divide="ignore"):
            x = b * (np.log(a / b) - log_lambda)
        return np.clip(np.nan_to_num(x, nan=-np.inf), low, high)

    with np.errstate(divide="ignore"):
        top = float(np.max(np.log(a / b) - low / b))  # above this every channel sits at its lower bound
    hi = top + 1.0 if np.isfinite(top) else 0.0
    lo = hi - 1.0
    while spend_at(lo).sum() < budget and lo > -700:
        lo = hi - 2 * (hi - lo)
    if spend_at(lo).sum() >= budget:
        x = spend_at(brentq(lambda t: spend_at(t).sum() - budget, lo, hi, xtol=1e-14, rtol=1e-15, maxiter=500))
    else:
        x = spend_at(lo)  # the curves cannot absorb the budget: the rest earns nothing anywhere
    return _spend_exactly(x, low, high, budget)


def _spend_exactly(x: np.ndarray, low: np.ndarray, high: np.ndarray, budget: float) -> np.ndarray:
    """Put the rounding residue (or unabsorbed budget) where there is room, so the split sums to the budget."""
    x = x.copy()
    for _ in range(len(x) + 1):
        residue = budget - math.fsum(x)
        if residue == 0:
            break
        room = (high - x) if residue > 0 else (x - low)
        k = int(np.argmax(room))
        x[k] = min(max(x[k] + residue, low[k]), high[k])
    last = int(np.argmax(np.minimum(high - x, x - low)))
    x[last] = min(max(budget - math.fsum(np.delete(x, last)), low[last]), high[last])
    return x


def allocate_budget(
    source: pd.DataFrame | ResponseCurves,
    budget: float | None = None,
    bounds: Bounds | None = None,
    objective: Objective = "conversions",
    *,
    roas_target: float | None = None,
    interval: float = 0.9,
    n_boot: int = N_BOOT,
    seed: int = 0,
) -> Allocation:
    """Split ``budget`` (default: the current daily total) across channels.

    ``source``: fitted curves, a daily history (date, channel, spend, outcome columns) or the ad
    events themselves. ``bounds`` maps a channel to (low, high) daily spend; a missing channel or a
    None keeps the default: 0, and ``REACH`` x the largest daily spend in the history (a curve fitted
    to small spends says little about spending a hundred times more).
    """
    if objective not in OBJECTIVES:
        raise SchemaError(f"Objective {objective!r} is not supported; use one of {', '.join(OBJECTIVES)}.",
                          code="unknown_objective", objective=str(objective))
    curves = source if isinstance(source, ResponseCurves) else _curves(source, OBJECTIVES[objective], n_boot, seed)
    if curves.outcome != OBJECTIVES[objective]:
        raise SchemaError(
            f"These curves predict {curves.outcome}; the objective '{objective}' needs curves of {OBJECTIVES[objective]}.",
            code="curves_objective_mismatch", outcome=curves.outcome, objective=objective,
        )
    t = curves.table
    low, high = _bounds(curves.channels, t["max_spend"].to_numpy(dtype=float), bounds)
    current = t["current_spend"].to_numpy(dtype=float)
    total = float(current.sum()) if budget is None else float(budget)
    _check_budget(total, low, high)
    a, b = t["a"].to_numpy(), t["b"].to_numpy()
    notes: list[Note] = []
    if objective == "roas_target":
        spend, notes = _roas_spend(a, b, low, high, total, roas_target)
    else:
        spend = total
    x = optimal_split(a, b, low, high, spend)
    table = pd.DataFrame({
        "channel": list(curves.channels), "low": low, "high": high, "current_spend": current,
        "recommended_spend": x, "change": x - current, "current_outcome": saturation(current, a, b),
        "recommended_outcome": saturation(x, a, b), "marginal_return": a / b * np.exp(-x / b),
        "beyond_history": x > t["max_spend"].to_numpy(),
    })
    if table["beyond_history"].any():
        notes.append(Note("beyond_history", "warning", {"channels": ", ".join(table.loc[table["beyond_history"], "channel"])}))
    draws = curves.draws
    rec = saturation(x, draws[..., 0], draws[..., 1]).sum(axis=1)
    cur = saturation(current, draws[..., 0], draws[..., 1]).sum(axis=1)
    tail = (1 - interval) / 2
    expected, now = float(table["recommended_outcome"].sum()), float(table["current_outcome"].sum())
    return Allocation(
        objective=objective, budget=total, spend=float(math.fsum(x)), roas_target=roas_target, table=table,
        current_outcome=now, expected_outcome=expected,
        expected_low=float(np.quantile(rec, tail)), expected_high=float(np.quantile(rec, 1 - tail)),
        gain=expected - now, gain_low=float(np.quantile(rec - cur, tail)), gain_high=float(np.quantile(rec - cur, 1 - tail)),
        interval=interval, curves=curves, notes=(*curves.notes, *notes),
    )


def _curves(frame: pd.DataFrame, outcome: Outcome, n_boot: int, seed: int) -> ResponseCurves:
    """Curves from a daily history, or from ad events (anything without a spend column)."""
    history = frame if "spend" in frame.columns else daily_history(frame)
    return fit_response_curves(history, outcome, n_boot=n_boot, seed=seed)


def _bounds(channels: tuple[str, ...], max_spend: np.ndarray, bounds: Bounds | None) -> tuple[np.ndarray, np.ndarray]:
    bounds = dict(bounds or {})
    unknown = sorted(set(map(str, bounds)) - set(channels))
    if unknown:
        raise SchemaError(
            f"Bounds name channel '{unknown[0]}', which is not in the history; channels: {', '.join(channels)}.",
            code="bounds_unknown_channel", channel=unknown[0], channels=", ".join(channels),
        )
    low, high = np.zeros(len(channels)), np.zeros(len(channels))
    for k, channel in enumerate(channels):
        lo, hi = bounds.get(channel, (None, None))
        low[k] = 0.0 if lo is None else float(lo)
        high[k] = REACH * max_spend[k] if hi is None else float(hi)
        if not (0 <= low[k] <= high[k]) or np.isnan(low[k]) or np.isnan(high[k]):
            raise SchemaError(
                f"Bounds for channel '{channel}' must satisfy 0 <= low <= high; got low={low[k]:g}, high={high[k]:g}.",
                code="bounds_invalid", channel=channel, low=float(low[k]), high=float(high[k]),
            )
    return low, high


def _check_budget(budget: float, low: np.ndarray, high: np.ndarray) -> None:
    if not np.isfinite(budget) or budget <= 0:
        raise SchemaError(f"The budget must be a positive amount; got {budget:g}.", code="budget_invalid", budget=budget)
    if budget < low.sum() - 1e-9 * budget or budget > high.sum() + 1e-9 * budget:
        raise SchemaError(
            f"A budget of {budget:,.2f} cannot meet the bounds: the lower bounds add up to {low.sum():,.2f} and "
            f"the upper bounds to {high.sum():,.2f} (by default {REACH:g} x each channel's largest daily spend). "
            f"Change the budget or set the bounds.",
            code="budget_outside_bounds", budget=budget, low_total=float(low.sum()), high_total=float(high.sum()),
        )


def _roas_spend(a: np.ndarray, b: np.ndarray, low: np.ndarray, high: np.ndarray, budget: float,
                target: float | None) -> tuple[float, list[Note]]:
    """The largest total spend up to ``budget`` whose best split still returns ``target`` x spend."""
    if target is None or not np.isfinite(target) or target <= 0:
        raise SchemaError("The ROAS objective needs a positive target (revenue per unit of spend), e.g. 3.",
                          code="roas_target_invalid", roas_target=target)

    def surplus(spend: float) -> float:
        return float(saturation(optimal_split(a, b, low, high, spend), a, b).sum() - target * spend)

    floor = max(float(low.sum()), 1e-9 * budget)
    if surplus(budget) >= 0:
        return budget, []
    if surplus(floor) < 0:
        return floor, [Note("roas_target_unreachable", "warning", {"roas_target": target, "spend": floor})]
    spend = brentq(surplus, floor, budget, xtol=1e-9 * budget)
    return float(spend), [Note("roas_target_limits_spend", "info", {"roas_target": target, "spend": float(spend)})]
