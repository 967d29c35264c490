"""The sentiment benchmark runs end to end at a smoke size (figures go to docs/benchmarks.md, not tested)."""

from __future__ import annotations

from bench.bench_sentiment import main


def test_sentiment_benchmark_smoke(capsys) -> None:
    result = main(["--reviews", "200", "--total", "1000", "--repeats", "1"])
    assert result["reviews"] == 200 and result["total"] == 1000
    assert result["en_per_s"] > 0 and result["zh_per_s"] > 0 and result["total_s"] > 0
    assert "| 200 |" in capsys.readouterr().out
