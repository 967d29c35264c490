"""Names shown for products and categories: the catalogue's Chinese ones in the Chinese UI, with fallbacks."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from ui.catalogue import catalogue_names

CATALOGUE = pd.DataFrame(
    {
        "item_id": ["A1", "B2", "C3", None],
        "item_name": ["Mug", "Scarf", None, "ghost"],
        "item_name_zh": ["马克杯", None, None, "幽灵"],
        "category": ["kitchen", "apparel", "kitchen", "x"],
        "category_zh": ["厨房", None, "厨房", "x"],
    }
)


def test_english_ui_uses_the_given_or_catalogue_name_then_the_id() -> None:
    names = catalogue_names(CATALOGUE)  # outside a session the language is English
    assert not names.chinese
    assert names.item("A1", "Mug (orders)") == "Mug (orders)"
    assert names.item("A1") == "Mug" and names.item("C3") == "C3" and names.item("Z9") == "Z9"
    assert names.item_category("B2") == "apparel" and names.item_category("Z9") is None


def test_chinese_ui_prefers_the_chinese_names_and_falls_back_per_item() -> None:
    names = replace(catalogue_names(CATALOGUE), chinese=True)
    assert names.item("A1", "Mug (orders)") == "马克杯"
    assert names.item("B2") == "Scarf"  # no Chinese name for this one
    assert names.item_category("C3") == "厨房" and names.item_category("B2") == "apparel"
    assert "幽灵" not in names.items_zh.values()  # rows without an id are not products


def test_no_catalogue_means_ids_and_no_categories() -> None:
    names = catalogue_names(None)
    assert names.item("A1") == "A1" and names.item_category("A1") is None and not names.category_of
