"""Data: upload exports per table, fix the column mapping, read the data report."""

import streamlit as st

from promo_core.loading.schema import KINDS
from ui import state
from ui.data_views import kind_section
from ui.navigation import require_app

require_app()

st.title(state.t("data.title"))
st.markdown(state.t("data.intro"))

for kind, tab in zip(KINDS, st.tabs([state.t(f"kind.{kind}") for kind in KINDS])):
    with tab:
        kind_section(kind)
