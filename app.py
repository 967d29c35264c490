"""PromoLens: the router. Shared sidebar, then the page the user chose."""

import streamlit as st

from ui import state
from ui.navigation import PAGES, run_page
from ui.widgets import sidebar

st.set_page_config(page_title="PromoLens", page_icon=":material/insights:", layout="wide")
state.sync_settings_with_address()

page = st.navigation(
    [
        st.Page(entry.path, title=state.t(entry.title_key), icon=entry.icon, url_path=entry.url_path, default=position == 0)
        for position, entry in enumerate(PAGES)
    ]
)
sidebar()
run_page(page)
