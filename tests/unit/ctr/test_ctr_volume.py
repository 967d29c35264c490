"""Impressions per day on partial days: a file cut at noon must not look like a quiet day."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from promo_core.ctr import ResponseModel, volume_notes
from promo_core.ctr.data import FeatureSpec, design_frame, select_features
from promo_core.ctr.volume import partial_day_notes
from promo_core.sample import generate_ad_events


def _day(events: pd.DataFrame, which: int = -1) -> pd.DataFrame:
    dates = events["timestamp"].dt.normalize()
    return events[dates == np.sort(dates.unique())[which]]


def _row_volume(spec: FeatureSpec, events: pd.DataFrame) -> pd.Series:
    """The estimated whole-day impressions of each row's channel that the model sees."""
    return pd.Series(np.exp(design_frame(events, spec)["daily_volume"].to_numpy()), index=events.index)


def _volume(spec: FeatureSpec, events: pd.DataFrame) -> pd.Series:
    """The same per channel, for a file of one day."""
    return _row_volume(spec, events).groupby(events["channel"]).first()


def _counted_as_is(model: ResponseModel) -> ResponseModel:
    """The same model with the old rule: every day's impressions counted as they are."""
    volume = dataclasses.replace(model.spec.volume, cumulative=tuple(() for _ in model.spec.volume.cumulative))
    return dataclasses.replace(model, spec=dataclasses.replace(model.spec, volume=volume))


@pytest.fixture(scope="module")
def big() -> pd.DataFrame:
    return generate_ad_events(200_000, seed=3).frame


def test_a_morning_file_is_scaled_to_the_whole_day(big) -> None:
    spec, notes = select_features(big, None, "channel")
    assert notes == ()  # the generated log holds whole days
    day = _day(big)
    morning = day[day["timestamp"].dt.hour < 12]
    whole = day.groupby("channel").size()
    counted = morning.groupby("channel").size()
    assert (counted / whole < 0.4).all()  # counted as is, the morning looks like a very quiet day
    estimated = _volume(spec, morning)
    assert ((estimated / whole).between(0.75, 1.25)).all(), (estimated / whole).to_dict()
    np.testing.assert_allclose(_volume(spec, day), whole, rtol=1e-12)  # a whole day: counted as is


def test_predicted_ctr_of_a_morning_file_matches_the_whole_day(click_model, shop_ads) -> None:
    day = _day(shop_ads)
    morning = day[day["timestamp"].dt.hour < 12]
    in_whole_day = pd.Series(click_model.predict_proba(day), index=day.index).loc[morning.index].mean()
    alone = click_model.predict_proba(morning).mean()
    counted = _counted_as_is(click_model).predict_proba(morning).mean()
    assert alone == pytest.approx(in_whole_day, rel=0.05)
    assert counted > 1.4 * in_whole_day  # the bias this removes: fewer impressions, less fatigue predicted
    [note] = volume_notes(click_model, morning)
    assert note.code == "partial_day_scaled" and note.level == "info"
    assert dict(note.details) == {"date": str(day["timestamp"].dt.date.iloc[0]), "coverage": pytest.approx(0.31, abs=0.03),
                                  "column": "channel"}


def test_too_small_a_part_of_a_day_takes_the_channels_typical_day(click_model, shop_ads) -> None:
    one = _day(shop_ads).head(1)
    volume = click_model.spec.volume
    typical = dict(zip(volume.levels, volume.typical))[one["channel"].item()]
    assert _volume(click_model.spec, one).item() == pytest.approx(typical, rel=1e-12)
    inner = shop_ads["timestamp"].dt.normalize()
    inner = inner[(inner > inner.min()) & (inner < inner.max())]
    days = shop_ads.loc[inner.index].groupby([inner, shop_ads["channel"]]).size()
    assert typical == days.xs(one["channel"].item(), level="channel").median()
    [note] = volume_notes(click_model, one)
    assert note.code == "partial_day_typical" and note.level == "warning"


def test_quiet_days_inside_a_file_stay_quiet(click_model, shop_ads) -> None:
    days = [_day(shop_ads, k) for k in (-3, -2, -1)]
    quiet = days[1][days[1]["timestamp"].dt.hour.between(9, 10)]  # the middle day had an outage
    window = pd.concat([days[0], quiet, days[2]])
    assert volume_notes(click_model, window) == ()
    seen = _row_volume(click_model.spec, window).loc[quiet.index].groupby(quiet["channel"]).first()
    np.testing.assert_allclose(seen, quiet.groupby("channel").size(), rtol=1e-12)


def test_a_log_cut_at_noon_is_noted_at_training(big) -> None:
    stamps = big["timestamp"]
    last = stamps.dt.normalize().max()
    cut = big[stamps < last + pd.Timedelta(hours=12)]
    spec, notes = select_features(cut, None, "channel")
    assert [n.code for n in notes] == ["partial_day_scaled"]
    assert notes[0].details["date"] == last.strftime("%Y-%m-%d")
    hours = stamps.dt.hour
    assert notes[0].details["coverage"] == pytest.approx((hours < 12).mean(), abs=0.02)  # the log's own hourly share


def test_dates_without_times_are_whole_days(big) -> None:
    dated = big.assign(timestamp=big["timestamp"].dt.normalize())
    spec, notes = select_features(dated, None, "channel")
    assert notes == () and not any(spec.volume.cumulative)
    day = _day(dated).head(10)
    assert partial_day_notes(day["timestamp"], spec.volume) == ()
    np.testing.assert_allclose(_volume(spec, day), day.groupby("channel").size(), rtol=1e-12)
