"""The ads benchmark runs end to end at a smoke size (timings are recorded in docs, not tested)."""

from __future__ import annotations

from bench.bench_ads import main


def test_ads_benchmark_smoke(capsys) -> None:
    result = main(["--rows", "12000", "--repeats", "1"])
    assert result["rows"] == 12000 and result["scored_rows"] == 12000
    assert result["fit_s"] > 0 and result["reference_s"] > 0 and result["score_s"] > 0
    assert 0.5 < result["auc"] <= 1 and 0.5 < result["generator_auc"] <= 1
    assert "| 12,000 | 15 |" in capsys.readouterr().out
