"""Campaign effect: did the promotion cause extra sales, for whom, did it pay, and what to do next."""

import streamlit as st

from ui import campaign as views
from ui import data, state
from ui.navigation import require_app
from ui.widgets import no_table

require_app()

st.title(state.t("campaign.title"))
st.markdown(state.t("campaign.intro"))

findings = views.Findings()
campaign = data.active_table("campaign")
setup = None
if campaign is None:
    no_table("campaign", "campaign.no_table")
else:
    setup = views.setup_panel(campaign)
    if setup is not None:
        findings.suite = views.test_view(campaign, setup)

segments_tab, uplift_tab, impact_tab, power_tab = st.tabs(
    [state.t("campaign.tab.segments"), state.t("campaign.tab.uplift"), state.t("campaign.tab.impact"), state.t("campaign.tab.power")]
)
ready = campaign is not None and setup is not None and findings.suite is not None
with segments_tab:
    if ready:
        findings.segments = views.segments_view(campaign, setup)
    else:
        st.info(state.t("campaign.needs_test"), icon=":material/info:")
with uplift_tab:
    if ready:
        views.uplift_view(campaign, setup, findings)
    else:
        st.info(state.t("campaign.needs_test"), icon=":material/info:")
with impact_tab:
    views.impact_view(findings)
with power_tab:
    views.power_view(findings.suite, findings)

views.export_view(findings)
