"""Customer lifetime value: the (M)BG/NBD purchase model, the Gamma-Gamma spend model, and their product.

Hand-written on scipy because no maintained library covers them: ``lifetimes`` is archived (last
release 2020, pins old pandas) and its successor lives in PyMC-Marketing, a Bayesian stack far too
heavy for this app. The formulas are the published ones:

- BG/NBD: Fader, Hardie & Lee (2005), "Counting your customers the easy way", Marketing Science
  24(2): likelihood (eq. 6), conditional expectation E[Y(t) | x, t_x, T] (eq. 10), and P(alive) from
  the authors' note "Computing P(alive) using the BG/NBD model" (2008).
- MBG/NBD: Batislam, Denizel & Filiztekin (2007), "Empirical validation and comparison of models for
  customer base analysis", IJRM 24(3), with the erratum of Wagner & Hoppe (2008). The default for
  ``customer_value``: BG/NBD lets a customer drop out only after a repeat purchase, so every one-time
  buyer, however long gone, has P(alive) = 1; MBG/NBD also lets them drop out after the first. Its
  formulas are BG/NBD's with the purchase count in the Beta terms raised by one, so both share code.
- Gamma-Gamma: Fader, Hardie & Lee (2005), "RFM and CLV: using iso-value curves", JMR 42(4), and
  Fader & Hardie (2013), "The Gamma-Gamma model of monetary value".

Both are fitted by maximum likelihood over log-parameters with analytic gradients (L-BFGS-B), the
log-likelihood built from ``gammaln``/``betaln`` and ``logaddexp`` so that large counts do not
overflow. Frequency is repeat purchases (distinct purchase days minus one), recency the time from
first to last purchase, T the time from first purchase to ``as_of``, in days or weeks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import OptimizeResult, minimize
from scipy.special import betaln, expit, gammaln, hyp2f1, psi

from promo_core.errors import InsufficientDataError, SchemaError
from promo_core.segmentation.lines import AnalysisNote, CustomerLines, customer_lines

UNIT_DAYS = {"day": 1.0, "week": 7.0}
PURCHASE_MODELS = ("mbgnbd", "bgnbd")
"""MBG/NBD (one-time buyers can drop out; the default) or the original BG/NBD."""
MIN_REPEAT_BUYERS = 30
"""Fewer repeat buyers than this and the models are not fitted: CLV falls back to history."""
STEP_DAYS = 30
"""Discounting applies per step of this many days."""
CORRELATION_LIMIT = 0.3
"""Gamma-Gamma assumes spend does not depend on frequency; above this |correlation| a note says so."""
_LOG_BOUND = 15.0
_GRADIENT_TOLERANCE = 1e-6
"""A fit counts as converged when the optimiser says so or the mean log-likelihood is this flat.

When the data show no spread in dropout, BG/NBD's a and b run off along a flat ridge towards
infinity and the line search stops there with a vanishing gradient: the fit has converged, but the
dropout part is degenerate (see ``DEGENERATE_AB``).
"""
DEGENERATE_AB = 1000.0
"""Above this a + b the Beta dropout distribution is a spike: every customer gets the same dropout
chance, the model learnt nothing about who leaves, and a note says so."""


@dataclass(frozen=True)
class BGNBDResult:
    """(M)BG/NBD parameters: purchase rates ~ Gamma(r, alpha), dropout probability ~ Beta(a, b).

    ``model`` is "bgnbd" (dropout possible after each repeat purchase) or "mbgnbd" (also after the
    first purchase).
    """

    r: float
    alpha: float
    a: float
    b: float
    log_likelihood: float
    n_customers: int
    converged: bool
    model: str = "bgnbd"

    def summary(self) -> pd.DataFrame:
        """The parameters and the fit as (parameter, value) rows."""
        names = ("r", "alpha", "a", "b", "log_likelihood", "n_customers")
        return pd.DataFrame({"parameter": names, "value": [float(getattr(self, n)) for n in names]})

    @property
    def degenerate(self) -> bool:
        """True when Beta(a, b) is a spike: the fit found no difference between customers in dropout."""
        return self.a + self.b > DEGENERATE_AB

    @property
    def mean_dropout(self) -> float:
        """a / (a + b): the population's mean chance of dropping out at each chance to do so."""
        return self.a / (self.a + self.b)

    def p_alive(self, frequency: object, recency: object, T: object) -> np.ndarray:
        """Probability that each customer has not dropped out (BG/NBD: 1 for customers without repeats)."""
        x, t_x, big_t = _arrays(frequency, recency, T)
        return self._alive(x, t_x, big_t)

    def expected_purchases(self, t: float, frequency: object, recency: object, T: object) -> np.ndarray:
        """E[Y(t) | x, t_x, T]: expected purchases in the next ``t`` time units (BG/NBD eq. 10)."""
        x, t_x, big_t = _arrays(frequency, recency, T)
        r, alpha, a, b = self.r, self.alpha, self.a, self.b
        k = x + _shift(self.model)
        head = (a + b + k - 1) / (a - 1)
        tail = 1 - np.exp((r + x) * (np.log(alpha + big_t) - np.log(alpha + big_t + t))) * _hyp2f1(
            r + x, b + k, a + b + k - 1, t / (alpha + big_t + t)
        )
        return head * tail * self._alive(x, t_x, big_t)

    def _alive(self, x: np.ndarray, t_x: np.ndarray, big_t: np.ndarray) -> np.ndarray:
        """1 / (1 + dropout odds); the odds are 0 where the model allows no dropout yet (k = 0)."""
        k = x + _shift(self.model)
        with np.errstate(divide="ignore", invalid="ignore"):
            log_odds = (
                np.log(self.a)
                - np.log(self.b + k - 1)
                + (self.r + x) * (np.log(self.alpha + big_t) - np.log(self.alpha + t_x))
            )
        return np.where(k > 0, expit(-log_odds), 1.0)


@dataclass(frozen=True)
class GammaGammaResult:
    """Gamma-Gamma parameters: spend per purchase ~ Gamma(p, nu), nu ~ Gamma(q, v) across customers."""

    p: float
    q: float
    v: float
    log_likelihood: float
    n_customers: int
    converged: bool

    def summary(self) -> pd.DataFrame:
        """The parameters and the fit as (parameter, value) rows."""
        names = ("p", "q", "v", "log_likelihood", "n_customers")
        return pd.DataFrame({"parameter": names, "value": [float(getattr(self, n)) for n in names]})

    @property
    def mean_spend(self) -> float:
        """Population mean spend per purchase, p v / (q - 1) (infinite when q <= 1)."""
        return self.p * self.v / (self.q - 1) if self.q > 1 else np.inf

    def expected_spend(self, frequency: object, monetary_value: object) -> np.ndarray:
        """E[M | x, m_x]: a weighted mean of the population mean and the customer's own mean spend."""
        x = np.asarray(frequency, dtype=np.float64)
        m = np.clip(np.asarray(monetary_value, dtype=np.float64), 0, None)
        return (self.v + x * m) * self.p / (self.p * x + self.q - 1)


@dataclass(frozen=True, eq=False)
class CLVResult:
    """Per-customer lifetime value over ``horizon_days`` and the models behind it."""

    table: pd.DataFrame
    method: str  # "mbgnbd_gamma_gamma", "bgnbd_gamma_gamma" or "historical_average"
    bgnbd: BGNBDResult | None
    gamma_gamma: GammaGammaResult | None
    horizon_days: int
    discount_rate: float
    time_unit: str
    as_of: pd.Timestamp
    excluded_guest_lines: int
    excluded_future_lines: int
    notes: tuple[AnalysisNote, ...]

    def summary(self) -> pd.DataFrame:
        """Headline figures as (metric, value) rows."""
        value = self.table["predicted_value"]
        top = value.sort_values(ascending=False).head(max(1, len(value) // 10)).sum()
        metrics = {
            "customers": len(value),
            "total_predicted_value": value.sum(),
            "mean_predicted_value": value.mean(),
            "median_predicted_value": value.median(),
            "top_decile_value_share": top / value.sum() if value.sum() > 0 else np.nan,
            "mean_p_alive": self.table["p_alive"].mean(),
            "expected_purchases": self.table["expected_purchases"].sum(),
        }
        return pd.DataFrame({"metric": list(metrics), "value": [float(v) for v in metrics.values()]})


def fit_bgnbd(frequency: object, recency: object, T: object) -> BGNBDResult:
    """Maximum-likelihood BG/NBD fit (Fader, Hardie & Lee 2005)."""
    return _fit_purchase_model(frequency, recency, T, "bgnbd")


def fit_mbgnbd(frequency: object, recency: object, T: object) -> BGNBDResult:
    """Maximum-likelihood MBG/NBD fit (Batislam et al. 2007): one-time buyers can drop out too."""
    return _fit_purchase_model(frequency, recency, T, "mbgnbd")


def _fit_purchase_model(frequency: object, recency: object, T: object, model: str) -> BGNBDResult:
    """Identical (x, t_x, T) rows are pooled for speed."""
    x, t_x, big_t = _arrays(frequency, recency, T)
    _check_summary(x, t_x, big_t)
    rows, counts = np.unique(np.column_stack([x, t_x, big_t]), axis=0, return_counts=True)
    x, t_x, big_t = rows.T
    weight = counts / counts.sum()
    start = np.log([1.0, max(float(np.average(big_t, weights=weight)), 1e-3), 1.0, 1.0])
    fit = _maximise(lambda theta: _bgnbd_loglik(theta, x, t_x, big_t, weight, _shift(model)), start)
    r, alpha, a, b = np.exp(fit.x)
    return BGNBDResult(
        r=float(r),
        alpha=float(alpha),
        a=float(a),
        b=float(b),
        log_likelihood=float(-fit.fun * counts.sum()),
        n_customers=int(counts.sum()),
        converged=_converged(fit),
        model=model,
    )


def _shift(model: str) -> int:
    """How many more dropout chances than repeat purchases: MBG/NBD adds the one after the first purchase."""
    return 1 if model == "mbgnbd" else 0


def fit_gamma_gamma(frequency: object, monetary_value: object) -> GammaGammaResult:
    """Maximum-likelihood Gamma-Gamma fit on repeat buyers with a positive mean spend."""
    x = np.asarray(frequency, dtype=np.float64)
    m = np.asarray(monetary_value, dtype=np.float64)
    _check_lengths(x, m)
    bad = ~(np.isfinite(x) & np.isfinite(m)) | (x < 0)
    if bad.any():
        row = int(np.argmax(bad))
        raise SchemaError(
            f"Row {row} has frequency={x[row]}, monetary_value={m[row]}: both must be numbers, frequency >= 0; "
            "fill or remove that row.",
            code="invalid_spend_summary",
            row=row,
            frequency=float(x[row]),
            monetary_value=float(m[row]),
        )
    keep = (x > 0) & (m > 0)
    if keep.sum() < 2:
        raise InsufficientDataError(
            f"Only {int(keep.sum())} customers have repeat purchases with a positive spend; the spend model "
            "needs at least 2 (more for a stable fit).",
            code="too_few_repeat_buyers",
            count=int(keep.sum()),
            minimum=2,
        )
    x, m = x[keep], m[keep]
    start = np.log([1.0, 1.0, float(np.mean(m))])
    fit = _maximise(lambda theta: _gamma_gamma_loglik(theta, x, m), start)
    p, q, v = np.exp(fit.x)
    return GammaGammaResult(
        p=float(p), q=float(q), v=float(v), log_likelihood=float(-fit.fun * len(x)), n_customers=len(x),
        converged=_converged(fit),
    )


def purchase_summary(orders: pd.DataFrame, as_of: object = None, time_unit: str = "week") -> pd.DataFrame:
    """Per customer: frequency (repeat purchase days), recency, T, monetary_value, net_revenue.

    ``monetary_value`` is the mean value of the repeat purchase days (the first is left out, as the
    Gamma-Gamma model expects), scaled down by the customer's own return rate (net / gross), since
    a return line does not say which purchase it undoes.
    """
    return _summary(customer_lines(orders, as_of), _unit(time_unit))[0]


def customer_value(
    orders: pd.DataFrame,
    horizon_days: int = 365,
    as_of: object = None,
    discount_rate: float = 0.0,
    time_unit: str = "week",
    min_repeat_buyers: int = MIN_REPEAT_BUYERS,
    purchase_model: str = "mbgnbd",
) -> CLVResult:
    """Predicted value of each customer over the next ``horizon_days``.

    The purchase model (MBG/NBD by default, or BG/NBD) gives P(alive) and expected purchases,
    Gamma-Gamma the expected spend per purchase, and value is their product, discounted per 30-day
    step at the annual ``discount_rate``. With fewer than ``min_repeat_buyers`` repeat buyers the
    models are not fitted: the shop's repeat-purchase rate and each customer's mean spend carry
    forward (method "historical_average", P(alive) empty) and a note says why; the same happens when
    the purchase model's fit runs off to parameters that give no finite prediction.
    """
    if horizon_days <= 0 or discount_rate < 0 or min_repeat_buyers < 2 or purchase_model not in PURCHASE_MODELS:
        raise SchemaError(
            f"horizon_days ({horizon_days}) must be positive, discount_rate ({discount_rate}) not negative, "
            f"min_repeat_buyers ({min_repeat_buyers}) at least 2 and purchase_model ({purchase_model!r}) one of "
            f"{', '.join(PURCHASE_MODELS)}; change the setting.",
            code="invalid_clv_settings",
            horizon_days=horizon_days,
            discount_rate=discount_rate,
            min_repeat_buyers=min_repeat_buyers,
            purchase_model=purchase_model,
        )
    unit = _unit(time_unit)
    lines = customer_lines(orders, as_of)
    summary, returns_only = _summary(lines, unit)
    notes = list(lines.notes())
    if returns_only:
        notes.append(AnalysisNote("returns_only_customers", {"count": returns_only}))
    repeat_buyers = int((summary["frequency"] > 0).sum())
    if repeat_buyers < min_repeat_buyers:
        notes.append(AnalysisNote("clv_fallback_few_repeat_buyers", {"count": repeat_buyers, "minimum": min_repeat_buyers}))
        table, purchase_fit, spend = _historical_value(summary, unit, horizon_days, discount_rate), None, None
    else:
        purchase_fit = _fit_purchase_model(summary["frequency"], summary["recency"], summary["T"], purchase_model)
        table, spend, model_notes = _model_value(summary, purchase_fit, unit, horizon_days, discount_rate, min_repeat_buyers)
        notes += _purchase_notes(purchase_fit) + model_notes
        unusable = int((~np.isfinite(table["predicted_value"].to_numpy(dtype=float))).sum())
        if unusable:  # a fit run off to infinite parameters (no dropout seen): history beats no value
            notes.append(AnalysisNote("clv_fallback_unstable_model", {"model": purchase_model, "count": unusable}))
            table, purchase_fit, spend = _historical_value(summary, unit, horizon_days, discount_rate), None, None
    return CLVResult(
        table=table,
        method="historical_average" if purchase_fit is None else f"{purchase_model}_gamma_gamma",
        bgnbd=purchase_fit,
        gamma_gamma=spend,
        horizon_days=int(horizon_days),
        discount_rate=float(discount_rate),
        time_unit=time_unit,
        as_of=lines.as_of,
        excluded_guest_lines=lines.guest_lines,
        excluded_future_lines=lines.future_lines,
        notes=tuple(notes),
    )


def _purchase_notes(model: BGNBDResult) -> list[AnalysisNote]:
    """Non-convergence, and a dropout fit that learnt nothing about who leaves (a + b huge)."""
    notes = [] if model.converged else [AnalysisNote("model_not_converged", {"model": model.model})]
    if model.degenerate:
        notes.append(
            AnalysisNote("dropout_fit_degenerate", {"a_plus_b": model.a + model.b, "dropout": model.mean_dropout})
        )
    return notes


def _model_value(
    summary: pd.DataFrame,
    purchase_model: BGNBDResult,
    unit: float,
    horizon_days: int,
    discount_rate: float,
    min_repeat_buyers: int,
) -> tuple[pd.DataFrame, GammaGammaResult | None, list[AnalysisNote]]:
    x, t_x, big_t = (summary[c].to_numpy() for c in ("frequency", "recency", "T"))
    notes: list[AnalysisNote] = []
    paying = (x > 0) & (summary["monetary_value"].to_numpy() > 0)
    spend_model, spend = None, _historical_spend(summary)
    if paying.sum() < min_repeat_buyers:
        notes.append(AnalysisNote("spend_model_fallback", {"count": int(paying.sum()), "minimum": min_repeat_buyers}))
    else:
        spend_model = fit_gamma_gamma(x, summary["monetary_value"])
        notes += _spend_notes(spend_model, x[paying], summary["monetary_value"].to_numpy()[paying])
        if spend_model.q > 1:
            spend = spend_model.expected_spend(x, summary["monetary_value"])
    purchases = _discounted(
        lambda t: purchase_model.expected_purchases(t, x, t_x, big_t), horizon_days, unit, discount_rate
    )
    table = summary.assign(
        p_alive=purchase_model.p_alive(x, t_x, big_t),
        expected_purchases=purchases,
        expected_aov=spend,
        predicted_value=purchases * spend,
    )
    return table, spend_model, notes


def _spend_notes(model: GammaGammaResult, x: np.ndarray, m: np.ndarray) -> list[AnalysisNote]:
    notes = [] if model.converged else [AnalysisNote("model_not_converged", {"model": "gamma_gamma"})]
    if model.q <= 1:  # the fitted spend distribution has no finite mean: own history instead
        notes.append(AnalysisNote("spend_model_heavy_tail", {"q": round(model.q, 3)}))
    correlation = float(np.corrcoef(x, m)[0, 1]) if len(x) > 2 and x.std() > 0 and m.std() > 0 else 0.0
    if abs(correlation) > CORRELATION_LIMIT:
        notes.append(AnalysisNote("spend_frequency_correlated", {"correlation": round(correlation, 2)}))
    return notes


def _historical_value(summary: pd.DataFrame, unit: float, horizon_days: int, discount_rate: float) -> pd.DataFrame:
    """The shop's repeat-purchase rate per customer and time unit for everyone, times own mean spend.

    A pooled rate, because one customer's own rate explodes when they bought twice last week.
    """
    rate = summary["frequency"].sum() / max(summary["T"].sum(), 1 / unit)
    purchases = _discounted(lambda t: np.full(len(summary), rate * t), horizon_days, unit, discount_rate)
    spend = _historical_spend(summary)
    return summary.assign(
        p_alive=np.nan, expected_purchases=purchases, expected_aov=spend, predicted_value=purchases * spend
    )


def _historical_spend(summary: pd.DataFrame) -> np.ndarray:
    return np.clip(summary["net_revenue"].to_numpy() / (summary["frequency"].to_numpy() + 1), 0, None)


def _discounted(
    expected: Callable[[float], np.ndarray], horizon_days: int, unit: float, discount_rate: float
) -> np.ndarray:
    """Expected purchases in the horizon, each 30-day step's share discounted at the annual rate."""
    if discount_rate == 0:
        return expected(horizon_days / unit)
    ends = np.append(np.arange(STEP_DAYS, horizon_days, STEP_DAYS), horizon_days)
    total, before = 0.0, 0.0
    for end in ends:
        cumulative = expected(end / unit)
        total = total + (cumulative - before) / (1 + discount_rate) ** (end / 365)
        before = cumulative
    return total


def _summary(lines: CustomerLines, unit: float) -> tuple[pd.DataFrame, int]:
    """Per-customer (frequency, recency, T, monetary_value, net_revenue) and the returns-only count."""
    buy = lines.purchase
    days = (
        pd.DataFrame({"customer": lines.customer[buy], "day": lines.day[buy], "amount": lines.amount[buy]})
        .groupby(["customer", "day"], sort=True)["amount"]
        .sum()
        .reset_index()
    )
    per = days.groupby("customer", sort=True).agg(
        first=("day", "min"), last=("day", "max"), n_days=("day", "size"), gross=("amount", "sum"),
        first_value=("amount", "first"),
    )
    net = np.bincount(lines.customer, weights=lines.amount, minlength=len(lines.customer_ids))[per.index]
    frequency = per["n_days"].to_numpy() - 1
    gross = per["gross"].to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        keep = np.clip(np.where(gross > 0, net / gross, 0.0), 0, 1)
        repeat_mean = np.where(frequency > 0, (gross - per["first_value"].to_numpy()) / frequency, 0.0)
    summary = pd.DataFrame({
        "customer_id": lines.customer_ids[per.index].astype("str"),
        "frequency": frequency,
        "recency": (per["last"] - per["first"]).to_numpy() / unit,
        "T": (lines.as_of_day - per["first"]).to_numpy() / unit,
        "monetary_value": repeat_mean * keep,
        "net_revenue": net,
    })
    return summary, len(lines.customer_ids) - len(per)


def _unit(time_unit: str) -> float:
    if time_unit not in UNIT_DAYS:
        raise SchemaError(
            f"time_unit {time_unit!r} is not supported; use 'day' or 'week'.",
            code="invalid_time_unit",
            time_unit=str(time_unit),
        )
    return UNIT_DAYS[time_unit]


def _arrays(frequency: object, recency: object, T: object) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return tuple(np.asarray(v, dtype=np.float64) for v in (frequency, recency, T))


def _check_lengths(*columns: np.ndarray) -> None:
    lengths = sorted({len(np.atleast_1d(c)) for c in columns})
    if len(lengths) > 1:
        raise SchemaError(
            f"The summary columns have different lengths ({', '.join(map(str, lengths))}); pass one value per "
            "customer in each.",
            code="summary_length_mismatch",
            lengths=", ".join(map(str, lengths)),
        )


def _check_summary(x: np.ndarray, t_x: np.ndarray, big_t: np.ndarray) -> None:
    """Frequency, recency and T must be finite, non-negative, with recency <= T and recency 0 without repeats."""
    _check_lengths(x, t_x, big_t)
    finite = np.isfinite(x) & np.isfinite(t_x) & np.isfinite(big_t)
    bad = ~finite | (x < 0) | (t_x < 0) | (t_x > big_t + 1e-9) | ((x == 0) & (t_x > 0)) | (x != np.round(x))
    if bad.any():
        row = int(np.argmax(bad))
        raise SchemaError(
            f"Row {row} has frequency={x[row]}, recency={t_x[row]}, T={big_t[row]}: frequency must be a whole "
            "number >= 0, recency between 0 and T, and 0 when frequency is 0; fix or remove that row.",
            code="invalid_summary",
            row=row,
            frequency=float(x[row]),
            recency=float(t_x[row]),
            T=float(big_t[row]),
        )
    if int((x > 0).sum()) < 2:
        raise InsufficientDataError(
            f"Only {int((x > 0).sum())} customers bought more than once; the BG/NBD model needs repeat buyers "
            f"(at least {MIN_REPEAT_BUYERS} for a stable fit).",
            code="too_few_repeat_buyers",
            count=int((x > 0).sum()),
            minimum=MIN_REPEAT_BUYERS,
        )


def _hyp2f1(a: object, b: object, c: object, z: object) -> np.ndarray:
    """Gauss's hypergeometric function 2F1(a, b; c; z).

    A fit drifting towards its Poisson limit (r, alpha and b in the 10^5) gives parameters where
    scipy's hyp2f1 returns NaN; there z = t / (alpha + T + t) is tiny and the power series converges
    within a few dozen terms, so those values are summed directly.
    """
    a, b, c, z = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in (a, b, c, z)))
    value = np.array(hyp2f1(a, b, c, z), dtype=float, ndmin=1)
    bad = ~np.isfinite(value)
    if bad.any():
        value[bad] = _hyp2f1_series(a.ravel()[bad.ravel()], b.ravel()[bad.ravel()], c.ravel()[bad.ravel()],
                                    z.ravel()[bad.ravel()])
    return value.reshape(np.shape(a)) if np.ndim(a) else value[0]


def _hyp2f1_series(a: np.ndarray, b: np.ndarray, c: np.ndarray, z: np.ndarray, max_terms: int = 10_000) -> np.ndarray:
    """The power series of 2F1, summed until every term is below 1e-15 of its sum (inf if it never is)."""
    total, term = np.ones_like(z), np.ones_like(z)
    for k in range(max_terms):
        term = term * (a + k) * (b + k) / ((c + k) * (k + 1)) * z
        total = total + term
        if np.all(np.abs(term) <= 1e-15 * np.abs(total)):
            return total
    return np.where(np.abs(term) <= 1e-15 * np.abs(total), total, np.inf)


def _maximise(loglik: Callable[[np.ndarray], tuple[float, np.ndarray]], start: np.ndarray) -> OptimizeResult:
    """L-BFGS-B on the negative mean log-likelihood over log-parameters."""

    def objective(theta: np.ndarray) -> tuple[float, np.ndarray]:
        value, gradient = loglik(theta)
        return -value, -gradient

    bounds = [(-_LOG_BOUND, _LOG_BOUND)] * len(start)
    options = {"ftol": 1e-13, "gtol": 1e-9, "maxiter": 2000}
    return minimize(objective, start, jac=True, method="L-BFGS-B", bounds=bounds, options=options)


def _converged(fit: OptimizeResult) -> bool:
    return bool(fit.success or np.max(np.abs(fit.jac)) < _GRADIENT_TOLERANCE)


def _bgnbd_loglik(
    theta: np.ndarray, x: np.ndarray, t_x: np.ndarray, big_t: np.ndarray, weight: np.ndarray, shift: int = 0
) -> tuple[float, np.ndarray]:
    """Weighted mean (M)BG/NBD log-likelihood and its gradient in log-parameters.

    BG/NBD (eq. 6) has ``shift`` 0; MBG/NBD has ``shift`` 1, which puts x + 1 wherever BG/NBD has x
    in the Beta terms and so adds a dropout chance right after the first purchase. The special
    functions depend on the frequency only, so they are evaluated once per distinct frequency (a few
    dozen) rather than once per customer.
    """
    r, alpha, a, b = np.exp(theta)
    xs, at = np.unique(x, return_inverse=True)
    ks = xs + shift  # dropout chances so far
    can_drop = (x + shift) > 0
    first = gammaln(r + xs) - gammaln(r) - betaln(a, b)
    with np.errstate(invalid="ignore", divide="ignore"):
        stay_beta = betaln(a, b + ks)
        drop_beta = np.where(ks > 0, betaln(a + 1, b + ks - 1), -np.inf)
        psi_b_drop = np.where(ks > 0, psi(b + ks - 1), 0.0)
    psi_ab, psi_abk = psi(a + b), psi(a + b + ks)
    d_stay_a = psi_ab - psi_abk
    d_stay_b = psi(b + ks) - psi_abk - psi(b) + psi_ab
    d_drop_a = psi(a + 1) - psi(a) + psi_ab - psi_abk
    d_drop_b = psi_b_drop - psi_abk - psi(b) + psi_ab

    log_end, log_last = np.log(alpha + big_t), np.log(alpha + t_x)
    stay = stay_beta[at] - (r + x) * log_end
    drop = drop_beta[at] - (r + x) * log_last
    both = np.logaddexp(stay, drop)
    w_stay = np.exp(stay - both)
    w_drop = np.where(can_drop, 1 - w_stay, 0.0)
    gradient = np.array([
        r * (psi(r + xs)[at] - psi(r) + np.log(alpha) - w_stay * log_end - w_drop * log_last),
        r - alpha * (r + x) * (w_stay / (alpha + big_t) + w_drop / (alpha + t_x)),
        a * (w_stay * d_stay_a[at] + w_drop * d_drop_a[at]),
        b * (w_stay * d_stay_b[at] + w_drop * d_drop_b[at]),
    ])
    value = first[at] + r * np.log(alpha) + both
    return float(weight @ value), gradient @ weight


def _gamma_gamma_loglik(theta: np.ndarray, x: np.ndarray, m: np.ndarray) -> tuple[float, np.ndarray]:
    """Mean Gamma-Gamma log-likelihood of the mean spends and its gradient in log-parameters."""
    p, q, v = np.exp(theta)
    px = p * x
    log_total = np.log(v + x * m)
    values = (
        gammaln(px + q) - gammaln(px) - gammaln(q) + q * np.log(v) + (px - 1) * np.log(m) + px * np.log(x)
        - (px + q) * log_total
    )
    psi_pq = psi(px + q)
    gradient = np.array([
        p * x * (psi_pq - psi(px) + np.log(m) + np.log(x) - log_total),
        q * (psi_pq - psi(q) + np.log(v) - log_total),
        v * (q / v - (px + q) / (v + x * m)),
    ])
    return float(values.mean()), gradient.mean(axis=1)
