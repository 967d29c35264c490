"""Lift per segment (RFM segment, cluster or any categorical column) and whether it differs.

Each segment gets the same per-variant comparison as the whole test, with p-values adjusted over
every segment and variant. Heterogeneity is Cochran's Q on the per-segment absolute lifts with
inverse-variance weights (statsmodels ``combine_effects``): a small p-value says the effect is not
the same everywhere, which is what makes targeting worth it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from statsmodels.stats.meta_analysis import combine_effects

from promo_core.campaign.abtest import Correction, arms_from, check_options, raw_moments, with_adjusted
from promo_core.campaign.compare import compare_arms
from promo_core.campaign.data import Kind, choose_control, prepare, require_columns, sum_by
from promo_core.campaign.notes import Note, notes_frame
from promo_core.errors import InsufficientDataError


@dataclass(frozen=True, eq=False)
class SegmentLiftResult:
    """``table``: a row per segment and variant; ``heterogeneity``: Cochran's Q per variant."""

    metric: str
    kind: Literal["binary", "continuous"]
    segment: str
    control: str
    variants: tuple[str, ...]
    alpha: float
    correction: str
    table: pd.DataFrame
    heterogeneity: pd.DataFrame
    notes: tuple[Note, ...]

    def summary(self) -> pd.DataFrame:
        return self.table.copy()

    def notes_table(self) -> pd.DataFrame:
        return notes_frame(self.notes)


def segment_lifts(
    frame: pd.DataFrame,
    metric: str,
    segment: str,
    group: str = "group",
    control: str | None = None,
    alpha: float = 0.05,
    correction: Correction = "holm",
    kind: Kind = "auto",
) -> SegmentLiftResult:
    """Lift of every variant over the control inside each value of ``segment``."""
    check_options(alpha, correction)
    require_columns(frame, segment)
    prepared = prepare(frame, metric, group, None, kind)
    control = choose_control(prepared.groups, control, group)
    seg_codes, seg_names = pd.factorize(frame[segment], sort=True)
    if prepared.kept is not None:
        seg_codes = seg_codes[prepared.kept]
    notes = list(prepared.notes)
    if (seg_codes < 0).any():
        notes.append(Note("missing_segment_dropped", "warning", {"column": segment, "rows": int((seg_codes < 0).sum())}))
    valid = seg_codes >= 0
    n_groups = len(prepared.groups)
    keys = seg_codes[valid] * n_groups + prepared.codes[valid]
    sums = sum_by(keys, len(seg_names) * n_groups, prepared.y[valid])
    n, mean, var = raw_moments(sums)
    rows = []
    for s, name in enumerate(map(str, seg_names)):
        part = slice(s * n_groups, (s + 1) * n_groups)
        arms = arms_from(prepared.groups, n[part], mean[part], var[part], prepared.kind == "binary")
        for variant, arm in arms.items():
            if variant == control:
                continue
            if min(arm.n, arms[control].n) < 2:
                notes.append(Note("segment_skipped", "warning", {"segment": name, "variant": variant, "n": arm.n,
                                                                  "control_n": arms[control].n}))
                continue
            rows.append({"segment": name, "variant": variant, "n": arm.n, "mean": arm.mean,
                         "control_n": arms[control].n, "control_mean": arms[control].mean,
                         **compare_arms(arms[control], arm, alpha)})
    if not rows:
        raise InsufficientDataError(
            f"No value of '{segment}' has at least two customers in the control and in a variant, so no "
            "segment can be compared. Choose a coarser segment column.",
            code="segments_too_small",
            column=segment,
        )
    table = with_adjusted(pd.DataFrame(rows), correction, alpha)
    return SegmentLiftResult(
        metric=metric, kind=prepared.kind, segment=segment, control=control,
        variants=tuple(v for v in prepared.groups if v != control), alpha=alpha, correction=correction,
        table=table, heterogeneity=_heterogeneity(table, alpha), notes=tuple(notes),
    )


def _heterogeneity(table: pd.DataFrame, alpha: float) -> pd.DataFrame:
    rows = []
    for variant, part in table.groupby("variant", sort=False):
        usable = part[part["se"] > 0]
        if len(usable) < 2:
            rows.append({"variant": variant, "segments": len(usable), "q": np.nan, "df": np.nan,
                         "p_value": np.nan, "i2": np.nan, "differs": False})
            continue
        combined = combine_effects(usable["abs_lift"].to_numpy(), usable["se"].to_numpy() ** 2)
        test = combined.test_homogeneity()
        rows.append({"variant": variant, "segments": len(usable), "q": float(test.statistic), "df": int(test.df),
                     "p_value": float(test.pvalue), "i2": float(max(combined.i2, 0.0)),
                     "differs": bool(test.pvalue < alpha)})
    return pd.DataFrame(rows)
