"""The shop at a glance: headline KPIs and monthly net revenue from the orders table."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from promo_core.errors import SchemaError
from promo_core.money import NO_CURRENCY, Currency


@dataclass(frozen=True, eq=False)
class ShopOverview:
    """Headline numbers (net of returns) and a month-by-month table."""

    net_revenue: float
    gross_revenue: float
    returned_revenue: float
    orders: int
    customers: int
    average_order_value: float
    first_date: pd.Timestamp
    last_date: pd.Timestamp
    monthly: pd.DataFrame

    @property
    def return_share(self) -> float:
        """Returned value as a share of gross sales."""
        return self.returned_revenue / self.gross_revenue if self.gross_revenue else 0.0

    def summary(self) -> pd.DataFrame:
        """The headline numbers as (metric, value) rows."""
        return pd.DataFrame(
            {
                "metric": ["net_revenue", "orders", "customers", "average_order_value", "return_share"],
                "value": [self.net_revenue, self.orders, self.customers, self.average_order_value, self.return_share],
            }
        )


def shop_overview(orders: pd.DataFrame) -> ShopOverview:
    """KPIs of a canonical orders frame; returns reduce revenue and do not count as orders."""
    missing = [c for c in ("customer_id", "order_date", "amount", "is_return") if c not in orders]
    if missing:
        raise SchemaError(f"The orders table lacks {', '.join(missing)}; load it with load_table.", code="missing_columns")
    if orders.empty:
        raise SchemaError("The orders table has no rows.", code="empty")
    purchases = orders[~orders["is_return"]]
    returns = orders[orders["is_return"]]
    order_key = _order_keys(purchases)
    month = orders["order_date"].dt.to_period("M").dt.to_timestamp()
    monthly = (
        orders.assign(
            month=month,
            sales=orders["amount"].where(~orders["is_return"], 0.0),
            returns=-orders["amount"].where(orders["is_return"], 0.0),
        )
        .groupby("month")
        .agg(sales=("sales", "sum"), returns=("returns", "sum"), customers=("customer_id", "nunique"))
        .reset_index()
    )
    monthly["net_revenue"] = monthly["sales"] - monthly["returns"]
    gross = float(purchases["amount"].sum())
    n_orders = int(order_key.nunique())
    return ShopOverview(
        net_revenue=float(orders["amount"].sum()),
        gross_revenue=gross,
        returned_revenue=float(-returns["amount"].sum()) + 0.0,
        orders=n_orders,
        customers=int(purchases["customer_id"].nunique()),
        average_order_value=gross / n_orders if n_orders else 0.0,
        first_date=orders["order_date"].min(),
        last_date=orders["order_date"].max(),
        monthly=monthly,
    )


def _order_keys(purchases: pd.DataFrame) -> pd.Series:
    """Order ids where the file has them, else one order per customer and day."""
    if "order_id" in purchases and purchases["order_id"].notna().any():
        return purchases["order_id"]
    return purchases["customer_id"].fillna("") + "|" + purchases["order_date"].dt.strftime("%Y-%m-%d")


def monthly_revenue_figure(
    overview: ShopOverview, labels: Mapping[str, str], currency: Currency = NO_CURRENCY
) -> go.Figure:
    """Bars of net revenue and returns per month, active customers as a line on a second axis.

    ``labels`` carries the translated texts for keys title, month, revenue, returns, customers.
    """
    monthly = overview.monthly
    figure = go.Figure()
    figure.add_bar(x=monthly["month"], y=monthly["net_revenue"], name=labels["revenue"], marker_color="#2a6f97",
                   hovertemplate=f"%{{x|%Y-%m}}: {currency.hover('y')}<extra>%{{fullData.name}}</extra>")
    figure.add_bar(x=monthly["month"], y=-monthly["returns"], customdata=monthly["returns"], name=labels["returns"],
                   marker_color="#e76f51",
                   hovertemplate=f"%{{x|%Y-%m}}: {currency.hover('customdata')}<extra>%{{fullData.name}}</extra>")
    figure.add_scatter(
        x=monthly["month"], y=monthly["customers"], name=labels["customers"], yaxis="y2", mode="lines+markers", line_color="#6a994e"
    )
    figure.update_layout(
        title=labels["title"],
        barmode="relative",
        xaxis={"title": labels["month"], "tickformat": "%Y-%m"},
        # Whole amounts, not SI suffixes: "120k" is no way to write money in Chinese (12万).
        yaxis={"title": labels["revenue"], "tickprefix": currency.symbol, "tickformat": ",.0f"},
        yaxis2={  # auto ticks: Streamlit's theme syncs them to the left axis (175, 440, 705 ...)
            "title": labels["customers"], "overlaying": "y", "side": "right", "showgrid": False,
            "rangemode": "tozero", "tickmode": "auto",
        },
        legend={"orientation": "h", "y": -0.2},
        margin={"t": 60, "b": 40},
    )
    return figure
