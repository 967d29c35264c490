"""Benchmark: RFM segments, automatic k and CLV on orders from the sample shop's generator.

Targets (issue 3), each measured against a reference in the same run where one exists:
1. ``rfm_table`` (RFM, scores and named segments) on 1M order lines (~140k customers) takes at most
   2x a plain vectorised pandas RFM, and is at least 20x faster than per-customer Python code: a
   ``groupby().apply`` returning a Series per customer, and per-customer lambdas in
   ``groupby().agg`` (the faster of the two). Both loops are timed on a subset of customers and
   extrapolated linearly to all of them (the apply loop would take minutes in full).
2. ``cluster_customers`` with automatic k on 150k customers: under 5 s.
3. ``customer_value`` (MBG/NBD and Gamma-Gamma fits plus predictions) on 100k customers: under 10 s.
Times are medians of ``--repeats`` runs; peak memory is the process's peak RSS.

    python -m bench.bench_segments                          # full size, 3 repeats
    python -m bench.bench_segments --lines 20000 --repeats 1   # smoke size, as CI runs it
"""

from __future__ import annotations

import argparse
import os
import resource

import pandas as pd

from bench.timing import median_run
from promo_core.clv import customer_value, fit_mbgnbd, purchase_summary
from promo_core.sample import generate_orders
from promo_core.segmentation import DEFAULT_SEGMENT_RULES, cluster_customers, rfm_table
from promo_core.segmentation.rfm import segment_grid

APPLY_SUBSET = 3000
"""Customers the per-customer apply loop is timed on before extrapolating."""


def canonical_orders(lines: int, customers: int, seed: int = 7) -> pd.DataFrame:
    """Generated order lines in the canonical shape load_table returns (without parsing a CSV)."""
    raw = generate_orders(lines, n_customers=customers, n_items=max(50, min(10_000, lines // 100)), seed=seed)
    return raw.assign(
        order_date=raw["order_date"].astype("datetime64[ns]"),
        quantity=raw["quantity"].astype(float),
        is_return=raw["amount"] < 0,
    )


def _scores_and_segments(rfm: pd.DataFrame) -> pd.DataFrame:
    """The usual quintiles: qcut of the rank (ties by row order), then an R x F lookup."""
    scores = {
        "r_score": -rfm["recency_days"],
        "f_score": rfm["frequency"],
        "m_score": rfm["monetary"],
    }
    for name, values in scores.items():
        rfm[name] = pd.qcut(values.rank(method="first"), 5, labels=False) + 1
    rfm["segment"] = segment_grid(DEFAULT_SEGMENT_RULES)[rfm["r_score"] - 1, rfm["f_score"] - 1]
    return rfm


def reference_rfm(orders: pd.DataFrame) -> pd.DataFrame:
    """A plain vectorised pandas RFM, as a competent analyst would write it."""
    as_of = orders["order_date"].max().normalize() + pd.Timedelta(days=1)
    known = orders[orders["customer_id"].notna()]
    buys = known[~known["is_return"]].groupby("customer_id")
    rfm = pd.DataFrame({
        "recency_days": (as_of - buys["order_date"].max().dt.normalize()).dt.days,
        "frequency": buys["order_id"].nunique(),
        "monetary": known.groupby("customer_id")["amount"].sum(),
    }).dropna()
    return _scores_and_segments(rfm)


def apply_rfm(orders: pd.DataFrame) -> pd.DataFrame:
    """The per-customer loop typical of open-source segmentation dashboards."""
    as_of = orders["order_date"].max().normalize() + pd.Timedelta(days=1)

    def one(lines: pd.DataFrame) -> pd.Series:
        buys = lines[~lines["is_return"]]
        return pd.Series({
            "recency_days": (as_of - buys["order_date"].max().normalize()).days,
            "frequency": buys["order_id"].nunique(),
            "monetary": lines["amount"].sum(),
        })

    known = orders[orders["customer_id"].notna()]
    rfm = known.groupby("customer_id")[["order_date", "order_id", "amount", "is_return"]].apply(one).dropna()
    return _scores_and_segments(rfm)


def lambda_rfm(orders: pd.DataFrame) -> pd.DataFrame:
    """Per-customer lambdas in ``groupby().agg``, the style of the widely copied RFM tutorials."""
    as_of = orders["order_date"].max().normalize() + pd.Timedelta(days=1)
    known = orders[orders["customer_id"].notna()]
    rfm = known[~known["is_return"]].groupby("customer_id").agg(
        recency_days=("order_date", lambda dates: (as_of - dates.max().normalize()).days),
        frequency=("order_id", lambda ids: ids.nunique()),
    )
    rfm["monetary"] = known.groupby("customer_id")["amount"].agg(lambda amounts: amounts.sum())
    return _scores_and_segments(rfm.dropna())


def bench_rfm(lines: int, repeats: int) -> dict[str, float]:
    orders = canonical_orders(lines, max(100, lines * 140 // 1000))
    customers = int(orders["customer_id"].nunique())
    ours, _ = median_run(lambda: rfm_table(orders), repeats)
    reference, _ = median_run(lambda: reference_rfm(orders), repeats)
    subset_ids = orders["customer_id"].dropna().drop_duplicates().sample(min(APPLY_SUBSET, customers), random_state=0)
    subset = orders[orders["customer_id"].isin(subset_ids)]
    scale = customers / len(subset_ids)
    apply_loop = median_run(lambda: apply_rfm(subset), min(repeats, 2))[0] * scale
    lambda_loop = median_run(lambda: lambda_rfm(subset), min(repeats, 2))[0] * scale
    return {
        "lines": lines, "customers": customers, "ours_s": ours, "reference_s": reference, "apply_s": apply_loop,
        "lambda_s": lambda_loop,
    }


def bench_clusters(customers: int, repeats: int) -> dict[str, float]:
    features = rfm_table(canonical_orders(max(1000, customers * 1000 // 150), customers))
    seconds, result = median_run(lambda: cluster_customers(features), repeats)
    return {"customers": len(features), "seconds": seconds, "k": result.k}


def bench_clv(customers: int, repeats: int) -> dict[str, float]:
    orders = canonical_orders(max(1000, customers * 7), customers)
    summary = purchase_summary(orders)
    fit, _ = median_run(lambda: fit_mbgnbd(summary["frequency"], summary["recency"], summary["T"]), repeats)
    whole, _ = median_run(lambda: customer_value(orders), repeats)
    return {"customers": len(summary), "fit_s": fit, "seconds": whole}


def main(argv: list[str] | None = None) -> dict[str, dict[str, float]]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=1_000_000, help="order lines for the RFM benchmark")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    scale = args.lines / 1_000_000
    rfm = bench_rfm(args.lines, args.repeats)
    clusters = bench_clusters(max(200, round(150_000 * scale)), args.repeats)
    clv = bench_clv(max(200, round(100_000 * scale)), args.repeats)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    rows = [
        ("RFM + segments vs vectorised pandas", f"{rfm['lines']:,} lines, {rfm['customers']:,} customers",
         rfm["ours_s"], f"{rfm['reference_s']:.3f}", f"{rfm['ours_s'] / rfm['reference_s']:.2f}x", "<= 2x"),
        ("RFM + segments vs groupby().apply loop*", f"{rfm['customers']:,} customers",
         rfm["ours_s"], f"{rfm['apply_s']:.1f}", f"{rfm['apply_s'] / rfm['ours_s']:.0f}x faster", ">= 20x faster"),
        ("RFM + segments vs per-customer lambdas in groupby().agg*", f"{rfm['customers']:,} customers",
         rfm["ours_s"], f"{rfm['lambda_s']:.1f}", f"{rfm['lambda_s'] / rfm['ours_s']:.0f}x faster", ">= 20x faster"),
        ("automatic k (silhouette on a sample)", f"{clusters['customers']:,} customers (k={clusters['k']})",
         clusters["seconds"], "", "", "< 5 s"),
        ("CLV: summary + MBG/NBD + Gamma-Gamma + predictions", f"{clv['customers']:,} customers",
         clv["seconds"], "", f"MBG/NBD fit alone {clv['fit_s']:.2f} s", "< 10 s"),
    ]
    print("| benchmark | size | ours s | reference s | ratio | target |")
    print("|---|---|---|---|---|---|")
    for name, size, ours, reference, ratio, target in rows:
        print(f"| {name} | {size} | {ours:.3f} | {reference} | {ratio} | {target} |")
    print(
        f"\n*per-customer loops timed on {min(APPLY_SUBSET, rfm['customers']):,} customers and extrapolated linearly. "
        f"Medians of {args.repeats} runs; {os.cpu_count()} cores; peak RSS {peak_mb:,.0f} MB."
    )
    return {"rfm": rfm, "clusters": clusters, "clv": clv}


if __name__ == "__main__":
    main()
