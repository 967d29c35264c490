"""Bad input: each failure mode gives its exact error type and code, or a result with a note."""

from __future__ import annotations

import pandas as pd
import pytest
from recommend_orders import tiny_orders

from promo_core.errors import InsufficientDataError, SchemaError
from promo_core.recommend import evaluate_recommenders, fit_recommender


@pytest.fixture()
def orders() -> pd.DataFrame:
    rows = [(f"c{c}", f"i{(c + k) % 6}", f"2025-0{1 + k}-0{1 + c % 9}") for c in range(12) for k in range(4)]
    return tiny_orders(rows)


def _codes(model) -> set[str]:
    return {note.code for note in model.notes_}


def test_missing_column_is_named(orders) -> None:
    with pytest.raises(SchemaError, match="item_id") as caught:
        fit_recommender(orders.drop(columns=["item_id"]), algorithm="popularity")
    assert caught.value.code == "orders_columns_missing" and caught.value.details["columns"] == "item_id"


def test_dates_as_text(orders) -> None:
    with pytest.raises(SchemaError, match="order_date") as caught:
        fit_recommender(orders.assign(order_date=orders["order_date"].astype("str")), algorithm="popularity")
    assert caught.value.code == "not_dates"


def test_only_guest_lines(orders) -> None:
    with pytest.raises(InsufficientDataError, match="customer_id") as caught:
        fit_recommender(orders.assign(customer_id=pd.NA), algorithm="popularity")
    assert caught.value.code == "no_customer_purchases" and caught.value.details["guest_lines"] == len(orders)


def test_one_item_only_fits_with_a_note_but_cannot_be_evaluated(orders) -> None:
    single = orders.assign(item_id="i0")
    model = fit_recommender(single, algorithm="hybrid")
    assert "one_item_only" in _codes(model)
    assert model.recommend(n=5, mode="discovery").empty
    assert model.recommend(["c1"], n=5, mode="all")["item_id"].tolist() == ["i0"]
    with pytest.raises(InsufficientDataError, match="same item") as caught:
        evaluate_recommenders(single)
    assert caught.value.code == "one_item_only"


def test_all_customers_identical(orders) -> None:
    same = pd.concat([orders.assign(item_id=item) for item in ("i0", "i1", "i2")], ignore_index=True)
    model = fit_recommender(same, algorithm="ease")
    assert "identical_customers" in _codes(model)
    assert model.recommend(n=3, mode="discovery").empty
    assert len(model.recommend(n=3, mode="all")) == 3 * 12


def test_customers_with_one_purchase_are_noted(orders) -> None:
    once = pd.concat([orders, tiny_orders([("solo", "i3", "2025-04-20")])], ignore_index=True)
    model = fit_recommender(once, algorithm="item_knn")
    note = next(n for n in model.notes_ if n.code == "single_purchase_customers")
    assert note.details["count"] == 1
    assert len(model.recommend(["solo"], n=3)) == 3


def test_items_missing_from_the_catalogue_are_noted(orders) -> None:
    items = pd.DataFrame({"item_id": ["i0", "i1", "i2", "i9"], "item_name": ["a", "b", "c", "new"]})
    model = fit_recommender(orders, algorithm="hybrid", items=items)
    notes = {n.code: n.details for n in model.notes_}
    assert notes["items_not_in_catalogue"]["count"] == 3 and notes["catalogue_items_never_bought"]["count"] == 1


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [({"algorithm": "deep_magic"}, "algorithm_unknown"), ({"algorithm": "svd"}, "svd_needs_ratings")],
)
def test_bad_algorithm(orders, kwargs, code) -> None:
    with pytest.raises(SchemaError) as caught:
        fit_recommender(orders, **kwargs)
    assert caught.value.code == code


@pytest.mark.parametrize(("kwargs", "code"), [
    ({"recent_days": 0}, "recent_days_invalid"),
    ({"recent_days": 7.5}, "recent_days_invalid"),
    ({"ease_l2": 0.0}, "ease_l2_invalid"),
    ({"ease_l2": "high"}, "ease_l2_invalid"),
])
def test_bad_model_parameters(orders, kwargs, code) -> None:
    with pytest.raises(SchemaError) as caught:
        fit_recommender(orders, algorithm="hybrid", **kwargs)
    assert caught.value.code == code and caught.value.details == {code.removesuffix("_invalid"): str(*kwargs.values())}
    with pytest.raises(SchemaError) as caught:
        evaluate_recommenders(orders, params=kwargs)
    assert caught.value.code == code


@pytest.mark.parametrize(("kwargs", "code"), [({"mode": "everything"}, "mode_unknown"), ({"n": 0}, "n_invalid")])
def test_bad_recommend_arguments(orders, kwargs, code) -> None:
    model = fit_recommender(orders, algorithm="popularity")
    with pytest.raises(SchemaError) as caught:
        model.recommend(**kwargs)
    assert caught.value.code == code


def test_unknown_item_for_also_bought(orders) -> None:
    model = fit_recommender(orders, algorithm="popularity")
    with pytest.raises(SchemaError, match="'zz'") as caught:
        model.also_bought("zz")
    assert caught.value.code == "item_not_found"


@pytest.mark.parametrize(("kwargs", "code"), [
    ({"holdout_days": 0}, "holdout_invalid"),
    ({"k": 0}, "k_invalid"),
    ({"hybrid_weights": {"all": {"ease": -1.0}}}, "hybrid_weights_invalid"),
])
def test_bad_evaluation_arguments(orders, kwargs, code) -> None:
    with pytest.raises(SchemaError) as caught:
        evaluate_recommenders(orders, **kwargs)
    assert caught.value.code == code


@pytest.mark.parametrize("weights", [{"all": {"magic": 1.0}}, {"later": {"ease": 1.0}}, {"all": {"ease": "high"}}])
def test_unusable_hybrid_weights_name_the_component(orders, weights) -> None:
    with pytest.raises(SchemaError, match="Hybrid weight") as caught:
        fit_recommender(orders, algorithm="hybrid", hybrid_weights=weights)
    (mode, parts), = weights.items()
    (component, weight), = parts.items()
    assert caught.value.code == "hybrid_weights_invalid"
    assert caught.value.details == {"mode": mode, "component": component, "weight": str(weight)}


def test_holdout_longer_than_the_history(orders) -> None:
    with pytest.raises(InsufficientDataError, match="shorter holdout") as caught:
        evaluate_recommenders(orders, holdout_days=400)
    assert caught.value.code == "holdout_empty" and caught.value.details["train_lines"] == 0


def test_auto_falls_back_to_hybrid_when_it_cannot_evaluate(orders) -> None:
    model = fit_recommender(orders, holdout_days=400)
    summary = model.summary()
    assert summary["algorithm"].tolist() == ["hybrid", "hybrid"]
    assert summary["reason"].eq("evaluation_not_possible").all()
    assert summary["reason_params"].iloc[0]["error"] == "holdout_empty"


def test_ratings_without_rating_column(orders) -> None:
    with pytest.raises(SchemaError, match="rating") as caught:
        fit_recommender(orders, algorithm="svd", ratings=pd.DataFrame({"customer_id": ["c1"], "item_id": ["i1"]}))
    assert caught.value.code == "ratings_columns_missing"


def test_too_few_ratings(orders) -> None:
    ratings = pd.DataFrame({"customer_id": ["c1", "c2"], "item_id": ["i1", "i2"], "rating": [4.0, 5.0]})
    with pytest.raises(InsufficientDataError) as caught:
        fit_recommender(orders, algorithm="svd", ratings=ratings)
    assert caught.value.code == "too_few_ratings" and caught.value.details["ratings"] == 2


def test_segments_without_segment_column(orders) -> None:
    with pytest.raises(SchemaError, match="segment") as caught:
        fit_recommender(orders, algorithm="popularity", segments=pd.DataFrame({"customer_id": ["c1"]}))
    assert caught.value.code == "segments_columns_missing"
