"""Sentiment: what customers say about products and promotions, in English and Chinese."""

import streamlit as st

from ui import data, state
from ui import sentiment_views as views
from ui.navigation import require_app
from ui.widgets import guarded, no_table

require_app()

st.title(state.t("sent.title"))
st.markdown(state.t("sent.intro"))

reviews = data.active_table("reviews")
if reviews is None:
    no_table("reviews", "sent.no_reviews")
    st.stop()

extra = views.extra_words()
scored = guarded(lambda: views.scored_reviews(reviews, extra))
if scored is None:
    st.stop()

chosen = views.filters(scored)
shown = views.apply_filters(scored, chosen)
views.kpis(scored, shown)
views.accuracy_note(reviews)
if shown.empty:
    st.warning(state.t("sent.empty_filter"))
    st.stop()
guarded(lambda: views.share_section(shown))
guarded(lambda: views.trend_section(shown))
guarded(lambda: views.aspect_section(reviews, extra, shown))
guarded(lambda: views.keyword_section(reviews, extra, shown))
guarded(lambda: views.negative_table(shown))
views.export_section(shown)
