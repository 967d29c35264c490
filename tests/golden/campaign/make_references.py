"""Produce the golden reference values for promo_core.campaign with statsmodels and scipy only.

    python tests/golden/campaign/make_references.py     # rewrites golden_ab.csv and references.json

The data (``golden_ab.csv``) is a small seeded three-arm test with a conversion, a revenue and a
pre-period covariate. Every reference comes from an independent library call on the raw rows
(never from promo_core): proportions_ztest, confint_proportions_2indep (Newcombe), the relative
lift's interval from the same limits (MOVER-R on statsmodels' Wilson limits for conversions, Fieller
at Welch's critical t for amounts; each limit found by root bracketing), CompareMeans (Welch), OLS for the CUPED theta, chisquare,
multipletests, NormalIndPower and the closed-form sample size, the exact Beta-Bernoulli probability
that B beats A (Evan Miller's sum), and Cochran's Q written out.

Hillstrom (MineThatData E-Mail Analytics challenge, 2008): the raw file is not available offline.
The counts below are its published arm sizes and conversions: 21,306 no-e-mail / 21,307 men's /
21,387 women's customers (the challenge description and many write-ups), and 122 / 267 / 189
conversions. The conversions are pinned down by published figures: overall conversion 0.009031
(578 buyers; e.g. pyuplift's dataset description), relative lifts of +118.8% (men's) and +54.3%
(women's) and, for any e-mail vs none, z = 6.24 and p = 4.27e-10 from a public R/Python
cross-check; only these counts reproduce all four. Visit counts are published only as rounded
rates, so they are not used.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import optimize, special, stats
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.power import NormalIndPower
from statsmodels.stats.proportion import (
    confint_proportions_2indep,
    proportion_confint,
    proportion_effectsize,
    proportions_ztest,
)
from statsmodels.stats.weightstats import CompareMeans, DescrStatsW

HERE = Path(__file__).resolve().parent
ALPHA = 0.05
HILLSTROM = {"No E-Mail": (21306, 122), "Mens E-Mail": (21307, 267), "Womens E-Mail": (21387, 189)}


def make_data() -> pd.DataFrame:
    rng = np.random.default_rng(20240607)
    sizes = {"control": 900, "v1": 850, "v2": 950}
    rate = {"control": 0.10, "v1": 0.13, "v2": 0.09}
    rows = []
    for g, n in sizes.items():
        pre = np.round(rng.gamma(2.0, 40.0, n), 2)
        converted = (rng.random(n) < rate[g] * (0.5 + pre / 80)).astype(int)
        revenue = np.round(np.where(converted, 20 + 0.4 * pre + rng.normal(0, 8, n), 0.0), 2)
        segment = rng.choice(["s1", "s2", "s3"], n, p=[0.5, 0.3, 0.2])
        rows.append(pd.DataFrame({"group": g, "segment": segment, "pre_revenue": pre, "converted": converted,
                                  "revenue": revenue}))
    return pd.concat(rows, ignore_index=True)


def ratio_roots(gap: Callable[[float], float], ratio: float) -> list[float]:
    """The ratios r below and above ``ratio`` where ``gap(r)`` (a squared distance minus its allowance)
    is 0, found by bracketing with brentq rather than by any closed form, as relative lifts r - 1."""
    low = optimize.brentq(gap, 0.0, ratio) if gap(0.0) > 0 else 0.0
    top = ratio * 2 + 1
    while gap(top) <= 0:
        top *= 2
    return [ratio - 1, low - 1, optimize.brentq(gap, ratio, top) - 1]


def relative_mover(c1: int, n1: int, c0: int, n0: int) -> list[float]:
    """p1/p0 - 1 with MOVER-R on Wilson limits (Donner & Zou 2012): a ratio r is inside while
    (p1 - r p0)^2 <= (p1 - l1)^2 + r^2 (u0 - p0)^2 below p1/p0, (u1 - p1)^2 + r^2 (p0 - l0)^2 above."""
    p1, p0 = c1 / n1, c0 / n0
    l1, u1 = proportion_confint(c1, n1, alpha=ALPHA, method="wilson")
    l0, u0 = proportion_confint(c0, n0, alpha=ALPHA, method="wilson")

    def gap(r: float) -> float:
        below = r < p1 / p0
        allowance = (p1 - l1) ** 2 + r * r * (u0 - p0) ** 2 if below else (u1 - p1) ** 2 + r * r * (p0 - l0) ** 2
        return (p1 - r * p0) ** 2 - allowance

    return ratio_roots(gap, p1 / p0)


def relative_fieller(a: np.ndarray, b: np.ndarray, df: float) -> list[float]:
    """mean(a)/mean(b) - 1 with Fieller's interval at Welch's critical t: r is inside while
    (m1 - r m0)^2 <= t^2 (se1^2 + r^2 se0^2)."""
    m1, m0 = a.mean(), b.mean()
    s1, s0 = a.var(ddof=1) / len(a), b.var(ddof=1) / len(b)
    t2 = stats.t.ppf(1 - ALPHA / 2, df) ** 2
    return ratio_roots(lambda r: (m1 - r * m0) ** 2 - t2 * (s1 + r * r * s0), m1 / m0)


def beta_beats(c_a: int, n_a: int, c_b: int, n_b: int) -> float:
    """Exact P(p_B > p_A) with Beta(1 + c, 1 + n - c) posteriors (Evan Miller, 2015)."""
    a_a, b_a, a_b, b_b = 1 + c_a, 1 + n_a - c_a, 1 + c_b, 1 + n_b - c_b
    i = np.arange(a_b)
    terms = special.betaln(a_a + i, b_a + b_b) - np.log(b_b + i) - special.betaln(1 + i, b_b) - special.betaln(a_a, b_a)
    return float(np.exp(terms).sum())


def binary_refs(c1: int, n1: int, c0: int, n0: int) -> dict:
    z, p = proportions_ztest([c1, c0], [n1, n0])
    low, high = confint_proportions_2indep(c1, n1, c0, n0, compare="diff", method="newcomb", alpha=ALPHA)
    p1, p0 = c1 / n1, c0 / n0
    return {"abs_lift": p1 - p0, "abs_lift_low": float(low), "abs_lift_high": float(high), "statistic": float(z),
            "p_value": float(p), "rel": relative_mover(c1, n1, c0, n0),
            "prob_beat_control": beta_beats(c0, n0, c1, n1)}


def welch_refs(a: np.ndarray, b: np.ndarray) -> dict:
    cm = CompareMeans(DescrStatsW(a), DescrStatsW(b))
    t, p, df = cm.ttest_ind(usevar="unequal")
    low, high = cm.tconfint_diff(alpha=ALPHA, usevar="unequal")
    va, vb = a.var(ddof=1) / len(a), b.var(ddof=1) / len(b)
    return {"abs_lift": a.mean() - b.mean(), "abs_lift_low": float(low), "abs_lift_high": float(high),
            "statistic": float(t), "p_value": float(p), "rel": relative_fieller(a, b, df),
            "prob_beat_control": float(stats.norm.cdf((a.mean() - b.mean()) / np.sqrt(va + vb)))}


def ab_refs(data: pd.DataFrame) -> dict:
    out: dict = {"srm": list(map(float, stats.chisquare(data["group"].value_counts().sort_index().to_numpy())))}
    by = {g: part for g, part in data.groupby("group")}
    c = by["control"]
    out["converted"] = {v: binary_refs(int(by[v]["converted"].sum()), len(by[v]), int(c["converted"].sum()), len(c))
                        for v in ("v1", "v2")}
    out["revenue"] = {v: welch_refs(by[v]["revenue"].to_numpy(), c["revenue"].to_numpy()) for v in ("v1", "v2")}
    ols = sm.OLS(data["revenue"], sm.add_constant(data["pre_revenue"])).fit()
    theta = float(ols.params["pre_revenue"])
    adjusted = data["revenue"] - theta * (data["pre_revenue"] - data["pre_revenue"].mean())
    out["cuped"] = {"theta": theta, "variance_reduction": float(1 - adjusted.var() / data["revenue"].var()),
                    **{v: welch_refs(adjusted[data["group"] == v].to_numpy(), adjusted[data["group"] == "control"].to_numpy())
                       for v in ("v1", "v2")}}
    p_all = [out["converted"][v]["p_value"] for v in ("v1", "v2")] + [out["revenue"][v]["p_value"] for v in ("v1", "v2")]
    out["holm_two"] = list(multipletests(p_all[:2], method="holm")[1])
    out["bh_two"] = list(multipletests(p_all[:2], method="fdr_bh")[1])
    out["holm_joint"] = list(multipletests(p_all, method="holm")[1])
    out["segments"] = segment_refs(data)
    return out


def segment_refs(data: pd.DataFrame) -> dict:
    lifts, ses = [], []
    for s in ("s1", "s2", "s3"):
        part = data[data["segment"] == s]
        t, c = part[part["group"] == "v1"]["converted"], part[part["group"] == "control"]["converted"]
        lifts.append(t.mean() - c.mean())
        ses.append(np.sqrt(t.mean() * (1 - t.mean()) / len(t) + c.mean() * (1 - c.mean()) / len(c)))
    w = 1 / np.square(ses)
    pooled = (w * lifts).sum() / w.sum()
    q = float((w * np.square(np.array(lifts) - pooled)).sum())
    return {"v1_lifts": lifts, "v1_q": q, "v1_p": float(stats.chi2.sf(q, 2))}


def power_refs() -> dict:
    h = proportion_effectsize(0.12, 0.10)
    z = stats.norm.ppf(1 - ALPHA / 2) + stats.norm.ppf(0.8)
    closed = 2 * (z / h) ** 2  # n per arm, equal arms: Var(2 asin sqrt p1 - 2 asin sqrt p0) = 1/n + 1/n
    n_sm = NormalIndPower().solve_power(effect_size=h, alpha=ALPHA, power=0.8, ratio=1.0)
    d = 5.0 / 40.0
    n_mean = (z / d) ** 2 * (1 + 1 / 2)  # ratio 2: n1 = z^2 (1 + 1/r) / d^2
    return {"proportion_n_closed_form": closed, "proportion_n_statsmodels": float(n_sm), "mean_n_ratio2": n_mean}


def hillstrom_refs() -> dict:
    n0, c0 = HILLSTROM["No E-Mail"]
    out = {v: binary_refs(c, n, c0, n0) for v, (n, c) in HILLSTROM.items() if v != "No E-Mail"}
    n_any = HILLSTROM["Mens E-Mail"][0] + HILLSTROM["Womens E-Mail"][0]
    c_any = HILLSTROM["Mens E-Mail"][1] + HILLSTROM["Womens E-Mail"][1]
    out["Any E-Mail"] = binary_refs(c_any, n_any, c0, n0)
    out["srm"] = list(map(float, stats.chisquare([n for n, _ in HILLSTROM.values()])))
    return out


def main() -> None:
    data = make_data()
    data.to_csv(HERE / "golden_ab.csv", index=False)
    data = pd.read_csv(HERE / "golden_ab.csv")  # references from exactly the committed rows
    refs = {"ab": ab_refs(data), "power": power_refs(), "hillstrom": hillstrom_refs(), "hillstrom_counts": HILLSTROM}
    (HERE / "references.json").write_text(json.dumps(refs, indent=1, default=float) + "\n")


if __name__ == "__main__":
    main()
