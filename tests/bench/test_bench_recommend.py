"""The recommendation benchmark runs end to end at a smoke size (full-size figures are reported, not tested)."""

from __future__ import annotations

import pytest

from bench.bench_recommend import main


def test_recommend_benchmark_smoke(capsys: pytest.CaptureFixture[str]) -> None:
    result = main(["--lines", "20000", "--repeats", "1"])
    assert result["lines"] == 20000 and result["customers"] > 1000 and result["items"] == 200
    assert result["rows"] == 10 * result["customers"]
    assert result["fit_and_list_s"] > result["fit_s"] > 0 and result["one_customer_ms"] > 0
    out = capsys.readouterr().out
    assert "| fit (hybrid) + top 10 for every customer | 20,000 lines" in out
    assert out.count("\n|") == 6  # header, rule and five rows
