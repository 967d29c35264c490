"""The segments benchmark runs end to end at a smoke size (full-size figures are reported, not tested)."""

from __future__ import annotations

import pytest

from bench.bench_segments import apply_rfm, canonical_orders, lambda_rfm, main, reference_rfm
from promo_core.segmentation import rfm_table


def test_segments_benchmark_smoke(capsys: pytest.CaptureFixture[str]) -> None:
    result = main(["--lines", "20000", "--repeats", "1"])
    assert result["rfm"]["lines"] == 20000 and result["rfm"]["customers"] > 2000
    assert result["clusters"]["customers"] == 3000 and result["clv"]["customers"] == 2000
    assert all(result["rfm"][key] > 0 for key in ("ours_s", "reference_s", "apply_s", "lambda_s"))
    out = capsys.readouterr().out
    assert "| RFM + segments vs vectorised pandas | 20,000 lines" in out
    assert out.count("\n|") == 6  # header, rule and five rows


def test_references_compute_the_same_rfm() -> None:
    orders = canonical_orders(5000, 700)
    ours = rfm_table(orders).set_index("customer_id")
    ours = ours[~ours["returns_only"]]
    for reference in (reference_rfm(orders), apply_rfm(orders), lambda_rfm(orders)):
        assert reference.index.tolist() == ours.index.tolist()
        assert reference["recency_days"].astype(int).tolist() == ours["recency_days"].tolist()
        assert reference["frequency"].astype(int).tolist() == ours["frequency"].tolist()
        assert reference["monetary"].tolist() == pytest.approx(ours["monetary"].tolist())
