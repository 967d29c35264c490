"""The translation table is complete: every key in both languages, every code the UI shows."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from promo_core.loading.schema import SPECS
from ui.i18n import LANGUAGES, TEXT, error_text, translate

ROOT = Path(__file__).resolve().parents[3]


def test_every_key_has_every_language() -> None:
    missing = [key for key, entry in TEXT.items() for lang in LANGUAGES if not entry.get(lang)]
    assert missing == []


@pytest.mark.parametrize("key", sorted(TEXT))
def test_placeholders_agree_between_languages(key: str) -> None:
    fields = {lang: {f[1] for f in string.Formatter().parse(TEXT[key][lang]) if f[1]} for lang in LANGUAGES}
    assert fields["en"] == fields["zh"]


def test_keys_used_in_code_exist() -> None:
    used = set()
    for path in list((ROOT / "ui").glob("*.py")) + list((ROOT / "pages").glob("*.py")) + [ROOT / "app.py"]:
        used |= set(re.findall(r"""t\(\s*["']([a-z_]+\.[a-z_.]+)["']""", path.read_text(encoding="utf-8")))
    assert used, "no translation keys found: the pattern is stale"
    assert sorted(key for key in used if key not in TEXT) == []


def test_every_canonical_column_and_kind_is_translated() -> None:
    for kind, spec in SPECS.items():
        assert f"kind.{kind}" in TEXT
        assert f"kind_help.{kind}" in TEXT
        for column in spec.columns:
            assert f"column.{column.name}" in TEXT, column.name


def test_every_loader_code_is_translated() -> None:
    source = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "promo_core" / "loading").glob("*.py"))
    reasons = set(re.findall(r'"(not_a_number|not_a_date|not_yes_no|invalid|missing_value|wrong_field_count|out_of_range)"', source))
    notes = set(re.findall(r'Note\(\s*"([a-z_]+)"', source)) | set(re.findall(r'note = "([a-z_]+)"', source))
    errors = set(re.findall(r'code="([a-z_]+)"', source)) - {"unknown_kind", "unknown_canonical", "mixed_kinds", "bad_source", "file_missing"}
    assert reasons and notes and errors
    assert sorted(r for r in reasons if f"reason.{r}" not in TEXT) == []
    assert sorted(n for n in notes if f"note.{n}" not in TEXT) == []
    assert sorted(e for e in errors if f"error.{e}" not in TEXT) == []


def test_translate_formats_and_falls_back() -> None:
    assert translate("sidebar.rows", "zh", rows=1234, source="示例") == "1,234 行 · 示例"
    assert translate("no.such.key", "zh") == "no.such.key"


def test_error_text_uses_the_core_message_when_details_do_not_fit() -> None:
    assert error_text("too_many_columns", "core says", {"count": 600, "limit": 500}, "zh") == "文件有 600 列，最多读取 500 列。请删除不用的列。"
    assert error_text("too_many_columns", "core says", {}, "zh") == "core says"
    assert error_text("not_a_code", "core says", {}, "zh") == "core says"
