"""Chinese rules with exact labels: negation, degree (不太好 vs 太不好), contrast, targets, emoji, exclamation."""

from __future__ import annotations

import pytest

from tests.unit.sentiment.conftest import label_of, score_of


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("好", "positive"),
        ("不好", "negative"),
        ("不太好", "negative"),
        ("太不好", "negative"),
        ("不是很满意", "negative"),
        ("非常不满意", "negative"),
        ("一点都不好", "negative"),
        ("没有想象中好", "negative"),
        ("不是不好", "positive"),
        ("不贵", "positive"),
        ("不太贵", "positive"),
        ("没问题", "positive"),
        ("没有任何异味", "positive"),
        ("不推荐", "negative"),
        ("再也不买了", "negative"),
        ("与描述不符", "negative"),
        ("用了两天就坏了", "negative"),
        ("物美价廉", "positive"),
        ("五星好评", "positive"),
        ("差评", "negative"),
        ("假货", "negative"),
        ("正品", "positive"),
        ("退货了", "negative"),
        ("客服态度很好", "positive"),
        ("包装破损", "negative"),
        ("划算", "positive"),
        ("房间没有热水", "negative"),
    ],
)
def test_negation_and_vocabulary(text: str, label: str) -> None:
    assert label_of(text) == label


def test_word_order_decides_strength_of_negation() -> None:
    mild, plain, strong = score_of("不太好"), score_of("不好"), score_of("太不好")
    assert strong < plain < mild < 0


@pytest.mark.parametrize(("stronger", "weaker"), [("很好", "好"), ("非常满意", "满意"), ("好", "有点好"), ("太贵了", "有点贵")])
def test_degree_adverbs_scale_the_word(stronger: str, weaker: str) -> None:
    assert abs(score_of(stronger)) > abs(score_of(weaker)) > 0


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("质量不错，就是物流太慢了", "negative"),
        ("物流很慢，但是质量非常好", "positive"),
        ("虽然价格有点贵，但是质量很好", "positive"),
        ("虽然质量不错，物流太慢了", "negative"),
        ("质量很好。但是物流太慢了。", "negative"),
        ("物流太慢了。不过客服非常耐心，质量也很好。", "positive"),
    ],
)
def test_contrast_weighs_the_later_clause(text: str, label: str) -> None:
    assert label_of(text) == label


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("性价比很高", "positive"),
        ("价格很高", "negative"),
        ("性价比太高了", "positive"),
        ("噪音很小", "positive"),
        ("噪音很大", "negative"),
        ("噪音不大", "positive"),
        ("物流很快", "positive"),
        ("衣服太小了", "negative"),
        ("续航很长", "positive"),
    ],
)
def test_adjectives_read_against_their_subject(text: str, label: str) -> None:
    assert label_of(text) == label


def test_exclamation_adds_emphasis_in_the_direction_of_the_sentiment() -> None:
    assert score_of("很好！！") > score_of("很好") > 0
    assert score_of("很差！！") < score_of("很差") < 0


@pytest.mark.parametrize(("text", "label"), [("还行👍", "positive"), ("一般😡", "negative"), ("好评:)", "positive"), ("到了[怒]", "negative")])
def test_emoji_and_emoticons_count(text: str, label: str) -> None:
    assert label_of(text) == label


def test_drivers_name_the_phrases_with_their_valence() -> None:
    from promo_core.sentiment import score_reviews

    drivers = score_reviews(["质量不错，就是物流太慢了"])["drivers"].iloc[0]
    assert drivers.startswith("物流太慢 -")
    assert "不错 +" in drivers


def test_english_words_inside_a_chinese_review_are_scored() -> None:
    assert label_of("东西收到了，delivery very slow") == "negative"
