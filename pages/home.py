"""Home: what PromoLens answers, and the loaded shop at a glance."""

import streamlit as st

from promo_core.overview import monthly_revenue_figure
from ui import cache, data, state
from ui.navigation import require_app
from ui.widgets import kpi_row, no_table

require_app()

st.title(state.t("app.title"))
st.markdown(state.t("app.tagline"))
st.markdown(state.t("home.intro"))

orders = data.active_table("orders")
if orders is None:
    no_table("orders", "home.no_orders")
else:
    overview = cache.overview(orders.key, orders.table.frame)
    st.caption(state.t("home.period", start=f"{overview.first_date:%Y-%m-%d}", end=f"{overview.last_date:%Y-%m-%d}"))
    money = state.currency()
    kpi_row(
        [
            (state.t("home.kpi.revenue"), money.format(overview.net_revenue, decimals=0)),
            (state.t("home.kpi.orders"), f"{overview.orders:,}"),
            (state.t("home.kpi.customers"), f"{overview.customers:,}"),
            (state.t("home.kpi.aov"), money.format(overview.average_order_value)),
            (state.t("home.kpi.return_rate"), f"{overview.return_share:.1%}"),
        ]
    )
    labels = {key: state.t(f"home.chart.{key}") for key in ("title", "month", "revenue", "returns", "customers")}
    st.plotly_chart(monthly_revenue_figure(overview, labels, money), key="home_revenue")

others = []
for kind, label in (("reviews", "home.kpi.reviews"), ("campaign", "home.kpi.campaign"), ("ad_events", "home.kpi.impressions")):
    active = data.active_table(kind)
    if active is not None:
        others.append((state.t(label), f"{len(active.table.frame):,}"))
kpi_row(others)

st.subheader(state.t("home.capabilities"))
st.markdown(state.t("home.capability.data"))
st.markdown(state.t("home.capability.campaign"))
st.markdown(state.t("home.capability.segments"))
st.markdown(state.t("home.capability.sentiment"))
st.markdown(state.t("home.capability.recommend"))
st.markdown(state.t("home.capability.ads"))
