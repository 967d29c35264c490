"""Recommendations and coupons: which method and why, one customer's list, also bought, coupons within a budget."""

import streamlit as st

from ui import data, state
from ui import recommend_views as views
from ui.navigation import require_app
from ui.widgets import no_table

require_app()

st.title(state.t("rec.title"))
st.markdown(state.t("rec.intro"))

orders = data.active_table("orders")
if orders is None:
    no_table("orders", "rec.no_orders")
    st.stop()

fitted = views.algorithm_section(views.inputs(orders, data.active_table("items"), data.active_table("reviews")))
if fitted is None:
    st.stop()

chosen, model = fitted
views.customer_section(chosen, model)
views.also_bought_section(chosen, model)
coupons = views.coupon_section(chosen, model)
views.notes(model, coupons)
