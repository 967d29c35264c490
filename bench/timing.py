"""Timing shared by the benchmarks: the median of several runs, so one noisy run does not decide."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def median_run(run: Callable[[], object], repeats: int) -> tuple[float, object]:
    """Median wall time of ``repeats`` runs, and the last run's result."""
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def median_seconds(run: Callable[[], object], repeats: int) -> float:
    """Median wall time of ``repeats`` runs."""
    return median_run(run, repeats)[0]
