"""What the page found, and its exports: the decision memo (Markdown or HTML) and the targeted list."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from promo_core.campaign import ABTestSuite, PowerResult, SegmentLiftResult
from promo_core.impact import ImpactResult
from promo_core.memo import LABELS_EN, NOTE_TEXTS_EN, decision_memo
from promo_core.money import NO_CURRENCY, Currency
from promo_core.roi import RoiResult
from promo_core.uplift import UpliftResult
from ui import state
from ui.campaign.format import MONEY_COLUMNS, column_name, pct
from ui.i18n import TEXT
from ui.state import t
from ui.widgets import download_table


@dataclass
class Findings:
    """What the sections computed, collected for the decision memo and the exports."""

    suite: ABTestSuite | None = None
    segments: SegmentLiftResult | None = None
    uplift: UpliftResult | None = None
    roi: RoiResult | None = None
    targeted: pd.DataFrame | None = None
    share: float = 0.0
    impact: ImpactResult | None = None
    power: PowerResult | None = None


def _raw(key: str) -> str:
    """An untouched template of the translation table (memo labels carry their own placeholders)."""
    entry = TEXT[key]
    return entry.get(state.lang()) or entry["en"]


def memo_labels() -> dict[str, str]:
    """The memo's texts in the user's language (templates with the core's placeholders), and the
    outcome columns the app knows in the user's words ("Results: conversion", not "converted")."""
    metrics = {f"metric_{column}": column_name(column, str) for column in ("converted", "revenue")}
    return {name: _raw(f"campaign.memo.{name}") for name in LABELS_EN} | metrics


def memo_note_texts() -> dict[str, str]:
    """The memo's note templates in the user's language, keyed by the core's note codes."""
    return {code: _raw(f"campaign.note.{code}") for code in NOTE_TEXTS_EN}


def build_memo(
    findings: Findings, fmt: str, labels: Mapping[str, str], note_texts: Mapping[str, str],
    currency: Currency = NO_CURRENCY,
) -> str:
    """The decision memo with every result the page computed (pure: it may run outside the script)."""
    return decision_memo(
        findings.suite, segments=findings.segments, uplift=findings.uplift, impact=findings.impact,
        roi=findings.roi, power=findings.power, fmt=fmt, labels=labels, note_texts=note_texts,
        currency=currency, money_metrics=MONEY_COLUMNS,
    )


def targeted_table(targeted: pd.DataFrame) -> pd.DataFrame:
    """The targeted customers with translated headers, ready for the safe CSV export."""
    return pd.DataFrame({
        t("column.customer_id"): targeted["customer_id"].to_numpy(),
        t("campaign.col.uplift"): targeted["uplift"].round(6).to_numpy(),
        t("campaign.col.rank"): targeted["rank"].to_numpy(),
    })


def export_view(findings: Findings) -> None:
    """One click for the memo (Markdown or HTML) and the targeted list (safe CSV)."""
    st.subheader(t("campaign.export"))
    if findings.suite is None:
        st.info(t("campaign.export.none"), icon=":material/info:")
        return
    st.caption(t("campaign.export.help"))
    # Texts are resolved now: the memo itself is built on click, outside this run (no session there).
    labels, note_texts = memo_labels(), memo_note_texts()
    memo, targeted = st.columns(2)
    with memo:
        st.markdown(f"**{t('campaign.export.memo')}**")
        buttons = st.container(horizontal=True)  # side by side while they fit, never cut
        for fmt, extension, mime in (("markdown", "md", "text/markdown"), ("html", "html", "text/html")):
            buttons.download_button(
                t(f"campaign.export.memo_{extension}"), data=_deferred(build_memo, findings, fmt, labels, note_texts, state.currency()),
                file_name=f"campaign_memo.{extension}", mime=mime, key=f"campaign_memo_{extension}",
                on_click="ignore", icon=":material/description:",
            )
    with targeted:
        st.markdown(f"**{t('campaign.export.targeted')}**")
        if findings.targeted is None or findings.targeted.empty:
            st.caption(t("campaign.export.no_targeted"))
        else:
            st.caption(t("campaign.export.targeted_help", n=len(findings.targeted), share=pct(findings.share, 0)))
            download_table(t("campaign.export.targeted_button"), targeted_table(findings.targeted), "targeted_customers",
                           key="campaign_download_targeted")


def _deferred(build: Callable[..., str], *args: object) -> Callable[[], str]:
    """A download's data as a callable, so that the file is built only when the user clicks."""
    return lambda: build(*args)
