"""Benchmark: load an orders CSV into a validated canonical frame, against pyarrow's raw parse.

The target (foundation issue): for a 1M-line orders CSV (~80 MB) ``load_table`` takes at most 3x the
time of ``pyarrow.csv.read_csv`` on the same bytes in the same run, and its peak memory stays under
5x the file size. Times are medians of several runs; memory is measured in a fresh child process
per contender: the kernel's peak-RSS mark (VmHWM) is reset just before the load, so the figure is
the load's own peak above the process with the file's bytes already in memory.

    python -m bench.bench_load                 # 1M lines, 5 repeats
    python -m bench.bench_load --lines 20000 --repeats 1   # smoke size, as CI runs it
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

_CHILD = """
import io, json, sys, time
from pathlib import Path
import pyarrow.csv
from promo_core import load_table

def status_kb(field):
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field):
            return int(line.split()[1])

data = Path(sys.argv[1]).read_bytes()
before = status_kb("VmRSS")
Path("/proc/self/clear_refs").write_text("5")
start = time.perf_counter()
if sys.argv[2] == "pyarrow":
    pyarrow.csv.read_csv(io.BytesIO(data))
else:
    load_table(data, "orders")
seconds = time.perf_counter() - start
peak = status_kb("VmHWM")
print(json.dumps({"seconds": seconds, "extra_mb": (peak - before) / 1024, "peak_mb": peak / 1024}))
"""


def make_orders_csv(lines: int, seed: int = 7) -> bytes:
    """An orders CSV of exactly ``lines`` order lines from the sample shop's generator."""
    from promo_core.sample.orders import generate_orders

    customers = max(100, lines * 140 // 1000)
    items = max(50, min(10_000, lines // 100))
    frame = generate_orders(lines, n_customers=customers, n_items=items, seed=seed)
    return frame.to_csv(index=False).encode("utf-8")


def time_in_process(data: bytes, repeats: int) -> tuple[float, float]:
    """Median seconds of pyarrow's raw parse and of load_table, interleaved in one process."""
    import pyarrow.csv

    from promo_core import load_table

    arrow, ours = [], []
    for _ in range(repeats):
        start = time.perf_counter()
        pyarrow.csv.read_csv(io.BytesIO(data))
        arrow.append(time.perf_counter() - start)
        start = time.perf_counter()
        load_table(data, "orders")
        ours.append(time.perf_counter() - start)
    return statistics.median(arrow), statistics.median(ours)


def memory_in_child(path: Path, contender: str) -> dict[str, float]:
    """Peak memory of one load in a fresh interpreter."""
    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "PYTHONPATH": str(root)}
    output = subprocess.run(
        [sys.executable, "-c", _CHILD, str(path), contender], capture_output=True, text=True, check=True, env=env
    )
    return json.loads(output.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> dict[str, float]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)

    data = make_orders_csv(args.lines)
    size_mb = len(data) / 1e6
    arrow_s, ours_s = time_in_process(data, args.repeats)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "orders.csv"
        path.write_bytes(data)
        arrow_mem = memory_in_child(path, "pyarrow")
        ours_mem = memory_in_child(path, "load_table")
    result = {
        "lines": args.lines,
        "file_mb": round(size_mb, 1),
        "pyarrow_s": round(arrow_s, 3),
        "load_table_s": round(ours_s, 3),
        "time_ratio": round(ours_s / arrow_s, 2),
        "pyarrow_extra_mb": round(arrow_mem["extra_mb"], 1),
        "load_table_extra_mb": round(ours_mem["extra_mb"], 1),
        "memory_ratio_to_file": round(ours_mem["extra_mb"] * 1.048576 / size_mb, 2),
        "cores": os.cpu_count() or 0,
    }
    print("| lines | file MB | pyarrow s | load_table s | time ratio (target <= 3) | load_table extra MB | memory / file (target <= 5) | cores |")
    print("|---|---|---|---|---|---|---|---|")
    print(
        f"| {result['lines']:,} | {result['file_mb']} | {result['pyarrow_s']} | {result['load_table_s']} | "
        f"{result['time_ratio']} | {result['load_table_extra_mb']} | {result['memory_ratio_to_file']} | {result['cores']} |"
    )
    print(f"(pyarrow's own extra memory for the raw parse: {result['pyarrow_extra_mb']} MB)")
    return result


if __name__ == "__main__":
    main()
