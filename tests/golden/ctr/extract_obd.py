"""Build obd_clicks.csv.gz from the Open Bandit Dataset sample shipped in the ``obp`` wheel.

Provenance: ``pip download --no-deps obp==0.4.1`` (Apache-2.0; the wheel ships ZOZO's 10,000-row
samples under obp/dataset/obd/{random,bts}/{all,men,women}/). Every impression of the six samples
is kept; per impression: campaign, item (campaign:item_id), position (left/center/right),
timestamp to the second (UTC), click, the four hashed user features (first 8 hex digits: no two
values collide), the user's affinity to the shown item, and the item's four features from
item_context.csv (hashes shortened the same way). Gzipped (mtime 0, so a rerun is byte-identical)
because the plain CSV is 6.9 MB; the loader refuses archives, so tests unpack it themselves.

    python tests/golden/ctr/extract_obd.py path/to/obp-0.4.1-py3-none-any.whl
"""

from __future__ import annotations

import gzip
import io
import sys
import zipfile
from pathlib import Path

import pandas as pd

POSITIONS = {1: "left", 2: "center", 3: "right"}
OUT = Path(__file__).with_name("obd_clicks.csv.gz")


def short(series: pd.Series) -> pd.Series:
    """First 8 hex digits of a hash, after checking that no two distinct values collide."""
    out = series.astype(str).str[:8]
    if out.nunique() != series.nunique():
        raise ValueError(f"shortening {series.name} merges values")
    return out


def campaign_rows(wheel: zipfile.ZipFile, policy: str, campaign: str) -> pd.DataFrame:
    folder = f"obp/dataset/obd/{policy}/{campaign}/"
    log = pd.read_csv(io.BytesIO(wheel.read(folder + f"{campaign}.csv")), index_col=0)
    items = pd.read_csv(io.BytesIO(wheel.read(folder + "item_context.csv")), index_col=0).set_index("item_id")
    affinity = log.filter(like="user-item_affinity_").to_numpy()
    frame = pd.DataFrame({
        "timestamp": pd.to_datetime(log["timestamp"]).dt.tz_convert(None).dt.floor("s"),
        "campaign": campaign,
        "item": campaign + ":" + log["item_id"].astype(str),
        "position": log["position"].map(POSITIONS),
        **{f"user_feature_{k}": log[f"user_feature_{k}"] for k in range(4)},
        "affinity": affinity[range(len(log)), log["item_id"].to_numpy()],
        "item_feature_0": log["item_id"].map(items["item_feature_0"]).round(4),
        **{f"item_feature_{k}": log["item_id"].map(items[f"item_feature_{k}"]) for k in (1, 2, 3)},
        "click": log["click"],
    })
    return frame


def main(wheel_path: str) -> None:
    with zipfile.ZipFile(wheel_path) as wheel:
        frame = pd.concat(
            [campaign_rows(wheel, p, c) for p in ("random", "bts") for c in ("all", "men", "women")], ignore_index=True
        )
    for column in [c for c in frame.columns if c.startswith(("user_feature", "item_feature_")) and c != "item_feature_0"]:
        frame[column] = short(frame[column])
    frame = frame.sort_values("timestamp", kind="stable").reset_index(drop=True)
    with OUT.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as out:
        out.write(frame.to_csv(index=False).encode("utf-8"))
    print(f"{len(frame):,} impressions, {int(frame['click'].sum())} clicks -> {OUT} ({OUT.stat().st_size / 1e6:.2f} MB)")


if __name__ == "__main__":
    main(sys.argv[1])
