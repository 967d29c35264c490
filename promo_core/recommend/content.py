"""Content similarity from item text, so new items and thin histories still get recommendations.

TF-IDF (scikit-learn) over the item name, category and description, in English and Chinese: runs of
Chinese characters are cut into words by jieba, other text into lower-case words without English stop
words. The category also enters as one whole token, so items of a category share a term even when
their names share none. Item-item cosine similarity is computed in blocks and pruned to each item's
``neighbours``, so an item nobody bought yet is reachable from the bought items it resembles. Its cost
grows with the square of the catalogue (more than three minutes for 90,000 products), so a catalogue
above :data:`MAX_GLOBAL_ITEMS` looks for neighbours within each item's category only (seconds).
"""

from __future__ import annotations

import logging
import re
from typing import Self

import jieba
import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer

from promo_core.recommend.batch import BLOCK_CELLS, Batch
from promo_core.recommend.interactions import Interactions
from promo_core.recommend.item_similarity import similar_to_reasons, top_k_per_row
from promo_core.recommend.reasons import strongest_source

jieba.setLogLevel(logging.WARNING)

TEXT_COLUMNS = ("item_name", "item_name_zh", "description", "description_zh")
CATEGORY_COLUMNS = ("category", "category_zh")
_RUNS = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+|[^\W_]+", re.UNICODE)
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
MAX_GLOBAL_ITEMS = 20_000
"""Above this many items, content neighbours are searched within the item's category."""


def tokens(text: str) -> list[str]:
    """Words of mixed English and Chinese text: jieba for Chinese runs, lower-case words otherwise."""
    words = []
    for run in _RUNS.findall(text.lower()):
        if _CJK.match(run):
            words.extend(w for w in jieba.lcut(run) if w.strip())
        elif len(run) > 1 and run not in ENGLISH_STOP_WORDS:
            words.append(run)
    return words


def item_documents(data: Interactions, items: pd.DataFrame | None) -> list[list[str]]:
    """One token list per item of ``data``: catalogue text where there is one, else name and category."""
    table = pd.DataFrame({"item_name": data.item_names, "category": data.item_categories}, index=data.item_ids)
    if items is not None:
        catalogue = items.dropna(subset=["item_id"]).drop_duplicates("item_id")
        catalogue = catalogue.set_index(catalogue["item_id"].astype("str"))
        extra = [c for c in (*TEXT_COLUMNS, *CATEGORY_COLUMNS) if c in catalogue.columns]
        table = catalogue[extra].reindex(data.item_ids).combine_first(table)
    documents = []
    text_columns = [c for c in TEXT_COLUMNS if c in table.columns]
    category_columns = [c for c in CATEGORY_COLUMNS if c in table.columns]
    for row in table[text_columns + category_columns].itertuples(index=False):
        values = dict(zip(text_columns + category_columns, row))
        words = [w for c in text_columns if isinstance(values[c], str) for w in tokens(values[c])]
        words += [f"category:{values[c]}" for c in category_columns if isinstance(values[c], str)]
        documents.append(words)
    return documents


class ContentScorer:
    """Scores an item by its text similarity to what the customer bought."""

    def __init__(self, neighbours: int = 50) -> None:
        self.neighbours = neighbours

    def fit(self, data: Interactions, items: pd.DataFrame | None = None) -> Self:
        documents = item_documents(data, items)
        vectorizer = TfidfVectorizer(analyzer=lambda words: words, sublinear_tf=True)
        vectors = vectorizer.fit_transform(documents).astype(np.float32).tocsr()
        categories = pd.factorize(pd.Series(data.item_categories, dtype=object))
        self.similarity_ = _pruned_similarity(vectors, self.neighbours, _search_groups(categories[0]))
        self.vocabulary_size_ = len(vectorizer.vocabulary_)
        self.item_ids_ = data.item_ids.to_numpy(dtype=object)
        self.item_names_ = data.item_names
        self.category_of_item_ = categories[0]
        self.categories_ = np.asarray(categories[1], dtype=object)
        return self

    def score(self, batch: Batch) -> sp.csr_matrix:
        return batch.history @ self.similarity_

    def explain(self, batch: Batch, user: np.ndarray, item: np.ndarray) -> tuple[list[str], list[dict]]:
        codes, params = similar_to_reasons(strongest_source(batch.history, self.similarity_, user, item), self)
        codes = ["similar_content" if code == "similar_to" else code for code in codes]
        category = self.category_of_item_[item]
        times = _category_orders(batch, self.category_of_item_, user, category)
        for position in np.flatnonzero((category >= 0) & (times >= 2)).tolist():
            codes[position] = "bought_category_often"
            params[position] = {"category": self.categories_[category[position]], "times": int(times[position])}
        return codes, params


def _category_orders(batch: Batch, category_of_item: np.ndarray, user: np.ndarray, category: np.ndarray) -> np.ndarray:
    """Orders of each pair's customer in the pair item's category (item counts summed per category)."""
    known = category_of_item >= 0
    n_categories = int(category_of_item.max(initial=-1)) + 1
    onehot = sp.csr_matrix(
        (np.ones(known.sum(), dtype=np.float32), (np.flatnonzero(known), category_of_item[known])),
        shape=(len(category_of_item), max(n_categories, 1)),
    )
    per_category = (batch.counts @ onehot).toarray()
    return np.where(category >= 0, per_category[user, np.maximum(category, 0)], 0)


def _search_groups(category_of_item: np.ndarray) -> list[np.ndarray]:
    """Items that are searched for each other's neighbours: all together, or one category at a time."""
    if len(category_of_item) <= MAX_GLOBAL_ITEMS:
        return [np.arange(len(category_of_item))]
    order = np.argsort(category_of_item, kind="stable")
    bounds = np.flatnonzero(np.diff(category_of_item[order])) + 1
    return np.split(order, bounds)  # items without a category (code -1) form one group


def _pruned_similarity(vectors: sp.csr_matrix, neighbours: int, groups: list[np.ndarray]) -> sp.csr_matrix:
    """Cosine similarity (rows are L2-normalised) within each group, each column keeping its ``neighbours`` largest."""
    sources, targets, values = [], [], []
    for members in groups:
        group = vectors[members]
        step = max(1, BLOCK_CELLS // len(members))
        for start in range(0, len(members), step):
            block = (group[start : start + step] @ group.T).toarray()
            block[np.arange(block.shape[0]), start + np.arange(block.shape[0])] = 0.0
            target, source, value = top_k_per_row(block, neighbours)
            sources.append(members[source])
            targets.append(members[start + target])
            values.append(value)
    size = vectors.shape[0]
    return sp.csr_matrix(
        (np.concatenate(values).astype(np.float32), (np.concatenate(sources), np.concatenate(targets))),
        shape=(size, size),
    )  # column j holds the neighbours of item j
