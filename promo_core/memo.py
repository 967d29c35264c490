"""The decision memo: every number, check and assumption behind a campaign decision, as Markdown or HTML.

The memo is built as a list of blocks (headings, paragraphs, lists, tables) of plain text and only
then rendered, so escaping happens in one place: every string, including group and segment names
from uploads, is HTML-escaped for HTML and backslash-escaped for Markdown. Texts come from
``labels`` and ``note_texts`` (English defaults here; the UI passes its translations).
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Collection, Mapping, Sequence
from typing import Literal

from promo_core.campaign.abtest import ABTestResult, ABTestSuite
from promo_core.campaign.notes import Note
from promo_core.campaign.power import PowerResult
from promo_core.campaign.segments import SegmentLiftResult
from promo_core.impact import ImpactResult
from promo_core.money import NO_CURRENCY, Currency
from promo_core.roi import RoiResult
from promo_core.uplift import UpliftResult

Block = tuple
LABELS_EN: dict[str, str] = {
    "title": "Campaign decision memo",
    "checks": "Checks",
    "srm_ok": "Sample ratio: the split matches the plan (chi-square {chi2:.2f}, p = {p_value:.3g}).",
    "srm_bad": "SAMPLE RATIO MISMATCH: the split does not match the plan (chi-square {chi2:.2f}, p = {p_value:.3g}). Do not trust the lifts until the cause is found.",
    "arms": "Arms",
    "group": "Group", "assigned": "Assigned", "analysed": "Analysed", "planned_share": "Planned share", "mean": "Mean",
    "results": "Results: {metric}",
    "variant": "Variant", "control_mean": "Control mean", "abs_lift": "Absolute lift", "rel_lift": "Relative lift",
    "p_value": "p-value", "p_adjusted": "Adjusted p ({correction})", "prob_beat": "Chance to beat control",
    "mde": "Detectable lift (80% power)",
    "cuped": "CUPED on '{covariate}': theta = {theta:.4g}, variance reduced by {reduction:.1%}.",
    "decision": "Decision",
    "decision_ship": "{variant}: ship — the lift on {metric} is positive and significant after adjustment.",
    "decision_stop": "{variant}: do not ship — {metric} is significantly worse than control.",
    "decision_unclear": "{variant}: inconclusive on {metric} — the interval includes no effect.",
    "decision_likely_up": "{variant}: likely better on {metric} ({chance:.0%} chance to beat control) but not proven — a longer or larger test would settle it.",
    "decision_likely_down": "{variant}: likely worse on {metric} ({chance:.0%} chance to beat control) but not proven.",
    "decision_invalid": "{variant}: no decision — the sample-ratio check failed.",
    "segments": "Lift by {segment}",
    "segment": "Segment",
    "heterogeneity": "{variant}: Cochran's Q = {q:.2f} on {df} df, p = {p_value:.3g}, I² = {i2:.0%} — {verdict}.",
    "differs": "the effect differs between segments", "same": "no evidence that the effect differs",
    "uplift": "Uplift targeting",
    "uplift_line": "{method} ({learner}) on {n} customers, {folds}-fold cross-fitted: Qini area {qini:.2f} (random orderings: p = {p:.3g}, z = {z:.1f}).",
    "impact": "Effect without a control group",
    "impact_line": "From {date}: {days} days, average {actual} vs {predicted} expected; effect {effect} per day ({low} to {high}), cumulative {cum} ({cum_low} to {cum_high}), relative {rel:.1%}. Placebo dates with an effect as large: {placebo:.0%}.",
    "impact_positive": "The campaign raised the series.", "impact_negative": "The campaign lowered the series.",
    "impact_unclear": "No clear effect.",
    "roi": "Return on investment",
    "range": "{low} to {high}",
    "roi_line": "Treating {n:,.0f} customers: {inc} incremental conversions, incremental revenue {revenue}, costs {cost} (discount {discount}, coupons {coupons}, contact {contact}), incremental profit {profit}, ROI {roi:.1%}. Break-even discount: {break_even:.1%}.",
    "power": "Power",
    "power_line": "To detect {mde:.4g} ({mde_rel:.1%}) on a baseline of {baseline:.4g} at alpha {alpha} with {power:.0%} power: {n_control:,} control and {n_variant:,} per variant ({n_total:,} in all).",
    "notes": "Notes",
    "assumptions": "Assumptions",
    "assume_random": "Customers were assigned to groups at random and independently of each other; each customer is counted once.",
    "assume_tests": "Conversions: pooled two-proportion z-test and Newcombe interval; amounts: Welch's t-test. Relative lifts: MOVER-R interval on the same limits (Fieller's for amounts), so it excludes no effect exactly when the absolute one does. Confidence {confidence:.0%} per comparison (intervals are not adjusted); p-values adjusted by {correction} across {scope}.",
    "assume_bayes": "Chance to beat control: flat Beta(1, 1) priors for conversions, normal approximation for amounts.",
    "assume_cuped": "CUPED: the covariate was measured before the test, so the campaign cannot have changed it.",
    "assume_impact": "Without a control group: the control series were not affected by the campaign and their relation to the target series is stable; model parameters are treated as known.",
    "assume_roi": "ROI: the discount is paid on every redeemed coupon, including by customers who would have bought anyway; the break-even discount holds the measured lift fixed.",
    "scope_joint": "variants and metrics", "scope_variants": "variants",
    "correction_holm": "Holm", "correction_bh": "Benjamini-Hochberg", "correction_none": "no correction",
    "method_t_learner": "T-learner", "method_class_transformation": "class transformation",
    "learner_logistic": "logistic regression", "learner_hgb": "gradient boosting",
}
NOTE_TEXTS_EN: dict[str, str] = {
    "srm": "Sample ratio mismatch in '{column}': chi-square {chi2:.2f}, p = {p_value:.3g} (threshold {threshold}).",
    "missing_outcome_dropped": "{rows:,} rows without a value in '{column}' were left out.",
    "missing_group_dropped": "{rows:,} rows without a group in '{column}' were left out.",
    "missing_segment_dropped": "{rows:,} rows without a segment in '{column}' were left out.",
    "covariate_missing_filled": "{rows} missing values of covariate '{column}' were replaced by its mean.",
    "uplift_size_off": "In the top 10% of scores the model predicts an uplift of {predicted_pp:+.1f} pp and the held-out customers showed {observed_pp:+.1f} pp: the scores rank customers; they do not forecast the size of the effect.",
    "duplicate_customers": "{customers} customers appear on more than one row ({rows} rows), {in_several_groups} of them in more than one group; every row counts as a customer.",
    "covariate_constant": "Covariate '{column}' does not vary, so CUPED was not applied.",
    "cuped_applied": "CUPED on '{column}': theta {theta:.4g}, variance reduced by {variance_reduction:.1%}.",
    "small_sample": "Group '{group}' has only {n} customers (at least {minimum} recommended).",
    "few_conversions": "Group '{group}' has only {conversions} conversions or non-conversions (at least {minimum} recommended); intervals are approximate.",
    "zero_conversions": "Group '{group}' has no conversions among {n} customers.",
    "control_mean_zero": "The control group '{group}' has a mean of zero, so relative lifts are undefined.",
    "segment_skipped": "Segment '{segment}' was skipped for '{variant}' ({n} vs {control_n} customers).",
    "variants_pooled": "Variants {variants} were pooled as 'treated'.",
    "seasonality_dropped": "The pre-period has {days} days, fewer than the {minimum} needed for a {period}-day seasonality, so none was modelled.",
    "placebo_skipped": "The pre-period ({days} days) is too short for a placebo check.",
    "days_missing": "{days} days without a value were treated as missing.",
    "control_gaps_filled": "{values} missing control values were interpolated.",
}


def decision_memo(
    ab: ABTestResult | ABTestSuite,
    *,
    segments: SegmentLiftResult | None = None,
    uplift: UpliftResult | None = None,
    impact: ImpactResult | None = None,
    roi: RoiResult | None = None,
    power: PowerResult | None = None,
    fmt: Literal["markdown", "html"] = "markdown",
    labels: Mapping[str, str] | None = None,
    note_texts: Mapping[str, str] | None = None,
    currency: Currency = NO_CURRENCY,
    money_metrics: Collection[str] = ("revenue",),
) -> str:
    """The memo as Markdown or a self-contained HTML document.

    ``labels`` overrides the English texts (keys of ``LABELS_EN``) and may name codes in the reader's
    words: ``metric_<column>`` for an outcome column, ``correction_<code>`` and ``method_<code>``.
    Amounts (the return on investment, sales without a control group, and outcomes named in
    ``money_metrics``) are written in ``currency``.
    """
    text = {**LABELS_EN, **(labels or {})}
    notes_text = {**NOTE_TEXTS_EN, **(note_texts or {})}
    results = ab.results if isinstance(ab, ABTestSuite) else (ab,)
    blocks: list[Block] = [("h1", text["title"]), *_checks(results[0], text)]
    for result in results:
        blocks += _results(result, text, currency if result.metric in money_metrics else None)
    blocks += _decisions(results, text)
    blocks += _segments(segments, text) + _uplift(uplift, text) + _impact(impact, text, currency)
    blocks += _roi(roi, text, currency) + _power(power, text)
    notes = _unique_notes([n for r in results for n in r.notes] + [
        n for part in (segments, uplift, impact) if part is not None for n in part.notes], skip={"cuped_applied"})
    if notes:
        blocks += [("h2", text["notes"]), ("ul", [_note_text(n, notes_text) for n in notes])]
    blocks += _assumptions(results, isinstance(ab, ABTestSuite), impact, roi, text)
    return render_html(blocks, text["title"]) if fmt == "html" else render_markdown(blocks)


def _checks(result: ABTestResult, text: Mapping[str, str]) -> list[Block]:
    srm = result.srm
    line = text["srm_bad" if srm.mismatch else "srm_ok"].format(chi2=srm.chi2, p_value=srm.p_value)
    groups = result.groups
    rows = [[g, f"{a:,}", f"{n:,}", _pct(s), _num(m)] for g, a, n, s, m in
            zip(groups["group"], groups["assigned"], groups["n"], groups["planned_share"], groups["mean"])]
    return [("h2", text["checks"]), ("p", line), ("h3", text["arms"]),
            ("table", [text["group"], text["assigned"], text["analysed"], text["planned_share"], text["mean"]], rows)]


def _results(result: ABTestResult, text: Mapping[str, str], currency: Currency | None) -> list[Block]:
    """The lift table of one outcome: rates in %, amounts in ``currency`` when it is money, else as numbers."""
    t = result.table
    fmt = _pct if result.kind == "binary" else (currency.format if currency is not None else _num)
    header = [text["variant"], text["mean"], text["control_mean"], text["abs_lift"], text["rel_lift"], text["p_value"],
              text["p_adjusted"].format(correction=_term(text, "correction", result.correction)), text["prob_beat"], text["mde"]]
    rows = [[r.variant, fmt(r.mean), fmt(r.control_mean),
             f"{fmt(r.abs_lift)} [{fmt(r.abs_lift_low)}, {fmt(r.abs_lift_high)}]",
             f"{_pct(r.rel_lift)} [{_pct(r.rel_lift_low)}, {_pct(r.rel_lift_high)}]",
             _p(r.p_value), _p(r.p_adjusted), _pct(r.prob_beat_control), fmt(r.mde)] for r in t.itertuples()]
    blocks: list[Block] = [("h2", text["results"].format(metric=_term(text, "metric", result.metric))), ("table", header, rows)]
    if result.theta is not None:
        blocks.append(("p", text["cuped"].format(covariate=result.covariate, theta=result.theta,
                                                 reduction=result.variance_reduction)))
    return blocks


_DECISIONS = {"up": "decision_ship", "down": "decision_stop", "likely_up": "decision_likely_up",
              "likely_down": "decision_likely_down", "none": "decision_unclear", "invalid": "decision_invalid"}
"""The memo's sentence for each of the result's verdicts (the page's plain lines read the same way)."""


def _decisions(results: Sequence[ABTestResult], text: Mapping[str, str]) -> list[Block]:
    lines = []
    for result in results:
        for r, verdict in zip(result.table.itertuples(), result.verdicts):
            key = _DECISIONS[verdict]
            lines.append(text[key].format(variant=r.variant, metric=_term(text, "metric", result.metric),
                                          chance=r.prob_beat_control))
    return [("h2", text["decision"]), ("ul", lines)]


def _segments(result: SegmentLiftResult | None, text: Mapping[str, str]) -> list[Block]:
    if result is None:
        return []
    fmt = _pct if result.kind == "binary" else _num
    header = [text["segment"], text["variant"], text["mean"], text["control_mean"], text["abs_lift"],
              text["p_adjusted"].format(correction=_term(text, "correction", result.correction))]
    rows = [[r.segment, r.variant, fmt(r.mean), fmt(r.control_mean),
             f"{fmt(r.abs_lift)} [{fmt(r.abs_lift_low)}, {fmt(r.abs_lift_high)}]", _p(r.p_adjusted)]
            for r in result.table.itertuples()]
    lines = [text["heterogeneity"].format(variant=h.variant, q=h.q, df=h.df, p_value=h.p_value, i2=h.i2,
                                          verdict=text["differs" if h.differs else "same"])
             for h in result.heterogeneity.itertuples() if not math.isnan(h.q)]
    return [("h2", text["segments"].format(segment=result.segment)), ("table", header, rows), ("ul", lines)]


def _uplift(result: UpliftResult | None, text: Mapping[str, str]) -> list[Block]:
    if result is None:
        return []
    line = text["uplift_line"].format(
        method=_term(text, "method", result.method),
        learner=_term(text, "learner", result.learner),
        n=result.n_customers,
        folds=result.folds,
        qini=result.qini_area,
        p=result.qini_random_p,
        z=result.qini_random_z,
    )
    return [("h2", text["uplift"]), ("p", line)]


def _impact(result: ImpactResult | None, text: Mapping[str, str], currency: Currency) -> list[Block]:
    if result is None:
        return []
    d = result.summary_details
    amounts = {name: currency.format(d[key]) for name, key in (
        ("actual", "average_actual"), ("predicted", "average_predicted"), ("effect", "average_effect"),
        ("low", "average_low"), ("high", "average_high"), ("cum", "cumulative_effect"), ("cum_low", "cumulative_low"),
        ("cum_high", "cumulative_high"))}
    line = text["impact_line"].format(
        date=result.intervention_date.date(), days=d["days"], **amounts, rel=d["relative_effect"], placebo=d["placebo_share"] if not math.isnan(d["placebo_share"]) else 0.0,
    )
    return [("h2", text["impact"]), ("p", text[result.summary_code]), ("p", line)]


def _roi(result: RoiResult | None, text: Mapping[str, str], currency: Currency) -> list[Block]:
    if result is None:
        return []
    inc = f"{result.incremental_conversions:.1f}"
    if not math.isnan(result.incremental_conversions_low):
        interval = text["range"].format(low=f"{result.incremental_conversions_low:.1f}",
                                        high=f"{result.incremental_conversions_high:.1f}")
        inc += f" ({interval})"
    line = text["roi_line"].format(
        n=result.n_targeted, inc=inc, revenue=currency.format(result.incremental_revenue),
        cost=currency.format(result.total_cost), discount=currency.format(result.discount_cost),
        coupons=currency.format(result.coupon_cost), contact=currency.format(result.contact_cost),
        profit=currency.format(result.incremental_profit), roi=result.roi, break_even=result.break_even_discount,
    )
    return [("h2", text["roi"]), ("p", line)]


def _power(result: PowerResult | None, text: Mapping[str, str]) -> list[Block]:
    if result is None:
        return []
    line = text["power_line"].format(mde=result.mde_abs, mde_rel=result.mde_rel, baseline=result.baseline,
                                     alpha=result.alpha, power=result.power, n_control=result.n_control,
                                     n_variant=result.n_variant, n_total=result.n_total)
    return [("h2", text["power"]), ("p", line)]


def _assumptions(results, joint: bool, impact, roi, text: Mapping[str, str]) -> list[Block]:
    first = results[0]
    scope = text["scope_joint"] if joint else text["scope_variants"]
    correction = _term(text, "correction", first.correction)
    lines = [text["assume_random"],
             text["assume_tests"].format(confidence=1 - first.alpha, correction=correction, scope=scope),
             text["assume_bayes"]]
    if any(r.theta is not None for r in results):
        lines.append(text["assume_cuped"])
    if impact is not None:
        lines.append(text["assume_impact"])
    if roi is not None:
        lines.append(text["assume_roi"])
    return [("h2", text["assumptions"]), ("ul", lines)]


def _term(text: Mapping[str, str], kind: str, code: str) -> str:
    """A method or correction code in the memo's language (the code itself when unknown)."""
    return text.get(f"{kind}_{code}", code)


def _unique_notes(notes: list[Note], skip: set[str]) -> list[Note]:
    """Each note once, leaving out those the memo already states in its own words."""
    seen, unique = set(), []
    for note in notes:
        if note.code in skip:
            continue
        key = (note.code, tuple(sorted((k, str(v)) for k, v in note.details.items())))
        if key not in seen:
            seen.add(key)
            unique.append(note)
    return unique


def _note_text(note: Note, texts: Mapping[str, str]) -> str:
    template = texts.get(note.code)
    if template is None:
        return f"{note.code}: " + ", ".join(f"{k}={v}" for k, v in note.details.items())
    return template.format(**note.details)


def _pct(value: float) -> str:
    return "–" if value is None or math.isnan(value) else f"{value:.2%}"


def _num(value: float) -> str:
    return "–" if value is None or math.isnan(value) else f"{value:,.4g}"


def _p(value: float) -> str:
    return "–" if math.isnan(value) else ("< 0.0001" if value < 1e-4 else f"{value:.4f}")


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~&])")


def escape_markdown(value: object, line_start: bool = True) -> str:
    """Backslash-escape Markdown and inline-HTML syntax; at a line start, also what would begin a
    list or a heading underline (table cells cannot)."""
    escaped = _MD_SPECIAL.sub(r"\\\1", str(value)).replace("\n", " ").replace("\r", " ")
    if not line_start:
        return escaped
    if re.match(r"\s*[-=]", escaped):
        return "\\" + escaped.lstrip()
    return re.sub(r"^(\s*\d+)\.", r"\1\\.", escaped)


def render_markdown(blocks: Sequence[Block]) -> str:
    out = []
    for block in blocks:
        kind = block[0]
        if kind in ("h1", "h2", "h3"):
            out.append("#" * int(kind[1]) + " " + escape_markdown(block[1]))
        elif kind == "p":
            out.append(escape_markdown(block[1]))
        elif kind == "ul":
            out.append("\n".join("- " + escape_markdown(item) for item in block[1]))
        elif kind == "table":
            header, rows = block[1], block[2]
            lines = ["| " + " | ".join(escape_markdown(h, False) for h in header) + " |", "|" + "---|" * len(header)]
            lines += ["| " + " | ".join(escape_markdown(c, False) for c in row) + " |" for row in rows]
            out.append("\n".join(lines))
    return "\n\n".join(out) + "\n"


def render_html(blocks: Sequence[Block], title: str) -> str:
    e = html.escape
    body = []
    for block in blocks:
        kind = block[0]
        if kind in ("h1", "h2", "h3", "p"):
            body.append(f"<{kind}>{e(str(block[1]))}</{kind}>")
        elif kind == "ul":
            body.append("<ul>" + "".join(f"<li>{e(str(item))}</li>" for item in block[1]) + "</ul>")
        elif kind == "table":
            head = "".join(f"<th>{e(str(h))}</th>" for h in block[1])
            rows = "".join("<tr>" + "".join(f"<td>{e(str(c))}</td>" for c in row) + "</tr>" for row in block[2])
            body.append(f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>")
    style = ("body{font-family:sans-serif;max-width:60em;margin:2em auto;line-height:1.4}"
             "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3em .6em;text-align:left}")
    return (f'<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>{e(title)}</title><style>{style}</style>'
            f"</head><body>\n" + "\n".join(body) + "\n</body></html>\n")
