"""Saturating response curves: outcome per day = a * (1 - exp(-spend / b)) per channel.

``a`` is the ceiling a channel approaches, ``b`` the spend at which it reaches 63% of it, and a / b
the return of the first unit of spend. This negative-exponential form is concave, so the optimal
split has one solution (:func:`promo_core.ctr.budget.optimal_split`); an S-shaped Hill curve could
fit a launch phase better but makes the split problem non-convex. Parameters come from scipy's
``curve_fit`` with bounds; their uncertainty from refitting on bootstrap resamples of the days, which,
unlike the covariance matrix, stays honest when a channel never spent enough to show saturation.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from scipy.optimize import OptimizeWarning, curve_fit

from promo_core.campaign.notes import Note, notes_frame
from promo_core.ctr.history import check_spend
from promo_core.errors import InsufficientDataError, SchemaError

Outcome = Literal["conversions", "revenue", "clicks"]
OUTCOMES: tuple[Outcome, ...] = ("conversions", "revenue", "clicks")
MIN_DAYS = 7
MAX_HALF_LIFE = 20.0
"""``b`` stays below this multiple of the largest daily spend: beyond it the data says "linear"."""
N_BOOT = 200


def saturation(spend: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Expected outcome per day at ``spend``."""
    return a * -np.expm1(-np.asarray(spend, dtype=float) / b)


@dataclass(frozen=True, eq=False)
class ResponseCurves:
    """Fitted curves per channel.

    ``table``: channel, a, b, r2, days, mean_spend, max_spend, current_spend (mean of the last
    ``current_days`` days), a_low/a_high and b_low/b_high (bootstrap 90%).
    ``draws``: bootstrap parameters, shape (draws, channels, 2) with [..., 0] = a, [..., 1] = b.
    """

    outcome: Outcome
    table: pd.DataFrame
    draws: np.ndarray
    history: pd.DataFrame  # date, channel, spend, outcome
    notes: tuple[Note, ...] = ()

    @property
    def channels(self) -> tuple[str, ...]:
        return tuple(self.table["channel"])

    def predict(self, spend: np.ndarray) -> np.ndarray:
        """Expected outcome per channel for a spend vector in ``channels`` order."""
        return saturation(spend, self.table["a"].to_numpy(), self.table["b"].to_numpy())

    def summary(self) -> pd.DataFrame:
        return self.table.copy()

    def notes_table(self) -> pd.DataFrame:
        return notes_frame(self.notes)


def fit_response_curves(
    history: pd.DataFrame,
    outcome: Outcome = "conversions",
    *,
    current_days: int = 28,
    n_boot: int = N_BOOT,
    seed: int = 0,
) -> ResponseCurves:
    """One curve per channel from daily rows (date, channel, spend and the ``outcome`` column)."""
    if outcome not in OUTCOMES:
        raise SchemaError(f"Outcome {outcome!r} is not supported; use one of {', '.join(OUTCOMES)}.",
                          code="unknown_outcome", outcome=str(outcome))
    for column in ("channel", "spend", outcome):
        if column not in history.columns:
            raise SchemaError(
                f"Column '{column}' is missing from the daily history; it needs channel, spend and {outcome} per day.",
                code="cost_missing" if column == "spend" else "outcome_missing" if column == outcome else "channel_missing",
                column=column,
            )
    spend = pd.to_numeric(history["spend"], errors="coerce")
    check_spend(spend, "spend")
    data = pd.DataFrame({
        "date": history["date"] if "date" in history.columns else np.arange(len(history)),
        "channel": history["channel"].astype(str), "spend": spend,
        "outcome": pd.to_numeric(history[outcome], errors="coerce"),
    }).dropna(subset=["spend", "outcome"])
    rng = np.random.default_rng(seed)
    rows, draws = [], []
    for channel, part in data.groupby("channel", sort=True):
        x, y = part["spend"].to_numpy(dtype=float), part["outcome"].to_numpy(dtype=float)
        if int((x > 0).sum()) < MIN_DAYS:
            raise InsufficientDataError(
                f"Channel '{channel}' has {int((x > 0).sum())} days with spend; at least {MIN_DAYS} are needed to "
                f"fit how its outcome grows with spend. Load a longer history or leave the channel out.",
                code="too_few_days", channel=str(channel), days=int((x > 0).sum()), needed=MIN_DAYS,
            )
        a, b = _fit(x, y, None)
        boot = np.array([_fit(x[i], y[i], (a, b)) for i in rng.integers(0, len(x), (n_boot, len(x)))])
        draws.append(boot)
        fitted = saturation(x, a, b)
        total = np.sum((y - y.mean()) ** 2)
        recent = part.sort_values("date")["spend"].to_numpy()[-current_days:]
        rows.append({
            "channel": channel, "a": a, "b": b, "r2": 1 - np.sum((y - fitted) ** 2) / total if total > 0 else np.nan,
            "days": len(x), "mean_spend": x.mean(), "max_spend": x.max(), "current_spend": recent.mean(),
            "a_low": np.quantile(boot[:, 0], 0.05), "a_high": np.quantile(boot[:, 0], 0.95),
            "b_low": np.quantile(boot[:, 1], 0.05), "b_high": np.quantile(boot[:, 1], 0.95),
        })
    if len(rows) < 2:
        raise InsufficientDataError(
            f"The history has {len(rows)} channel(s); splitting a budget needs at least two.",
            code="too_few_channels", channels=len(rows),
        )
    return ResponseCurves(outcome, pd.DataFrame(rows), np.stack(draws, axis=1), data)


def _fit(x: np.ndarray, y: np.ndarray, start: tuple[float, float] | None) -> tuple[float, float]:
    """Least-squares (a, b) with 0 <= a and 0 < b <= MAX_HALF_LIFE x the largest spend."""
    top = max(float(x.max()), 1e-9)
    b0 = start[1] if start else float(np.mean(x[x > 0])) if (x > 0).any() else top
    a0 = start[0] if start else max(2.0 * float(y.max()), 1e-9)
    upper_b = MAX_HALF_LIFE * top
    p0 = (min(max(a0, 0.0), 1e12), min(max(b0, top * 1e-3), upper_b))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", OptimizeWarning)
        try:
            params, _ = curve_fit(saturation, x, y, p0=p0, bounds=([0.0, top * 1e-3], [np.inf, upper_b]), maxfev=5000)
        except (RuntimeError, ValueError):
            return p0
    return float(params[0]), float(params[1])
