"""The test setup: group column, control, metrics, covariate, confidence, correction and planned split."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import streamlit as st

from promo_core import PromoCoreError
from promo_core.campaign.data import choose_control
from ui import cache, data, state
from ui.campaign.format import column_labels, md
from ui.campaign.inputs import INPUT_WIDTH, NONE, choice, choices, none_labels
from ui.state import t

ALPHAS = (0.01, 0.05, 0.1)
CORRECTIONS = ("holm", "bh", "none")
_MAX_SPLIT_INPUTS = 12


@dataclass(frozen=True)
class Setup:
    """The user's choices for the test, and the table they apply to."""

    key: str
    group: str
    control: str
    groups: tuple[str, ...]
    metrics: tuple[str, ...]
    covariate: str | None
    alpha: float
    correction: str
    planned_split: tuple[tuple[str, float], ...] | None


def setup_panel(active: data.ActiveTable) -> Setup | None:
    """Group column, control, metrics and covariate (auto-suggested), plus test settings."""
    frame = active.table.frame
    columns = cache.campaign_columns(active.key, frame)
    source = t("source.sample") if active.origin == "sample" else active.table.source.name
    st.caption(t("campaign.table", rows=len(frame), source=md(source)))
    group_options = [c for c in columns.levels if c not in columns.binary] or list(columns.levels)
    if not group_options:
        st.warning(t("campaign.no_group_column"), icon=":material/warning:")
        return None
    with st.container(border=True):
        row = st.container(horizontal=True)
        label = column_labels()
        default = "group" if "group" in group_options else group_options[0]
        group = row.selectbox(
            t("campaign.group"), group_options, key=choice("campaign_group", group_options, default), format_func=label,
            help=t("campaign.group_help"), width=INPUT_WIDTH,
        )
        names = list(columns.levels[group])
        control = row.selectbox(
            t("campaign.control"), names, key=choice("campaign_control", names, _default_control(names, group)),
            help=t("campaign.control_help"), width=INPUT_WIDTH,
        )
        metric_options = [c for c in columns.numeric if c != group]
        preferred = [m for m in ("converted", "revenue") if m in metric_options] or metric_options[:1]
        metrics = row.multiselect(
            t("campaign.metrics"), metric_options, key=choices("campaign_metrics", metric_options, preferred),
            format_func=label, help=t("campaign.metrics_help"), wrap=True,
        )
        covariate_options = [NONE] + [c for c in columns.numeric if c != group and c not in columns.binary]
        covariate = row.selectbox(
            t("campaign.covariate"), covariate_options,
            key=choice("campaign_covariate", covariate_options, suggest_covariate(covariate_options)),
            format_func=none_labels(), help=t("campaign.covariate_help"), width=INPUT_WIDTH,
        )
        with st.expander(t("campaign.settings")):
            row = st.container(horizontal=True)
            alpha = row.selectbox(
                t("campaign.alpha"), ALPHAS, key=choice("campaign_alpha", ALPHAS, 0.05), format_func=lambda a: f"{1 - a:.0%}",
                help=t("campaign.alpha_help"), width=INPUT_WIDTH,
            )
            correction = row.selectbox(
                t("campaign.correction"), CORRECTIONS, key=choice("campaign_correction", CORRECTIONS, "holm"),
                format_func=state.option_labels("campaign.correction"), help=t("campaign.correction_help"),
            )
            split = _planned_split(names)
    if not metrics:
        st.info(t("campaign.pick_metric"), icon=":material/info:")
        return None
    return Setup(
        key=active.key, group=group, control=control, groups=tuple(names), metrics=tuple(metrics),
        covariate=None if covariate == NONE else covariate, alpha=float(alpha), correction=correction,
        planned_split=split,
    )


def _default_control(names: list[str], group: str) -> str:
    """The core's guess of the control group, else the first group: the user can always change it."""
    try:
        return choose_control(names, None, group)
    except PromoCoreError:
        return names[0]


def suggest_covariate(options: Sequence[str]) -> str:
    """A pre-period column (``pre_*``) when there is one: CUPED needs a number measured before the test."""
    for option in options:
        if option != NONE and str(option).lower().startswith(("pre_", "pre-", "pre ")):
            return option
    return NONE


def _planned_split(names: list[str]) -> tuple[tuple[str, float], ...] | None:
    """Planned share per group as relative weights; None when equal (the default)."""
    st.markdown(f"**{t('campaign.split')}**")
    if len(names) > _MAX_SPLIT_INPUTS:
        st.caption(t("campaign.split_too_many", count=len(names)))
        return None
    st.caption(t("campaign.split_help"))
    row = st.container(horizontal=True)
    weights = [
        row.number_input(md(name), min_value=0.0, value=1.0, step=0.5, key=f"campaign_split_{position}",
                        width=INPUT_WIDTH)
        for position, name in enumerate(names)
    ]
    if len(set(weights)) == 1 and weights[0] > 0:
        return None
    return tuple(zip(names, map(float, weights)))
