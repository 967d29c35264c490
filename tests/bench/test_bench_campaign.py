"""The campaign benchmark runs end to end at a smoke size (timings are reported, not tested)."""

from __future__ import annotations

from bench.bench_campaign import main


def test_campaign_benchmark_smoke(capsys) -> None:
    results = main(["--rows", "20000", "--customers", "3000", "--days", "120", "--repeats", "1"])
    assert [r["size"] for r in results] == ["20,000 rows", "3,000 x 20", "3,000 x 20", "120 days"]
    assert all(r["ours_s"] > 0 and r["reference_s"] > 0 for r in results)
    out = capsys.readouterr().out
    assert "| A/B/n + CUPED (3 arms) | 20,000 rows |" in out and "| 120 days |" in out
