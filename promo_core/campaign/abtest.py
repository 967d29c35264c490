"""A/B/n tests on conversions and amounts, with the checks that keep marketers from fooling themselves.

Per variant against the control: absolute and relative lift with intervals, p-value, p-value
adjusted across variants (and across metrics in :func:`ab_test_many`) by statsmodels'
``multipletests``, Bayesian chance to beat control and the detectable effect. Before any of that:
a sample-ratio-mismatch chi-square (scipy) against the planned split, minimum-sample checks, and
CUPED (Deng et al. 2013) when a pre-period covariate is given: theta is the pooled OLS slope of the
metric on the covariate, computed from the same per-arm sums.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Literal

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.multitest import multipletests

from promo_core.campaign.compare import Arm, compare_arms
from promo_core.campaign.data import Kind, Prepared, Sums, choose_control, prepare, sum_by
from promo_core.campaign.notes import Note, notes_frame
from promo_core.errors import SchemaError

Correction = Literal["holm", "bh", "none"]
SRM_THRESHOLD = 0.001
"""p-value below which the split is called a mismatch (the usual, deliberately strict threshold)."""
MIN_ARM = 100
MIN_EVENTS = 10
LIKELY = 0.9
"""Chance to beat (or lose to) the control from which a lift that is not significant reads as likely:
a 98% chance must not read as "no effect" beside "not significant"."""
VERDICTS = ("up", "down", "likely_up", "likely_down", "none", "invalid")
_METHODS = {"holm": "holm", "bh": "fdr_bh", "fdr_bh": "fdr_bh"}


@dataclass(frozen=True, eq=False)
class SrmCheck:
    """Chi-square of the observed arm sizes against the planned split; ``mismatch`` below the threshold."""

    chi2: float
    p_value: float
    mismatch: bool
    table: pd.DataFrame  # group, observed, expected, planned_share

    def summary(self) -> pd.DataFrame:
        return self.table.copy()


@dataclass(frozen=True, eq=False)
class ABTestResult:
    """One metric: ``table`` has a row per variant; ``groups`` a row per arm; ``notes`` the checks."""

    metric: str
    kind: Literal["binary", "continuous"]
    group: str
    control: str
    variants: tuple[str, ...]
    alpha: float
    correction: str
    covariate: str | None
    theta: float | None
    variance_reduction: float | None
    table: pd.DataFrame
    groups: pd.DataFrame
    srm: SrmCheck
    notes: tuple[Note, ...]
    rows_used: int
    rows_dropped: int

    def summary(self) -> pd.DataFrame:
        """The per-variant lift table."""
        return self.table.copy()

    def notes_table(self) -> pd.DataFrame:
        return notes_frame(self.notes)

    @property
    def verdicts(self) -> list[str]:
        """Per variant, in ``table`` order, one of ``VERDICTS``: "invalid" after a sample-ratio
        mismatch; "up" or "down" when significant after the adjustment; "likely_up" or "likely_down"
        with at least a ``LIKELY`` chance to beat (lose to) the control; else "none"."""
        if self.srm.mismatch:
            return ["invalid"] * len(self.table)
        return [_verdict(r.significant, r.abs_lift, r.prob_beat_control) for r in self.table.itertuples()]


def _verdict(significant: bool, lift: float, chance: float | None) -> str:
    if significant:
        return "up" if lift > 0 else "down"
    if chance is None or np.isnan(chance):
        return "none"
    return "likely_up" if chance >= LIKELY else "likely_down" if chance <= 1 - LIKELY else "none"


@dataclass(frozen=True, eq=False)
class ABTestSuite:
    """Several metrics of one test; p-values adjusted across every variant and metric together."""

    results: tuple[ABTestResult, ...]
    correction: str

    def summary(self) -> pd.DataFrame:
        return pd.concat([r.table.assign(metric=r.metric) for r in self.results], ignore_index=True)

    def __getitem__(self, metric: str) -> ABTestResult:
        return next(r for r in self.results if r.metric == metric)


def ab_test(
    frame: pd.DataFrame,
    metric: str,
    group: str = "group",
    control: str | None = None,
    covariate: str | None = None,
    alpha: float = 0.05,
    correction: Correction = "holm",
    planned_split: Mapping[str, float] | None = None,
    kind: Kind = "auto",
) -> ABTestResult:
    """Compare every variant with the control on ``metric`` (0/1 conversions or amounts).

    Rows without a group or outcome are dropped and counted in a note; ``planned_split`` maps group
    to intended share (equal by default) for the sample-ratio check.
    """
    check_options(alpha, correction)
    prepared = prepare(frame, metric, group, covariate, kind)
    control = choose_control(prepared.groups, control, group)
    srm = check_srm(prepared.groups, prepared.assigned, planned_split)
    sums = sum_by(prepared.codes, len(prepared.groups), prepared.y, prepared.x)
    arms, theta, reduction, cuped_notes = _arms(sums, prepared, covariate)
    rows = [
        {"variant": name, "n": arm.n, "mean": arm.mean, "control_n": arms[control].n,
         "control_mean": arms[control].mean, **compare_arms(arms[control], arm, alpha)}
        for name, arm in arms.items() if name != control
    ]
    table = with_adjusted(pd.DataFrame(rows), correction, alpha)
    notes = (*prepared.notes, *cuped_notes, *_srm_notes(srm, group),
             *_sample_notes(prepared.groups, sums, control, prepared.kind))
    return ABTestResult(
        metric=metric, kind=prepared.kind, group=group, control=control, variants=tuple(table["variant"]),
        alpha=alpha, correction=correction, covariate=covariate, theta=theta, variance_reduction=reduction,
        table=table, groups=_groups_table(arms, prepared, sums, srm), srm=srm, notes=notes,
        rows_used=len(prepared.y), rows_dropped=prepared.rows_dropped,
    )


def ab_test_many(
    frame: pd.DataFrame,
    metrics: Sequence[str],
    group: str = "group",
    control: str | None = None,
    covariates: Mapping[str, str] | None = None,
    alpha: float = 0.05,
    correction: Correction = "holm",
    planned_split: Mapping[str, float] | None = None,
) -> ABTestSuite:
    """:func:`ab_test` for each metric (optionally each with its CUPED covariate), with the multiple-
    testing adjustment taken over all variants of all metrics at once."""
    check_options(alpha, correction)
    covariates = covariates or {}
    results = [
        ab_test(frame, m, group, control, covariates.get(m), alpha, "none", planned_split) for m in metrics
    ]
    joint = pd.concat([r.table[["p_value"]] for r in results], ignore_index=True)
    joint = with_adjusted(joint, correction, alpha)
    adjusted, start = [], 0
    for result in results:
        part = joint.iloc[start:start + len(result.table)]
        start += len(result.table)
        table = result.table.assign(p_adjusted=part["p_adjusted"].to_numpy(), significant=part["significant"].to_numpy())
        adjusted.append(replace(result, table=table, correction=correction))
    return ABTestSuite(tuple(adjusted), correction)


def check_srm(groups: list[str], assigned: np.ndarray, planned_split: Mapping[str, float] | None) -> SrmCheck:
    """Chi-square goodness of fit of the arm sizes to the planned split (scipy.stats.chisquare)."""
    shares = _planned_shares(groups, planned_split)
    expected = shares * assigned.sum()
    chi2, p_value = stats.chisquare(assigned, expected)
    table = pd.DataFrame({"group": groups, "observed": assigned, "expected": expected, "planned_share": shares})
    return SrmCheck(float(chi2), float(p_value), bool(p_value < SRM_THRESHOLD), table)


def _planned_shares(groups: list[str], planned_split: Mapping[str, float] | None) -> np.ndarray:
    if planned_split is None:
        return np.full(len(groups), 1 / len(groups))
    unknown = sorted(set(map(str, planned_split)) - set(groups))
    missing = [g for g in groups if g not in planned_split]
    values = np.array([planned_split.get(g, np.nan) for g in groups], dtype="float64")
    if unknown or missing or not (values > 0).all():
        raise SchemaError(
            f"The planned split must give a positive share for every group ({', '.join(groups)}); "
            f"unknown: {', '.join(unknown) or '-'}; missing: {', '.join(missing) or '-'}.",
            code="planned_split_invalid",
            groups=", ".join(groups),
            unknown=", ".join(unknown),
            missing=", ".join(missing),
        )
    return values / values.sum()


def _arms(sums: Sums, prepared: Prepared, covariate: str | None) -> tuple[dict[str, Arm], float | None, float | None, list[Note]]:
    """Per-arm n, mean and variance; CUPED-adjusted when a usable covariate is given."""
    n, mean, var = raw_moments(sums)
    theta = reduction = None
    notes: list[Note] = []
    if covariate is not None:
        theta, reduction, mean, var, notes = _cuped(sums.table, n, mean, var, covariate)
    return arms_from(prepared.groups, n, mean, var, prepared.kind == "binary" and theta is None), theta, reduction, notes


def arms_from(names: Sequence[str], n: np.ndarray, mean: np.ndarray, var: np.ndarray, binary: bool) -> dict[str, Arm]:
    """Arm records by name; conversions are counted back from the mean for binary metrics."""
    return {
        name: Arm(int(n[i]), float(mean[i]), float(var[i]), int(round(mean[i] * n[i])) if binary else None)
        for i, name in enumerate(names)
    }


def raw_moments(sums: Sums) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """n, mean and variance (ddof=1) per key of unadjusted sums."""
    t = sums.table
    n = t["n"].to_numpy()
    return n, t["sy"].to_numpy() / np.maximum(n, 1) + sums.y_shift, _comoment(t["syy"], t["sy"], t["sy"], n)


def _comoment(s_ab: pd.Series, s_a: pd.Series, s_b: pd.Series, n: np.ndarray) -> np.ndarray:
    """Sample covariance (ddof=1) from sums of products and sums; NaN for fewer than two rows."""
    with np.errstate(invalid="ignore", divide="ignore"):
        centred = s_ab.to_numpy() - s_a.to_numpy() * s_b.to_numpy() / np.maximum(n, 1)
        return np.where(n > 1, centred / (n - 1), np.nan)


def _cuped(t: pd.DataFrame, n: np.ndarray, mean: np.ndarray, var: np.ndarray, covariate: str):
    """theta = pooled Cov(x, y) / Var(x); per arm y - theta (x - overall mean of x)."""
    total = n.sum()
    sx, sy = t["sx"].sum(), t["sy"].sum()
    sxx = t["sxx"].sum() - sx * sx / total
    sxy = t["sxy"].sum() - sx * sy / total
    syy = t["syy"].sum() - sy * sy / total
    if not sxx > 0:
        return None, None, mean, var, [Note("covariate_constant", "warning", {"column": covariate})]
    theta = sxy / sxx
    adjusted_mean = mean - theta * (t["sx"].to_numpy() / np.maximum(n, 1) - sx / total)
    adjusted_var = (var + theta * theta * _comoment(t["sxx"], t["sx"], t["sx"], n)
                    - 2 * theta * _comoment(t["sxy"], t["sx"], t["sy"], n))
    reduction = float(sxy * sxy / (sxx * syy)) if syy > 0 else 0.0
    return float(theta), reduction, adjusted_mean, adjusted_var, [
        Note("cuped_applied", "info", {"column": covariate, "theta": float(theta), "variance_reduction": reduction})
    ]


def with_adjusted(table: pd.DataFrame, correction: str, alpha: float) -> pd.DataFrame:
    """Add ``p_adjusted`` (statsmodels multipletests over the rows) and ``significant``."""
    p = table["p_value"].to_numpy(dtype="float64")
    adjusted = p.copy()
    ok = ~np.isnan(p)
    if correction != "none" and ok.any():
        adjusted[ok] = multipletests(p[ok], alpha=alpha, method=_METHODS[correction])[1]
    return table.assign(p_adjusted=adjusted, significant=adjusted < alpha)


def _groups_table(arms: dict[str, Arm], prepared: Prepared, sums: Sums, srm: SrmCheck) -> pd.DataFrame:
    raw_mean = sums.table["sy"].to_numpy() / np.maximum(sums.table["n"].to_numpy(), 1) + sums.y_shift
    return pd.DataFrame({
        "group": prepared.groups,
        "assigned": prepared.assigned,
        "n": [arms[g].n for g in prepared.groups],
        "share": prepared.assigned / prepared.assigned.sum(),
        "planned_share": srm.table["planned_share"].to_numpy(),
        "mean": raw_mean,
        "adjusted_mean": [arms[g].mean for g in prepared.groups],
        "sd": [float(np.sqrt(arms[g].var)) if arms[g].var >= 0 else float("nan") for g in prepared.groups],
    })


def _srm_notes(srm: SrmCheck, group: str) -> list[Note]:
    if not srm.mismatch:
        return []
    return [Note("srm", "alert", {"column": group, "chi2": srm.chi2, "p_value": srm.p_value, "threshold": SRM_THRESHOLD})]


def _sample_notes(groups: list[str], sums: Sums, control: str, kind: str) -> list[Note]:
    """Arms too small for the normal approximation, conversions too few, a control mean of zero."""
    n = sums.table["n"].to_numpy()
    mean = sums.table["sy"].to_numpy() / np.maximum(n, 1) + sums.y_shift
    notes = []
    for name, size, m in zip(groups, n.astype(int), mean):
        if size < MIN_ARM:
            notes.append(Note("small_sample", "warning", {"group": name, "n": int(size), "minimum": MIN_ARM}))
        events = int(round(m * size))
        if kind == "binary" and events == 0:
            notes.append(Note("zero_conversions", "warning", {"group": name, "n": int(size)}))
        elif kind == "binary" and min(events, size - events) < MIN_EVENTS:
            notes.append(Note("few_conversions", "warning", {"group": name, "conversions": events, "minimum": MIN_EVENTS}))
        if name == control and m == 0:
            notes.append(Note("control_mean_zero", "warning", {"group": name}))
    return notes


def check_options(alpha: float, correction: str) -> None:
    if not 0 < alpha < 1:
        raise SchemaError(f"alpha must lie strictly between 0 and 1, not {alpha!r}.", code="alpha_invalid", alpha=alpha)
    if correction not in (*_METHODS, "none"):
        raise SchemaError(
            f"Unknown multiple-testing correction {correction!r}; use 'holm', 'bh' or 'none'.",
            code="correction_invalid",
            correction=str(correction),
        )
