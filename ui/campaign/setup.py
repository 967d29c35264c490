"""The test setup: group column, control, metrics, covariate, confidence, correction and planned split."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import streamlit as st

from promo_core import PromoCoreError
from promo_core.campaign.data import choose_control
from ui import cache, data
from ui.campaign.format import md
from ui.campaign.inputs import NONE, choice, choices, none_label
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
        left, middle, right, last = st.columns([1, 1, 1.3, 1])
        choice("campaign_group", group_options, "group" if "group" in group_options else group_options[0])
        group = left.selectbox(t("campaign.group"), group_options, key="campaign_group", help=t("campaign.group_help"))
        names = list(columns.levels[group])
        choice("campaign_control", names, _default_control(names, group))
        control = middle.selectbox(
            t("campaign.control"), names, key="campaign_control", help=t("campaign.control_help")
        )
        metric_options = [c for c in columns.numeric if c != group]
        preferred = [m for m in ("converted", "revenue") if m in metric_options] or metric_options[:1]
        choices("campaign_metrics", metric_options, preferred)
        metrics = right.multiselect(
            t("campaign.metrics"), metric_options, key="campaign_metrics", help=t("campaign.metrics_help")
        )
        covariate_options = [NONE] + [c for c in columns.numeric if c != group and c not in columns.binary]
        choice("campaign_covariate", covariate_options, suggest_covariate(covariate_options))
        covariate = last.selectbox(
            t("campaign.covariate"), covariate_options, key="campaign_covariate", format_func=none_label,
            help=t("campaign.covariate_help"),
        )
        with st.expander(t("campaign.settings")):
            first, second = st.columns(2)
            choice("campaign_alpha", ALPHAS, 0.05)
            alpha = first.selectbox(
                t("campaign.alpha"), ALPHAS, key="campaign_alpha", format_func=lambda a: f"{1 - a:.0%}",
                help=t("campaign.alpha_help"),
            )
            choice("campaign_correction", CORRECTIONS, "holm")
            correction = second.selectbox(
                t("campaign.correction"), CORRECTIONS, key="campaign_correction",
                format_func=lambda c: t(f"campaign.correction.{c}"), help=t("campaign.correction_help"),
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
    weights = []
    for position, (column, name) in enumerate(zip(st.columns(min(len(names), 6)) * 2, names)):
        weights.append(column.number_input(md(name), min_value=0.0, value=1.0, step=0.5, key=f"campaign_split_{position}"))
    if len(set(weights)) == 1 and weights[0] > 0:
        return None
    return tuple(zip(names, map(float, weights)))
