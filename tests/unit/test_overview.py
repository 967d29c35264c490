"""The Home page's numbers: headline KPIs net of returns, the monthly table and its chart, on hand-computed orders."""

from __future__ import annotations

import pandas as pd
import pytest

from promo_core.errors import SchemaError
from promo_core.money import CURRENCIES
from promo_core.overview import monthly_revenue_figure, shop_overview

LABELS = {"title": "T", "month": "Month", "revenue": "Net revenue", "returns": "Returns", "customers": "Active"}


def _orders(with_order_id: bool = True) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "order_id": ["o1", "o1", "o2", "o3", "r1", "o4"],
            "customer_id": ["a", "a", "b", "a", "b", None],
            "order_date": pd.to_datetime(["2026-01-05", "2026-01-05", "2026-01-20", "2026-02-03", "2026-02-10", "2026-02-11"]),
            "amount": [10.0, 30.0, 20.0, 40.0, -20.0, 15.0],
            "is_return": [False, False, False, False, True, False],
        }
    )
    return frame if with_order_id else frame.drop(columns="order_id")


def test_headline_numbers_are_net_of_returns() -> None:
    overview = shop_overview(_orders())
    assert overview.net_revenue == 95.0  # 10 + 30 + 20 + 40 - 20 + 15
    assert overview.gross_revenue == 115.0
    assert overview.returned_revenue == 20.0
    assert overview.return_share == pytest.approx(20 / 115)
    assert overview.orders == 4  # o1 (two lines), o2, o3, o4; the return is not an order
    assert overview.customers == 2  # the line without a customer id counts for sales, not customers
    assert overview.average_order_value == pytest.approx(115 / 4)
    assert (overview.first_date, overview.last_date) == (pd.Timestamp("2026-01-05"), pd.Timestamp("2026-02-11"))
    assert overview.summary().set_index("metric")["value"]["net_revenue"] == 95.0


def test_monthly_table_splits_sales_and_returns() -> None:
    monthly = shop_overview(_orders()).monthly.set_index("month")
    assert monthly.loc["2026-01-01", ["sales", "returns", "net_revenue", "customers"]].tolist() == [60.0, 0.0, 60.0, 2]
    assert monthly.loc["2026-02-01", ["sales", "returns", "net_revenue", "customers"]].tolist() == [55.0, 20.0, 35.0, 2]


def test_without_order_ids_an_order_is_a_customer_day() -> None:
    assert shop_overview(_orders(with_order_id=False)).orders == 4  # a on 01-05 and 02-03, b on 01-20, the anonymous line


def test_chart_draws_net_revenue_returns_and_customers_on_a_free_second_axis() -> None:
    figure = monthly_revenue_figure(shop_overview(_orders()), LABELS)
    revenue, returns, customers = figure.data
    assert (revenue.name, returns.name, customers.name) == ("Net revenue", "Returns", "Active")
    assert list(revenue.y) == [60.0, 35.0] and list(returns.y) == [-0.0, -20.0] and list(customers.y) == [2, 2]
    assert customers.yaxis == "y2"
    assert figure.layout.yaxis2.tickmode == "auto" and figure.layout.yaxis2.rangemode == "tozero"


def test_chart_writes_amounts_in_the_shops_currency() -> None:
    figure = monthly_revenue_figure(shop_overview(_orders()), LABELS, CURRENCIES["CNY"])
    revenue, returns, _ = figure.data
    assert figure.layout.yaxis.tickprefix == "¥" and figure.layout.yaxis.tickformat == ",.0f"
    assert "¥%{y:,.2f}" in revenue.hovertemplate and "¥%{customdata:,.2f}" in returns.hovertemplate
    assert list(returns.customdata) == [0.0, 20.0]  # the hover says what was returned, not a negative amount


@pytest.mark.parametrize(
    ("frame", "code"),
    [(_orders().drop(columns="amount"), "missing_columns"), (_orders().iloc[0:0], "empty")],
)
def test_bad_tables_are_refused_with_a_code(frame: pd.DataFrame, code: str) -> None:
    with pytest.raises(SchemaError) as raised:
        shop_overview(frame)
    assert raised.value.code == code
