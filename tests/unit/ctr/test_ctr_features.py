"""The hand-written encoders against scikit-learn's own on the same data."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.impute import SimpleImputer
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from promo_core.ctr.features import CappedCategories, LinearDesign


def _frame(n: int = 2_000, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({
        "site": pd.array([f"s{k}" for k in rng.zipf(1.5, n) % 400], dtype="str"),
        "device": rng.choice(["mobile", "desktop", "tablet"], n),
        "score": rng.normal(5, 2, n),
        "hour": rng.uniform(0, 24, n),
    })
    frame.loc[3, "device"] = None
    frame.loc[4, "score"] = np.nan
    return frame


def test_capped_categories_keep_the_frequent_levels() -> None:
    frame = _frame()
    encoder = CappedCategories(max_levels=5, min_count=10).fit(frame[["site", "device"]])
    site_levels = encoder.levels_[0]
    assert list(site_levels) == list(frame["site"].value_counts().index[:5])
    codes = encoder.transform(pd.DataFrame({"site": [site_levels[2], "never-seen", None], "device": ["tablet", None, "mobile"]}))
    assert codes[:, 0].tolist() == [2, 5, 6]  # kept level, other/unseen, missing
    assert codes[1, 1] == len(encoder.levels_[1]) + 1


def test_linear_design_equals_sklearn_one_hot_scaling_and_cyclic_hour() -> None:
    frame = _frame()
    design = LinearDesign(("site", "device"), ("score",), hour=True).fit(frame)
    ours = design.transform(frame).toarray()
    codes = design.categories_.transform(frame[["site", "device"]])
    one_hot = OneHotEncoder(categories=[np.arange(len(levels) + 2) for levels in design.categories_.levels_],
                            sparse_output=False).fit_transform(codes)
    scaled = make_pipeline(SimpleImputer(strategy="median"), StandardScaler()).fit_transform(frame[["score"]])
    angle = 2 * np.pi * frame["hour"].to_numpy() / 24
    hour = np.column_stack([np.sin(angle), np.cos(angle), np.sin(2 * angle), np.cos(2 * angle)])
    np.testing.assert_allclose(ours, np.hstack([one_hot, scaled, hour]), rtol=0, atol=1e-12)
    assert len(design.get_feature_names_out()) == ours.shape[1]
    assert design.get_feature_names_out()[-5:].tolist() == ["score", "h_sin", "h_cos", "h2_sin", "h2_cos"]
