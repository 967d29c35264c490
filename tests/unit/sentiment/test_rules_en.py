"""English: VADER plus idiom and e-commerce fixes, with exact labels (plain VADER gets the marked ones wrong)."""

from __future__ import annotations

import pytest
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from tests.unit.sentiment.conftest import label_of, score_of

PLAIN_VADER_WRONG = [
    ("Not too shabby.", "positive"),
    ("Does the job.", "positive"),
    ("Returned it.", "negative"),
    ("Could be better.", "negative"),
    ("Don't waste your money.", "negative"),
    ("Five stars.", "positive"),
    ("Fell apart.", "negative"),
    ("Never again.", "negative"),
    ("Not as described.", "negative"),
    ("Fast delivery.", "positive"),
    ("The shipping was slow.", "negative"),
    ("Super cheap fabric.", "negative"),
    ("👍👍👍", "positive"),
    ("Customer support was not patient. Meh.", "negative"),
]


@pytest.fixture(scope="module")
def plain_vader() -> SentimentIntensityAnalyzer:
    return SentimentIntensityAnalyzer()


@pytest.mark.parametrize(("text", "label"), PLAIN_VADER_WRONG)
def test_fixes_where_plain_vader_is_wrong(text: str, label: str, plain_vader: SentimentIntensityAnalyzer) -> None:
    plain = plain_vader.polarity_scores(text)["compound"]
    plain_label = "positive" if plain > 0.05 else "negative" if plain < -0.05 else "neutral"
    assert plain_label != label
    assert label_of(text) == label


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("No problem at all.", "positive"),
        ("Stopped working after a week.", "negative"),
        ("Can't complain.", "positive"),
        ("Not bad.", "positive"),
        ("Works like a charm!", "positive"),
        ("Waste of money.", "negative"),
        ("It's not a waste of money.", "positive"),
        ("Would not buy again.", "negative"),
        ("Would buy again.", "positive"),
        ("Worth every penny.", "positive"),
        ("Not worth it.", "negative"),
        ("Exactly as described.", "positive"),
        ("Looks like the picture.", "neutral"),
        ("Pretty good.", "positive"),
        ("A pretty dress.", "positive"),
    ],
)
def test_idioms(text: str, label: str) -> None:
    assert label_of(text) == label


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("The quality is good but delivery was very slow.", "negative"),
        ("Delivery was slow but the quality is excellent.", "positive"),
        ("Although the box was damaged, the product is excellent.", "positive"),
        ("Great quality. However, the delivery was terribly slow and the box was crushed.", "negative"),
    ],
)
def test_contrast(text: str, label: str) -> None:
    assert label_of(text) == label


def test_negation_stops_at_the_end_of_a_sentence() -> None:
    assert label_of("It is not cheap plastic. Happy with it.") == "positive"
    assert score_of("The fit isn't right. Happy enough.") > 0


def test_exclamation_and_booster_add_emphasis() -> None:
    assert score_of("Great!!") > score_of("Great") > 0
    assert score_of("super fast") > score_of("fast") > 0


def test_drivers_show_idioms_as_written() -> None:
    from promo_core.sentiment import score_reviews

    assert score_reviews(["Stopped working, returned it."])["drivers"].iloc[0] == "stopped working -2.2; returned it -1.8"
