"""The load benchmark runs end to end at a smoke size (timings are recorded in docs/benchmarks.md, not tested)."""

from __future__ import annotations

from bench.bench_load import main


def test_load_benchmark_smoke(capsys) -> None:
    result = main(["--lines", "3000", "--repeats", "1"])
    assert result["lines"] == 3000
    assert result["load_table_s"] > 0 and result["pyarrow_s"] > 0
    assert "| 3,000 |" in capsys.readouterr().out
