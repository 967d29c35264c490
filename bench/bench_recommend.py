"""Benchmark: fit a recommender and list the top 10 items for every customer; one customer's list.

Targets (issue 6), on 1M order lines from the sample shop's generator (100k customers, 10k items):
1. fit (hybrid: EASE + co-purchase + content + buy again + segment popularity) plus the top 10 for
   every customer, in discovery mode, with reasons: under 60 s and under 4 GB peak memory;
2. one customer's recommendations once fitted: under 100 ms (median over 50 customers).
The reference in the same run is the co-purchase count matrix ``X.T @ X`` in scipy, the one sparse
product every item-based recommender starts from, so the ratio survives a noisy machine. The
``auto`` fit (the month-before search of the hybrid's weights and EASE's penalty, the time-holdout
evaluation of every algorithm, then the final fit) is timed once.
Times are medians of ``--repeats`` runs. Peak memory is measured in a fresh child process that
generates the orders, fits and lists, so it is that pipeline's peak RSS with the data included.

    python -m bench.bench_recommend                            # full size, 3 repeats
    python -m bench.bench_recommend --lines 20000 --repeats 1  # smoke size, as CI runs it
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

import numpy as np
import pandas as pd

from bench.timing import median_run
from promo_core.recommend import Recommender
from promo_core.recommend.interactions import build_interactions
from promo_core.sample import generate_orders


def canonical_orders(lines: int, customers: int, items: int, seed: int = 7) -> pd.DataFrame:
    """Generated order lines in the canonical shape load_table returns (without parsing a CSV)."""
    raw = generate_orders(lines, n_customers=customers, n_items=items, seed=seed)
    return raw.assign(order_date=raw["order_date"].astype("datetime64[ns]"), quantity=raw["quantity"].astype(float),
                      is_return=raw["amount"] < 0)


def fit_and_list(orders: pd.DataFrame) -> tuple[Recommender, pd.DataFrame, float, float]:
    """Fit the hybrid and list the top 10 for every customer: (model, lists, fit seconds, list seconds)."""
    start = time.perf_counter()
    model = Recommender("hybrid").fit(orders)
    fitted = time.perf_counter()
    lists = model.recommend(n=10, mode="discovery")
    return model, lists, fitted - start, time.perf_counter() - fitted


def peak_memory_mb(lines: int) -> float:
    """Peak RSS of a fresh process that generates ``lines`` order lines, fits and lists."""
    # VmHWM, not getrusage: a child's ru_maxrss inherits the parent's peak across fork and exec
    code = (
        "import json; from pathlib import Path; from bench.bench_recommend import canonical_orders, fit_and_list, "
        f"sizes; fit_and_list(canonical_orders({lines}, *sizes({lines}))); "
        "hwm = [l for l in Path('/proc/self/status').read_text().splitlines() if l.startswith('VmHWM')][0]; "
        "print(json.dumps(int(hwm.split()[1]) / 1024))"
    )
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True).stdout
    return float(json.loads(out.strip().splitlines()[-1]))


def sizes(lines: int) -> tuple[int, int]:
    """Customers and items for ``lines`` order lines: 1M lines give 100k customers and 10k items."""
    return max(100, lines // 10), max(50, min(10_000, lines // 100))


def main(argv: list[str] | None = None) -> dict[str, float]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    orders = canonical_orders(args.lines, *sizes(args.lines))
    runs = [fit_and_list(orders) for _ in range(args.repeats)]
    model, lists = runs[-1][0], runs[-1][1]
    fit = statistics.median(run[2] for run in runs)
    listing = statistics.median(run[3] for run in runs)
    ours = statistics.median(run[2] + run[3] for run in runs)
    del runs
    binary = build_interactions(orders).binary
    reference, _ = median_run(lambda: binary.T @ binary, args.repeats)
    ids = model.interactions_.customer_ids.to_numpy()
    sample = np.random.default_rng(0).choice(ids, size=min(50, len(ids)), replace=False)
    model.recommend([sample[0]])
    one = statistics.median(median_run(lambda c=c: model.recommend([c], n=10), 1)[0] for c in sample)
    auto, auto_model = median_run(lambda: Recommender("auto").fit(orders), 1)
    peak_mb = peak_memory_mb(args.lines)

    result = {
        "lines": args.lines, "customers": int(model.interactions_.shape[0]), "items": int(model.interactions_.shape[1]),
        "fit_and_list_s": ours, "fit_s": fit, "list_s": listing, "rows": len(lists), "reference_s": reference,
        "one_customer_ms": one * 1000, "auto_fit_s": auto, "peak_mb": peak_mb,
        "auto_choice": "/".join(auto_model.algorithms_[mode] for mode in ("discovery", "all")),
        "auto_ease_l2": auto_model.ease_l2_,
    }
    size = f"{args.lines:,} lines, {result['customers']:,} customers, {result['items']:,} items"
    rows = [
        ("fit (hybrid) + top 10 for every customer", size, f"{ours:.1f} s", f"{ours / reference:.0f}x X.T@X ({reference:.2f} s)", "< 60 s"),
        ("  of which fit / lists", "", f"{fit:.1f} s / {listing:.1f} s", "", ""),
        ("one customer's top 10, fitted", "median of 50", f"{one * 1000:.1f} ms", "", "< 100 ms"),
        ("fit with algorithm='auto' (weight search + holdout evaluation + fit)",
         f"chose {result['auto_choice']}, EASE l2 {result['auto_ease_l2']:,.0f}", f"{auto:.1f} s", "", ""),
        ("peak memory of generate + fit + lists (fresh process)", "", f"{peak_mb:,.0f} MB", "", "< 4096 MB"),
    ]
    print("| benchmark | size | ours | reference | target |")
    print("|---|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    print(f"\nMedians of {args.repeats} runs (auto: one run); {os.cpu_count()} cores.")
    return result


if __name__ == "__main__":
    main()
