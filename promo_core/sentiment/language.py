"""Which language a review is in: 'en', 'zh', 'other', 'emoji' (only emoji) or 'empty'.

Hand-written: the shop sells in English and Chinese, so the question is only "Chinese, English or
something we must not score". Script counts settle most reviews (Han characters, kana, Hangul);
Latin-script text is English unless words of other common shop languages (Spanish, French, German,
Italian, Portuguese, Dutch, Malay/Indonesian) or their accented letters outweigh English words.
A general language identifier would be a heavy dependency for this one decision.
"""

from __future__ import annotations

import re

LANGS = ("en", "zh", "other", "emoji", "empty")

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_KANA = re.compile(r"[\u3040-\u30ff]")
_HANGUL = re.compile(r"[\uac00-\ud7af\u1100-\u11ff]")
_LETTER = re.compile(r"[^\W\d_]")
_LATIN_WORD = re.compile(r"[A-Za-z\u00c0-\u024f]+(?:'[A-Za-z]+)?")
_ACCENTED = re.compile(r"[\u00c0-\u024f¿¡]")

_ENGLISH = frozenset((
    "the", "a", "an", "and", "or", "but", "is", "are", "was", "were", "be", "been", "being", "it", "its",
    "it's", "this", "that", "these", "those", "i", "i'm", "i've", "my", "me", "we", "our", "you", "your",
    "he", "she", "they", "them", "their", "of", "to", "in", "on", "for", "with", "at", "by", "from", "as",
    "not", "no", "very", "so", "too", "really", "good", "great", "bad", "nice", "love", "like", "would",
    "will", "can", "could", "should", "do", "does", "did", "don't", "didn't", "doesn't", "have", "has",
    "had", "just", "quality", "product", "price", "delivery", "fast", "slow", "buy", "bought", "again",
    "well", "ok", "okay", "recommend", "happy", "thanks", "arrived", "works", "item", "all", "one", "out",
    "up", "after", "than", "more", "also", "what", "when", "got", "get", "use", "used", "size", "fit",
    "color", "colour", "small", "big", "perfect", "excellent", "terrible", "poor", "worth", "money",
    "cheap", "expensive", "broke", "broken", "shipping", "box"
))
_FOREIGN = frozenset((
    "el", "la", "los", "las", "del", "que", "y", "muy", "es", "con", "por", "para", "una", "lo", "pero",
    "bien", "bueno", "buena", "calidad", "llegó", "producto", "gracias", "todo", "más", "rápido",
    "excelente", "le", "les", "et", "est", "très", "pas", "une", "des", "du", "avec", "pour", "je", "c'est",
    "qualité", "produit", "mais", "sont", "au", "aux", "ce", "cette", "merci", "der", "die", "das", "und",
    "ist", "sehr", "nicht", "mit", "ich", "gut", "ein", "eine", "auch", "aber", "zu", "für", "qualität",
    "schnell", "il", "è", "molto", "non", "per", "che", "di", "della", "ottimo", "prodotto", "os", "é",
    "muito", "não", "com", "um", "uma", "bom", "boa", "chegou", "het", "een", "en", "zeer", "niet", "heel",
    "goed", "snel", "van", "yang", "dan", "ini", "itu", "tidak", "sangat", "bagus", "barang", "cepat",
    "terima", "kasih", "baik", "sudah", "saya", "dengan", "untuk", "ada", "boleh", "murah", "mantap",
    "penghantaran", "kualiti", "kualitas"
))


def detect_language(text: str, has_emoji: bool = False) -> str:
    """The language code of one cleaned review (``has_emoji``: emoji were taken out of it)."""
    letters = len(_LETTER.findall(text))
    if letters == 0:
        return "emoji" if has_emoji else "empty"
    han = len(_HAN.findall(text))
    kana = len(_KANA.findall(text))
    if kana >= 2 and kana * 10 >= han + kana:
        return "other"  # Japanese
    hangul = len(_HANGUL.findall(text))
    words = _LATIN_WORD.findall(text)
    latin = sum(map(len, words))
    if hangul > han and hangul >= latin:
        return "other"
    if (letters - han - kana - hangul - latin) * 2 > letters:
        return "other"  # Cyrillic, Arabic, Thai, ...
    if han and han >= len(words):
        return "zh"
    return _latin_language(words)


def _latin_language(words: list[str]) -> str:
    lowered = [w.lower() for w in words]
    english = sum(w in _ENGLISH for w in lowered)
    foreign = sum(w in _FOREIGN for w in lowered) + sum(bool(_ACCENTED.search(w)) for w in words)
    if not lowered:
        return "other"
    return "other" if foreign > english else "en"


def is_mixed(text: str, lang: str) -> bool:
    """A Chinese review with at least two English words, or an English one with Chinese characters."""
    if lang == "zh":
        return len(_LATIN_WORD.findall(text)) >= 2
    return lang == "en" and bool(_HAN.search(text))
