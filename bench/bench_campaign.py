"""Benchmark: campaign effect at the sizes of issue 4, each against a plain library reference.

Targets (2-core machine): A/B/n with CUPED on 10M rows x 3 variants, aggregation included, under
3 s; uplift fit on 100k customers with 20 features under 20 s (the default logistic learner; the
gradient-boosting option is timed once, for information); causal impact on two years of daily data
under 10 s. References in the same run, so the ratio survives a noisy machine: statsmodels
OLS (metric ~ arm dummies + covariate) plus scipy's Welch t-tests on a 1M-row subset; one
scikit-learn logistic regression on the uplift features; one bare UnobservedComponents fit on the
pre-period. Times are medians of ``--repeats`` runs; peak memory is the process's maximum RSS.

    python -m bench.bench_campaign                                   # full size
    python -m bench.bench_campaign --rows 20000 --customers 3000 --days 120 --repeats 1   # smoke
"""

from __future__ import annotations

import argparse
import os
import resource

import numpy as np
import pandas as pd

from bench.timing import median_seconds


def bench_ab(rows: int, repeats: int) -> dict:
    import statsmodels.api as sm
    from scipy import stats

    from promo_core.campaign import ab_test
    from promo_core.sample import generate_campaign

    frame = generate_campaign(rows, seed=7).frame
    ours = median_seconds(lambda: ab_test(frame, "revenue", covariate="pre_revenue"), repeats)
    subset = frame.iloc[: min(rows, 1_000_000)]

    def reference() -> None:
        design = pd.get_dummies(subset["group"], drop_first=True, dtype=float).assign(pre=subset["pre_revenue"])
        sm.OLS(subset["revenue"].to_numpy(), sm.add_constant(design.to_numpy())).fit()
        control = subset["revenue"][subset["group"] == "control"]
        for variant in ("coupon_10", "coupon_20"):
            stats.ttest_ind(subset["revenue"][subset["group"] == variant], control, equal_var=False)

    ref = median_seconds(reference, repeats)
    return {"task": "A/B/n + CUPED (3 arms)", "size": f"{rows:,} rows", "ours_s": ours, "target_s": 3.0,
            "reference": f"OLS + Welch on {len(subset):,} rows", "reference_s": ref}


def uplift_frame(customers: int, seed: int = 7) -> tuple[pd.DataFrame, list[str]]:
    """The bulk campaign plus 16 uninformative features (12 numeric, 4 categorical): 20 in all."""
    from promo_core.sample import generate_campaign

    frame = generate_campaign(customers, seed=seed).frame
    rng = np.random.default_rng(seed)
    extra = {f"num_{k}": rng.normal(size=customers) for k in range(12)}
    extra |= {f"cat_{k}": rng.choice(list("abcdef"), customers) for k in range(4)}
    frame = frame.assign(**extra)
    return frame, ["segment", "pre_revenue", "channel", "country", *extra]


def bench_uplift(customers: int, repeats: int, learner: str) -> dict:
    from sklearn.pipeline import make_pipeline

    from promo_core.uplift import categorical_columns, fit_uplift, make_classifier, make_encoder

    frame, features = uplift_frame(customers)
    ours = median_seconds(lambda: fit_uplift(frame, "group", "converted", features, learner=learner), repeats)
    model = make_classifier(learner, 0, len(categorical_columns(frame, tuple(features))))
    pipeline = make_pipeline(make_encoder(frame, tuple(features), learner), model)
    ref = median_seconds(lambda: pipeline.fit(frame[features], frame["converted"]), repeats)
    return {"task": f"uplift fit, {learner} (T-learner + class transformation, 5 folds)",
            "size": f"{customers:,} x {len(features)}", "ours_s": ours, "target_s": 20.0,
            "reference": f"one {learner} fit (with encoding)", "reference_s": ref}


def impact_series(days: int, seed: int = 7) -> tuple[pd.Series, pd.DataFrame, pd.Timestamp]:
    rng = np.random.default_rng(seed)
    index = pd.date_range("2024-10-01", periods=days, freq="D")
    control = 1000 + np.cumsum(rng.normal(0, 10, days)) + 80 * np.sin(2 * np.pi * np.arange(days) / 7)
    treated = 0.6 * control + 200 + rng.normal(0, 20, days)
    start = days - max(days // 8, 7)
    treated[start:] += 60
    return pd.Series(treated, index), pd.DataFrame({"control": control}, index), index[start]


def bench_impact(days: int, repeats: int) -> dict:
    from statsmodels.tsa.statespace.structural import UnobservedComponents

    from promo_core.impact import causal_impact

    y, x, start = impact_series(days)
    ours = median_seconds(lambda: causal_impact(y, start, x), repeats)
    pre = y.index < start
    ref = median_seconds(lambda: UnobservedComponents(
        y[pre].to_numpy(), level="llevel", seasonal=7, exog=x[pre].to_numpy()).fit(disp=False), repeats)
    return {"task": "causal impact (+5 placebos, 1000 paths)", "size": f"{days} days", "ours_s": ours, "target_s": 10.0,
            "reference": "one UnobservedComponents fit", "reference_s": ref}


def main(argv: list[str] | None = None) -> list[dict]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--days", type=int, default=730)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    results = [bench_ab(args.rows, args.repeats), bench_uplift(args.customers, args.repeats, "logistic"),
               bench_uplift(args.customers, 1, "hgb"), bench_impact(args.days, args.repeats)]
    cores = os.cpu_count() or 0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("| task | size | ours s | target s | reference | reference s | ratio | cores |")
    print("|---|---|---|---|---|---|---|---|")
    for r in results:
        r["ratio"] = r["ours_s"] / r["reference_s"]
        r["cores"] = cores
        print(f"| {r['task']} | {r['size']} | {r['ours_s']:.2f} | {r['target_s']:.0f} | {r['reference']} | "
              f"{r['reference_s']:.2f} | {r['ratio']:.2f} | {cores} |")
    print(f"(peak memory of the whole run: {peak_mb:,.0f} MB)")
    return results


if __name__ == "__main__":
    main()
