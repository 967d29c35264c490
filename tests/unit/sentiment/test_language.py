"""Language per review: English, Chinese (simplified, traditional, mixed), other languages, emoji, empty."""

from __future__ import annotations

import pytest

from promo_core.sentiment import detect_language, score_reviews


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Great quality, fast delivery.", "en"),
        ("ok", "en"),
        ("质量很好，物流也很快", "zh"),
        ("質量很好，物流也很快，非常滿意！", "zh"),
        ("东西很好，delivery also fast", "zh"),
        ("I love my 小米 phone, works great", "en"),
        ("Muy buena calidad y llegó rápido. ¡Recomendado!", "other"),
        ("Très bonne qualité, livraison rapide", "other"),
        ("Sehr gute Qualität und schnelle Lieferung", "other"),
        ("Barang bagus, penghantaran cepat, terima kasih", "other"),
        ("思ったより小さかったです。ちょっと残念。", "other"),
        ("배송이 빠르고 품질이 좋아요", "other"),
        ("Отличное качество, быстрая доставка", "other"),
        ("", "empty"),
        (" . ! ", "empty"),
        ("123", "empty"),
    ],
)
def test_detect_language(text: str, lang: str) -> None:
    assert detect_language(text) == lang


def test_emoji_only_reviews_have_their_own_code() -> None:
    scored = score_reviews(["👍👍👍", "😡😡", ":)"])
    assert scored["lang"].astype(str).tolist() == ["emoji", "emoji", "emoji"]
    assert scored["label"].astype(str).tolist() == ["positive", "negative", "positive"]


def test_traditional_chinese_is_mapped_and_flagged() -> None:
    scored = score_reviews(["包裝破損了，客服態度也不好，不推薦。", "質量很好，非常滿意！"])
    assert scored["lang"].astype(str).tolist() == ["zh", "zh"]
    assert scored["label"].astype(str).tolist() == ["negative", "positive"]
    assert scored["flags"].tolist() == ["traditional", "traditional"]
    assert "破损" in scored["drivers"].iloc[0]


def test_mixed_reviews_are_flagged_and_scored_in_both_languages() -> None:
    scored = score_reviews(["东西很好，delivery also fast 👍"])
    assert scored["flags"].iloc[0] == "mixed_language"
    assert "fast +1.0" in scored["drivers"].iloc[0]


def test_forced_language_applies_to_reviews_with_words_only() -> None:
    scored = score_reviews(["good", "👍", ""], lang="en")
    assert scored["lang"].astype(str).tolist() == ["en", "emoji", "empty"]
