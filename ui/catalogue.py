"""Product and category names to show, in the UI language, from the item catalogue.

The core names products and categories as the orders and catalogue do (``item_name``, ``category``);
``item_name_zh`` and ``category_zh`` are display data the UI picks by language, on every page alike.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from ui import state


@dataclass(frozen=True)
class CatalogueNames:
    """The catalogue's names: Chinese ones for the Chinese UI, and each item's own name and category."""

    items_zh: Mapping[str, str]
    categories_zh: Mapping[object, str]
    chinese: bool
    items: Mapping[str, str]
    category_of: Mapping[str, object]

    def item(self, item_id: object, name: object = None) -> object:
        """The product's name in the UI language: the catalogue's Chinese name in Chinese, else ``name``,
        else the catalogue's name, else the id itself."""
        key = str(item_id)
        if self.chinese and key in self.items_zh:
            return self.items_zh[key]
        return name if name is not None else self.items.get(key, item_id)

    def category(self, category: object) -> object:
        return self.categories_zh.get(category, category) if self.chinese else category

    def item_category(self, item_id: object) -> object:
        """The catalogue's category of a product, in the UI language (None when it has none)."""
        found = self.category_of.get(str(item_id))
        return None if found is None else self.category(found)


def catalogue_names(items: pd.DataFrame | None) -> CatalogueNames:
    """The names the catalogue gives (none without a catalogue, no Chinese ones without its ``_zh`` columns)."""
    columns: dict[str, dict] = {"item_name_zh": {}, "item_name": {}, "category": {}}
    categories_zh: dict[object, str] = {}
    if items is not None:
        catalogue = items.dropna(subset=["item_id"]).drop_duplicates("item_id")
        ids = catalogue["item_id"].astype(str)
        for column in columns:
            if column in catalogue:
                named = catalogue[column].notna()
                columns[column] = dict(zip(ids[named], catalogue.loc[named, column]))
        if {"category", "category_zh"} <= set(catalogue.columns):
            named = catalogue.dropna(subset=["category", "category_zh"])
            categories_zh = dict(zip(named["category"], named["category_zh"]))
    return CatalogueNames(
        columns["item_name_zh"], categories_zh, state.lang() == "zh", columns["item_name"], columns["category"]
    )
