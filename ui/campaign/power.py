"""Power calculator, seeded from the test's control group when there is one."""

from __future__ import annotations

import streamlit as st

from promo_core import PromoCoreError
from promo_core.campaign import ABTestSuite, power_analysis
from ui import state
from ui.campaign.export import Findings
from ui.campaign.format import num, pct, points, show_core_error
from ui.campaign.inputs import INPUT_WIDTH, choice, seed
from ui.state import t
from ui.widgets import kpi_row

METRICS = ("proportion", "mean")
SOLVE_FOR = ("n", "mde")


def power_view(suite: ABTestSuite | None, findings: Findings) -> None:
    """Sample size for a minimum detectable effect, or the effect a given sample can detect."""
    st.caption(t("campaign.power.intro"))
    baseline_rate, baseline_mean, baseline_sd, variants = _power_defaults(suite)
    row = st.container(horizontal=True)
    metric = row.radio(
        t("campaign.power.metric"), METRICS, key=choice("campaign_power_metric", METRICS, METRICS[0]), horizontal=True,
        format_func=state.option_labels("campaign.power.metric"),
    )
    solve = row.radio(
        t("campaign.power.solve"), SOLVE_FOR, key=choice("campaign_power_solve", SOLVE_FOR, SOLVE_FOR[0]), horizontal=True,
        format_func=state.option_labels("campaign.power.solve"),
    )
    relative = row.toggle(t("campaign.power.relative"), key="campaign_power_relative", help=t("campaign.power.relative_help"))
    row = st.container(horizontal=True)
    sd = None
    if metric == "proportion":
        seed("campaign_power_baseline", baseline_rate)
        baseline = row.number_input(
            t("campaign.power.baseline_rate"), min_value=0.01, max_value=99.99, step=0.5, format="%.2f",
            key="campaign_power_baseline", width=INPUT_WIDTH,
        ) / 100
    else:
        seed("campaign_power_mean", baseline_mean)
        seed("campaign_power_sd", baseline_sd)
        baseline = row.number_input(t("campaign.power.baseline_mean"), step=1.0, key="campaign_power_mean",
                                    width=INPUT_WIDTH)
        sd = row.number_input(t("campaign.power.sd"), min_value=0.0001, step=1.0, key="campaign_power_sd",
                              width=INPUT_WIDTH)
    mde = n_control = None
    if solve == "n":
        if relative:
            mde = row.number_input(t("campaign.power.mde_rel"), min_value=0.1, value=10.0, step=1.0,
                                   key="campaign_power_mde_rel", width=INPUT_WIDTH) / 100
        elif metric == "proportion":
            mde = row.number_input(t("campaign.power.mde_pp"), min_value=0.01, value=2.0, step=0.5,
                                   key="campaign_power_mde_pp", width=INPUT_WIDTH) / 100
        else:
            mde = row.number_input(t("campaign.power.mde_abs"), min_value=0.0001, value=1.0, step=0.5,
                                   key="campaign_power_mde_abs", width=INPUT_WIDTH)
    else:
        n_control = int(row.number_input(t("campaign.power.n_control"), min_value=2, value=1000, step=100,
                                         key="campaign_power_n", width=INPUT_WIDTH))
    seed("campaign_power_variants", variants)
    n_variants = int(row.number_input(t("campaign.power.variants"), min_value=1, max_value=20, step=1,
                                      key="campaign_power_variants", width=INPUT_WIDTH))
    power = row.slider(t("campaign.power.power"), min_value=50, max_value=99, value=80, step=1, format="%d%%",
                       key="campaign_power_power", width=INPUT_WIDTH) / 100
    alpha = float(state.remembered("campaign_alpha", 0.05))  # as chosen in the test settings
    try:
        result = power_analysis(
            metric, baseline=baseline, mde=mde, n_control=n_control, sd=sd, relative=relative and mde is not None,
            alpha=alpha, power=power, n_variants=n_variants,
        )
    except PromoCoreError as error:
        show_core_error(error, t("campaign.error.power"))
        return
    findings.power = result
    absolute = points(result.mde_abs) if metric == "proportion" else num(result.mde_abs, 4)
    kpi_row([
        (t("campaign.power.kpi.n_control"), f"{result.n_control:,}"),
        (t("campaign.power.kpi.n_variant"), f"{result.n_variant:,}"),
        (t("campaign.power.kpi.n_total"), f"{result.n_total:,}"),
        (t("campaign.power.kpi.mde_abs"), absolute),
        (t("campaign.power.kpi.mde_rel"), pct(result.mde_rel, 1)),
    ])
    st.caption(t("campaign.power.explain", alpha=f"{alpha:g}", confidence=pct(1 - alpha, 0), power=pct(power, 0)))


def _power_defaults(suite: ABTestSuite | None) -> tuple[float, float, float, int]:
    """Baseline conversion (%), mean and sd of the control, and the number of variants, from the test."""
    rate, mean, sd, variants = 10.0, 50.0, 50.0, 1
    if suite is None:
        return rate, mean, sd, variants
    for result in suite.results:
        variants = max(variants, len(result.variants))
        control = result.groups.set_index("group").loc[result.control]
        if result.kind == "binary" and 0 < control["mean"] < 1:
            rate = round(float(control["mean"]) * 100, 2)
        elif result.kind == "continuous" and control["sd"] > 0:
            mean, sd = round(float(control["mean"]), 2), round(float(control["sd"]), 2)
    return rate, mean, sd, variants
