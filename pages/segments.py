"""Segments: who the customers are, which groups carry the revenue, who is slipping away."""

import streamlit as st

from ui import cache, data, state
from ui import segments_views as views
from ui.navigation import require_app
from ui.widgets import guarded, no_table

require_app()

st.title(state.t("seg.title"))
st.markdown(state.t("seg.intro"))

orders = data.active_table("orders")
if orders is None:
    no_table("orders", "seg.no_orders")
    st.stop()

chosen = views.settings(orders)
frame = orders.table.frame
segmentation = guarded(lambda: cache.segments(orders.key, chosen.as_of, chosen.rules, frame))
if segmentation is None:
    st.stop()
value = guarded(lambda: cache.lifetime_value(orders.key, chosen.as_of, chosen.horizon_days, frame))
clusters = guarded(
    lambda: cache.clusters(orders.key, chosen.as_of, chosen.rules, chosen.k, segmentation.table)
)

views.kpis(segmentation, value, chosen.horizon_days)
views.notes(segmentation, value, clusters)
chosen_segments = views.segment_charts(segmentation)
chosen_clusters = views.cluster_section(clusters) if clusters is not None else set()
views.moves_section(orders, chosen)
if value is not None:
    views.value_section(value)
views.customer_section(segmentation, clusters, value, chosen_segments, chosen_clusters)
