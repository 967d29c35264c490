"""Ads: which impressions click and convert, how good the models are, and where the budget goes."""

import streamlit as st

from ui import ads_views as views
from ui import cache, data, state
from ui.navigation import require_app
from ui.widgets import guarded, no_table

require_app()

st.title(state.t("ads.title"))
st.markdown(state.t("ads.intro"))

events = data.active_table("ad_events")
if events is None:
    no_table("ad_events", "ads.no_events")
    st.stop()

views.headline(events)
chosen = views.settings(events)
frame = events.table.frame
with st.spinner(state.t("ads.training")):
    model = guarded(lambda: cache.ads_model(events.key, chosen.target, chosen.features, frame))
if model is not None:
    views.notes(model)
    views.model_section(model)
    views.segments_section(events, chosen, model)
allocation = views.budget_section(events)
views.exports(events, chosen, allocation)
