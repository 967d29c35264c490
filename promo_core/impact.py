"""Campaign effect without a control group: a counterfactual from a structural time-series model.

Following Brodersen et al. (2015, "CausalImpact"), statsmodels' ``UnobservedComponents`` (local
level, weekly seasonality, regression on control series that the promotion did not touch) is
fitted on the pre-period and forecast over the post-period; the effect is actual minus forecast.
Cumulative intervals come from paths simulated by the fitted model (``simulate``), because daily
forecast errors are correlated and do not add up like independent ones. Parameters are treated as
known (their estimation error is left out), and the controls must not be affected by the campaign.
A placebo check re-runs the forecast from fake intervention dates inside the pre-period (with the
fitted parameters) and reports how often a placebo effect is as large as the real one.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

import numpy as np
import pandas as pd
from statsmodels.tsa.statespace.structural import UnobservedComponents

from promo_core.campaign.data import require_columns
from promo_core.campaign.notes import Note, notes_frame
from promo_core.errors import InsufficientDataError, SchemaError

MIN_PRE_DAYS = 14
SEASON_CYCLES = 3
"""Full seasonal cycles the pre-period needs before seasonality is modelled."""


@dataclass(frozen=True, eq=False)
class ImpactResult:
    """Daily actual vs counterfactual, average and cumulative effect with intervals, placebo check.

    ``summary_code`` is ``impact_positive``, ``impact_negative`` or ``impact_unclear`` (the
    cumulative interval excludes zero or not); ``summary_details`` holds the numbers to say it with.
    """

    intervention_date: pd.Timestamp
    alpha: float
    seasonality: int | None
    daily: pd.DataFrame  # date, period, actual, predicted(+low/high), effect(+low/high), cumulative(+low/high)
    average_effect: float
    average_low: float
    average_high: float
    cumulative_effect: float
    cumulative_low: float
    cumulative_high: float
    relative_effect: float
    relative_low: float
    relative_high: float
    probability: float
    placebos: pd.DataFrame  # date, days, average_effect
    placebo_share: float
    summary_code: str
    summary_details: Mapping[str, float]
    notes: tuple[Note, ...]

    def summary(self) -> pd.DataFrame:
        """Average (per day) and cumulative effect, CausalImpact style."""
        post = self.daily[self.daily["period"] == "post"]
        days = int(post["actual"].notna().sum())
        return pd.DataFrame({
            "measure": ["average", "cumulative"],
            "actual": [post["actual"].mean(), post["actual"].sum()],
            "predicted": [post["predicted"].mean(), post["predicted"][post["actual"].notna()].sum()],
            "effect": [self.average_effect, self.cumulative_effect],
            "effect_low": [self.average_low, self.cumulative_low],
            "effect_high": [self.average_high, self.cumulative_high],
            "relative_effect": [self.relative_effect] * 2,
            "relative_low": [self.relative_low] * 2,
            "relative_high": [self.relative_high] * 2,
            "days": [days, days],
        })

    def notes_table(self) -> pd.DataFrame:
        return notes_frame(self.notes)


def causal_impact(
    series: pd.Series,
    intervention_date: str | pd.Timestamp,
    controls: pd.DataFrame | None = None,
    *,
    alpha: float = 0.05,
    seasonality: int | None = 7,
    n_placebos: int = 5,
    n_simulations: int = 1000,
    seed: int = 0,
) -> ImpactResult:
    """Effect of a campaign starting on ``intervention_date`` on a daily ``series`` (dated index).

    ``controls``: daily series on the same dates that the campaign did not affect (e.g. other
    categories or regions); they explain the shared ups and downs.
    """
    y, x, notes = _daily_inputs(series, controls)
    start = _intervention(y.index, intervention_date)
    pre_days = int((y.index < start).sum())
    if pre_days < MIN_PRE_DAYS:
        raise InsufficientDataError(
            f"Only {pre_days} days before {start.date()}; at least {MIN_PRE_DAYS} are needed to learn the "
            "series' normal course. Choose a later intervention date or a longer series.",
            code="pre_period_too_short",
            days=pre_days,
            minimum=MIN_PRE_DAYS,
        )
    if seasonality and pre_days < SEASON_CYCLES * seasonality:
        notes.append(Note("seasonality_dropped", "info",
                          {"period": seasonality, "days": pre_days, "minimum": SEASON_CYCLES * seasonality}))
        seasonality = None
    scale = _scale(y[:pre_days], x[:pre_days] if x is not None else None)
    ys, xs = (y - scale[0]) / scale[1], _standardise(x, scale)
    result = _fit(ys[:pre_days], xs[:pre_days] if xs is not None else None, seasonality)
    daily, sims = _counterfactual(result, y, xs, pre_days, scale, alpha, n_simulations, seed)
    placebos = _placebos(result, ys[:pre_days], xs, seasonality, len(y) - pre_days, n_placebos, scale)
    if placebos.empty:
        notes.append(Note("placebo_skipped", "info", {"days": pre_days}))
    return _assemble(start, alpha, seasonality, daily, sims, placebos, notes)


def daily_series(
    orders: pd.DataFrame,
    by: str,
    treated_values: Sequence[str],
    *,
    value: str = "amount",
    date: str = "order_date",
    controls: Literal["pooled", "each"] = "pooled",
) -> pd.DataFrame:
    """Daily net sums of ``value`` for the rows whose ``by`` is in ``treated_values`` (column
    ``treated``) and for the others: one ``control`` column, or one column per other value."""
    require_columns(orders, by, value, date)
    labels = orders[by].astype("str")
    present = sorted(labels.dropna().unique())
    treated = [str(v) for v in treated_values]
    unknown = [v for v in treated if v not in present]
    if unknown or not treated:
        raise SchemaError(
            f"Value(s) {', '.join(unknown) or '-'} do not occur in column '{by}' (values: {', '.join(present)}). "
            "Choose the values that got the promotion from this list.",
            code="treated_values_not_found",
            column=by,
            values=", ".join(unknown),
            available=", ".join(present),
        )
    others = [v for v in present if v not in treated]
    if not others:
        raise SchemaError(
            f"Every value of column '{by}' got the promotion, so nothing is left to compare with.",
            code="no_control_values",
            column=by,
        )
    day = pd.to_datetime(orders[date]).dt.normalize()
    is_treated = labels.isin(treated)
    key = np.where(is_treated, "treated", "control" if controls == "pooled" else labels)
    table = pd.Series(orders[value].to_numpy(dtype="float64"), index=[day, key]).groupby(level=[0, 1]).sum().unstack(fill_value=0.0)
    table = table.reindex(pd.date_range(day.min(), day.max(), freq="D"), fill_value=0.0)
    table.index.name = "date"
    columns = ["treated", *(["control"] if controls == "pooled" else others)]
    return table.reindex(columns=columns, fill_value=0.0)


def _daily_inputs(series: pd.Series, controls: pd.DataFrame | None) -> tuple[pd.Series, pd.DataFrame | None, list[Note]]:
    """The series on a complete daily index (gaps as missing, counted) and controls aligned to it."""
    if not isinstance(series.index, pd.DatetimeIndex):
        raise SchemaError(
            "The series needs dates as its index (one value per day). Build it with daily_series or set the date "
            "column as the index.",
            code="series_not_dated",
        )
    if series.index.has_duplicates:
        day = series.index[series.index.duplicated()][0]
        raise SchemaError(f"Date {day.date()} occurs more than once in the series; give one value per day.",
                          code="series_duplicate_dates", date=str(day.date()))
    y = pd.Series(pd.to_numeric(series, errors="coerce").to_numpy(dtype="float64"), index=series.index.normalize())
    y = y.sort_index()
    full = pd.date_range(y.index[0], y.index[-1], freq="D")
    notes = []
    missing = int(len(full) - y.notna().reindex(full, fill_value=False).sum())
    if missing:
        notes.append(Note("days_missing", "info", {"days": missing}))
    y = y.reindex(full)
    if controls is None or controls.shape[1] == 0:
        return y, None, notes
    x = controls.copy()
    x.index = pd.DatetimeIndex(x.index).normalize()
    x = x.apply(pd.to_numeric, errors="coerce").reindex(full)
    gaps = int(x.isna().sum().sum())
    if gaps:
        x = x.interpolate(limit_direction="both")
        notes.append(Note("control_gaps_filled", "info", {"values": gaps}))
    if x.isna().any().any():
        raise SchemaError("A control series has no values at all; drop it or give its daily values.",
                          code="control_empty", column=str(x.columns[x.isna().any()][0]))
    return y, x, notes


def _intervention(index: pd.DatetimeIndex, intervention_date: str | pd.Timestamp) -> pd.Timestamp:
    start = pd.Timestamp(intervention_date).normalize()
    if not index[0] < start <= index[-1]:
        raise SchemaError(
            f"The intervention date {start.date()} is outside the series ({index[0].date()} to {index[-1].date()}); "
            "it must fall after the first day and on or before the last.",
            code="intervention_outside_series",
            date=str(start.date()),
            first=str(index[0].date()),
            last=str(index[-1].date()),
        )
    return start


def _scale(y: pd.Series, x: pd.DataFrame | None) -> tuple:
    """Centre and spread of the pre-period (the optimiser is better behaved on standardised data)."""
    spread = float(y.std()) or 1.0
    x_scale = None if x is None else (x.mean(), x.std().replace(0.0, 1.0).fillna(1.0))
    return float(y.mean()), spread, x_scale


def _standardise(x: pd.DataFrame | None, scale: tuple) -> np.ndarray | None:
    return None if x is None else ((x - scale[2][0]) / scale[2][1]).to_numpy()


def _model(y: pd.Series, x: np.ndarray | None, seasonality: int | None) -> UnobservedComponents:
    return UnobservedComponents(y.to_numpy(), level="llevel", seasonal=seasonality, exog=x)


def _fit(y: pd.Series, x: np.ndarray | None, seasonality: int | None):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence chatter; the fit is checked by the placebo runs
        return _model(y, x, seasonality).fit(disp=False, maxiter=200)


def _counterfactual(result, y: pd.Series, xs, pre_days: int, scale: tuple, alpha: float, n_sim: int, seed: int):
    """Daily frame of actual, prediction and effect (pre: one-step-ahead fit; post: forecast) and the
    simulated post-period paths (days x simulations), in the series' units."""
    centre, spread = scale[0], scale[1]
    steps = len(y) - pre_days
    x_post = xs[pre_days:] if xs is not None else None
    forecast = result.get_forecast(steps, exog=x_post)
    band = forecast.conf_int(alpha=alpha)
    fitted = result.get_prediction()
    fitted_band = fitted.conf_int(alpha=alpha)
    burn = result.loglikelihood_burn
    predicted = np.concatenate([fitted.predicted_mean, forecast.predicted_mean]) * spread + centre
    low = np.concatenate([fitted_band[:, 0], band[:, 0]]) * spread + centre
    high = np.concatenate([fitted_band[:, 1], band[:, 1]]) * spread + centre
    predicted[:burn] = low[:burn] = high[:burn] = np.nan
    sims = result.simulate(steps, anchor="end", repetitions=n_sim, exog=x_post, rng=seed)
    sims = np.asarray(sims).reshape(steps, n_sim) * spread + centre
    actual = y.to_numpy()
    daily = pd.DataFrame({
        "date": y.index, "period": np.where(np.arange(len(y)) < pre_days, "pre", "post"), "actual": actual,
        "predicted": predicted, "predicted_low": low, "predicted_high": high,
        "effect": actual - predicted, "effect_low": actual - high, "effect_high": actual - low,
    })
    post_effect = np.nan_to_num(actual[pre_days:, None] - sims)  # a missing day adds nothing
    cumulative = np.cumsum(post_effect, axis=0)
    q = [alpha / 2, 0.5, 1 - alpha / 2]
    c_low, _, c_high = np.quantile(cumulative, q, axis=1)
    daily["cumulative"] = np.concatenate([np.full(pre_days, np.nan), np.cumsum(np.nan_to_num(daily["effect"][pre_days:]))])
    daily["cumulative_low"] = np.concatenate([np.full(pre_days, np.nan), c_low])
    daily["cumulative_high"] = np.concatenate([np.full(pre_days, np.nan), c_high])
    return daily, sims


def _placebos(result, ys: pd.Series, xs, seasonality: int | None, post_days: int, count: int, scale: tuple) -> pd.DataFrame:
    """Average daily 'effect' after fake intervention dates inside the pre-period (fitted parameters)."""
    pre_days = len(ys)
    train = max(MIN_PRE_DAYS, SEASON_CYCLES * (seasonality or 1))
    window = min(post_days, (pre_days - train) // 2)
    if count < 1 or window < 1:
        return pd.DataFrame(columns=["date", "days", "average_effect"])
    cuts = np.unique(np.linspace(train, pre_days - window, count).astype(int))
    rows = []
    for cut in cuts:
        model = _model(ys[:cut], xs[:cut] if xs is not None else None, seasonality)
        fake = model.filter(result.params)
        forecast = fake.get_forecast(window, exog=xs[cut:cut + window] if xs is not None else None).predicted_mean
        effect = (ys.to_numpy()[cut:cut + window] - forecast) * scale[1]
        rows.append({"date": ys.index[cut], "days": window, "average_effect": float(np.nanmean(effect))})
    return pd.DataFrame(rows)


def _assemble(start, alpha, seasonality, daily, sims, placebos, notes) -> ImpactResult:
    post = daily[daily["period"] == "post"]
    observed = post["actual"].notna().to_numpy()
    actual = post["actual"].to_numpy()[observed]
    sim_post = sims[observed]
    days = max(int(observed.sum()), 1)
    total_sim = sim_post.sum(axis=0)
    cum_draws = actual.sum() - total_sim
    rel_draws = cum_draws / total_sim
    q = [alpha / 2, 1 - alpha / 2]
    cum = float(actual.sum() - post["predicted"].to_numpy()[observed].sum())
    predicted_total = float(post["predicted"].to_numpy()[observed].sum())
    cum_low, cum_high = (float(v) for v in np.quantile(cum_draws, q))
    rel_low, rel_high = (float(v) for v in np.quantile(rel_draws, q))
    probability = float((cum_draws > 0).mean() if cum >= 0 else (cum_draws < 0).mean())
    share = float((placebos["average_effect"].abs() >= abs(cum / days)).mean()) if len(placebos) else float("nan")
    code = "impact_positive" if cum_low > 0 else "impact_negative" if cum_high < 0 else "impact_unclear"
    details = {
        "days": days, "average_actual": float(actual.mean()), "average_predicted": predicted_total / days,
        "average_effect": cum / days, "average_low": cum_low / days, "average_high": cum_high / days,
        "cumulative_effect": cum, "cumulative_low": cum_low, "cumulative_high": cum_high,
        "relative_effect": cum / predicted_total if predicted_total else float("nan"),
        "relative_low": rel_low, "relative_high": rel_high, "probability": probability,
        "placebo_share": share, "confidence": 1 - alpha,
    }
    return ImpactResult(
        intervention_date=start, alpha=alpha, seasonality=seasonality, daily=daily,
        average_effect=details["average_effect"], average_low=details["average_low"], average_high=details["average_high"],
        cumulative_effect=cum, cumulative_low=cum_low, cumulative_high=cum_high,
        relative_effect=details["relative_effect"], relative_low=rel_low, relative_high=rel_high,
        probability=probability, placebos=placebos, placebo_share=share, summary_code=code,
        summary_details=MappingProxyType(details),
        notes=tuple(notes),
    )
