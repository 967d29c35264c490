"""Benchmark: review scoring speed against plain VADER and plain jieba, and 100k reviews end to end.

The targets (sentiment issue): English at least 5,000 reviews/s and Chinese at least 2,000 reviews/s
on the 2-core machine, with jieba's dictionary loaded once and shared; 100k reviews scored and
aggregated (shares by product, weekly trend) in under 60 s. References measured in the same run on
the same texts: plain ``SentimentIntensityAnalyzer.polarity_scores`` for English and plain
``jieba.lcut`` (tokenising only) for Chinese. Texts come from the sample shop's review generator.
Times are medians of several runs after one warm-up (the one-off dictionary load is reported apart).

    python -m bench.bench_sentiment                          # 20k texts per language, 100k end to end
    python -m bench.bench_sentiment --reviews 500 --total 2000 --repeats 1   # smoke size, as CI runs it
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np
import pandas as pd

from bench.timing import median_seconds


def make_texts(n: int, lang: str, seed: int = 11) -> list[str]:
    """``n`` reviews in ``lang`` from the sample shop's generator (60% positive, a fifth mixed)."""
    from promo_core.sample.catalogue import CATEGORY_CODES
    from promo_core.sample.reviews import write_text

    rng = np.random.default_rng(seed)
    return [
        write_text(rng, lang, 1 if rng.random() < 0.6 else -1, bool(rng.random() < 0.4), bool(rng.random() < 0.2),
                   CATEGORY_CODES[int(rng.integers(len(CATEGORY_CODES)))])
        for _ in range(n)
    ]


def end_to_end(total: int, seed: int = 5) -> dict[str, float]:
    """Score ``total`` mixed-language reviews and aggregate them by product and week."""
    from promo_core.sentiment import score_reviews, sentiment_shares, sentiment_trend

    rng = np.random.default_rng(seed)
    half = total // 2
    texts = make_texts(half, "en", seed) + make_texts(total - half, "zh", seed + 1)
    frame = pd.DataFrame({
        "text": texts,
        "item_id": [f"SKU{int(i):04d}" for i in rng.integers(0, 300, total)],
        "review_date": pd.Timestamp("2025-01-01") + pd.to_timedelta(rng.integers(0, 365, total), unit="D"),
    })
    start = time.perf_counter()
    scored = frame.join(score_reviews(frame["text"]))
    scored_s = time.perf_counter() - start
    sentiment_shares(scored, by="item_id")
    sentiment_trend(scored, freq="W", promotions={"11.11": "2025-11-11"})
    return {"scored_s": scored_s, "total_s": time.perf_counter() - start}


def main(argv: list[str] | None = None) -> dict[str, float]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reviews", type=int, default=20_000, help="texts per language for the speed test")
    parser.add_argument("--total", type=int, default=100_000, help="mixed reviews for the end-to-end run")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)

    import jieba
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    from promo_core.sentiment import score_reviews

    start = time.perf_counter()
    score_reviews(["warm up", "预热"])
    init_s = time.perf_counter() - start
    english, chinese = make_texts(args.reviews, "en"), make_texts(args.reviews, "zh")
    vader = SentimentIntensityAnalyzer()
    jieba.lcut("预热")
    ours_en = median_seconds(lambda: score_reviews(english), args.repeats)
    vader_en = median_seconds(lambda: [vader.polarity_scores(t) for t in english], args.repeats)
    ours_zh = median_seconds(lambda: score_reviews(chinese), args.repeats)
    jieba_zh = median_seconds(lambda: [jieba.lcut(t) for t in chinese], args.repeats)
    whole = end_to_end(args.total)
    n = args.reviews
    result = {
        "reviews": n,
        "init_s": round(init_s, 2),
        "en_per_s": round(n / ours_en),
        "vader_per_s": round(n / vader_en),
        "en_ratio_to_vader": round(ours_en / vader_en, 2),
        "zh_per_s": round(n / ours_zh),
        "jieba_per_s": round(n / jieba_zh),
        "zh_ratio_to_jieba": round(ours_zh / jieba_zh, 2),
        "total": args.total,
        "total_scored_s": round(whole["scored_s"], 1),
        "total_s": round(whole["total_s"], 1),
        "cores": os.cpu_count() or 0,
    }
    print("| texts per language | English reviews/s (target >= 5,000) | plain VADER /s | time vs VADER | "
          "Chinese reviews/s (target >= 2,000) | plain jieba.lcut /s | time vs jieba | "
          "mixed reviews scored + aggregated | seconds (target < 60) | one-off load s | cores |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    print(
        f"| {n:,} | {result['en_per_s']:,} | {result['vader_per_s']:,} | {result['en_ratio_to_vader']} | "
        f"{result['zh_per_s']:,} | {result['jieba_per_s']:,} | {result['zh_ratio_to_jieba']} | {args.total:,} | "
        f"{result['total_s']} | {result['init_s']} | {result['cores']} |"
    )
    return result


if __name__ == "__main__":
    main()
