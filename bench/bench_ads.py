"""Benchmark: ad response models at the size of issue 7, against a plain scikit-learn reference.

Targets (2-core machine): fit with model selection on 1M impressions x 15 features under 60 s;
scoring 1M impressions (CTR and post-click CVR) under 5 s, whichever model family wins. References
in the same run, so the ratios survive a noisy machine: one plain scikit-learn LogisticRegression
(one-hot + scaling, default settings) fitted on the same rows, and its ``predict_proba`` on all of
them. Scoring is timed for the chosen models and for random-forest and gradient-boosting models
fitted on purpose (``model=...``), on every core and on one thread. Also reported: the chosen
model's held-out AUC beside the generator's own on the same rows, and its calibration error. Times
are medians of ``--repeats`` runs; peak memory is the process's maximum RSS.

    python -m bench.bench_ads                              # 1M impressions, 3 repeats
    python -m bench.bench_ads --rows 12000 --repeats 1     # smoke size, as CI runs it
"""

from __future__ import annotations

import argparse
import os
import resource

from bench.timing import median_run


def reference(frame, repeats: int) -> tuple[float, float]:
    """Fit and predict seconds of one plain LogisticRegression on the same impressions: one-hot text
    columns, scaled numbers, hour."""
    from sklearn.compose import ColumnTransformer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    X = frame.drop(columns=["impression_id", "timestamp", "clicked", "converted", "cost", "revenue"])
    X = X.assign(hour=frame["timestamp"].dt.hour)
    text = [c for c in X.columns if X[c].dtype == "str"]
    numbers = [c for c in X.columns if c not in text]
    model = make_pipeline(ColumnTransformer([("text", OneHotEncoder(), text), ("numbers", StandardScaler(), numbers)]),
                          LogisticRegression(max_iter=1000))
    fit_s = median_run(lambda: model.fit(X, frame["clicked"]), repeats)[0]
    return fit_s, median_run(lambda: model.predict_proba(X), repeats)[0]


def tree_scoring(frame, repeats: int, reference_predict_s: float) -> list[dict]:
    """Scoring seconds (every core, one thread) and held-out quality of forced tree-model pairs."""
    from threadpoolctl import threadpool_limits

    from promo_core.ctr import fit_response_model, score_impressions

    rows = []
    for family in ("random_forest", "gradient_boosting"):
        click = fit_response_model(frame, model=family)
        convert = fit_response_model(frame, target="converted", model=family)
        cores_s = median_run(lambda: score_impressions([click, convert], frame), repeats)[0]
        with threadpool_limits(limits=1):  # boosting's OpenMP loop too
            one_s = median_run(lambda: score_impressions([click, convert], frame, n_jobs=1), repeats)[0]
        rows.append({
            "family": family, "score_s": round(cores_s, 2), "score_1_thread_s": round(one_s, 2),
            "ratio": round(cores_s / reference_predict_s, 1), "auc": round(click.metrics["auc"], 4),
            "log_loss": round(click.metrics["log_loss"], 5), "ece": round(click.metrics["ece"], 5),
            "cvr_auc": round(convert.metrics["auc"], 4), "cvr_log_loss": round(convert.metrics["log_loss"], 5),
        })
    return rows


def main(argv: list[str] | None = None) -> dict:
    from sklearn.metrics import roc_auc_score

    from promo_core.ctr import fit_response_model, score_impressions
    from promo_core.sample import generate_ad_events

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--features", type=int, default=15)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)

    ads = generate_ad_events(args.rows, seed=7, n_features=args.features)
    frame = ads.frame
    fit_s, click = median_run(lambda: fit_response_model(frame), args.repeats)
    convert_s, convert = median_run(lambda: fit_response_model(frame, target="converted"), 1)
    score_s, scores = median_run(lambda: score_impressions([click, convert], frame), args.repeats)
    ref_s, ref_predict_s = reference(frame, args.repeats)
    trees = tree_scoring(frame, args.repeats, ref_predict_s)
    rows = click.holdout["row"].to_numpy()
    generator_auc = roc_auc_score(click.holdout["y"], ads.probabilities["p_click"].to_numpy()[rows])
    result = {
        "rows": args.rows,
        "features": args.features,
        "fit_s": round(fit_s, 2),
        "fit_target_s": 60.0,
        "reference_s": round(ref_s, 2),
        "fit_ratio": round(fit_s / ref_s, 1),
        "model": click.model_name,
        "conversion_fit_s": round(convert_s, 2),
        "score_s": round(score_s, 2),
        "score_target_s": 5.0,
        "reference_predict_s": round(ref_predict_s, 2),
        "score_ratio": round(score_s / ref_predict_s, 1),
        "scored_rows": len(scores),
        "tree_scoring": trees,
        "auc": round(click.metrics["auc"], 4),
        "generator_auc": round(float(generator_auc), 4),
        "ece": round(click.metrics["ece"], 5),
        "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 0),
        "cores": os.cpu_count() or 0,
    }
    _print(result, click)
    return result


def _print(result: dict, click) -> None:
    print("| impressions | features | fit + selection s (target < 60) | plain LogisticRegression s | ratio | chosen "
          "| CVR fit s | scoring s (target < 5) | AUC | generator AUC | ECE | peak MB | cores |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    print(f"| {result['rows']:,} | {result['features']} | {result['fit_s']} | {result['reference_s']} | {result['fit_ratio']} | "
          f"{result['model']} | {result['conversion_fit_s']} | {result['score_s']} | {result['auc']} | "
          f"{result['generator_auc']} | {result['ece']} | {result['peak_mb']:.0f} | {result['cores']} |")
    print(f"(candidates on the click model: {', '.join(f'{m} {s:.1f} s' for m, s in zip(click.comparison['model'], click.comparison['fit_seconds']))})")
    print()
    print("| scoring click + CVR models | all cores s (target < 5) | one thread s | / plain LogisticRegression "
          "predict | click AUC | click log-loss | click ECE | CVR AUC | CVR log-loss |")
    print("|---|---|---|---|---|---|---|---|---|")
    print(f"| chosen ({result['model']}) | {result['score_s']} | | {result['score_ratio']} | {result['auc']} | | "
          f"{result['ece']} | | |")
    for row in result["tree_scoring"]:
        print(f"| {row['family']} | {row['score_s']} | {row['score_1_thread_s']} | {row['ratio']} | {row['auc']} | "
              f"{row['log_loss']} | {row['ece']} | {row['cvr_auc']} | {row['cvr_log_loss']} |")
    print(f"(plain LogisticRegression predict_proba on the same rows: {result['reference_predict_s']} s)")


if __name__ == "__main__":
    main()
