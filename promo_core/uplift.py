"""Who to treat: per-customer uplift scores, their held-out evaluation and a "treat the top X%" policy.

Two approaches on scikit-learn classifiers: the two-model T-learner (P(buy | treated, x) minus
P(buy | control, x)) and the class transformation of Jaskowski & Jaroszewicz (2012), with sample
weights so that treated and control weigh the same. Evaluation is cross-fitted: the customers are
split into folds, and each customer's held-out score comes from models that never saw them, so the
whole test (not a 30% slice) measures the ranking; scores for the targeting list average the fold
models. scikit-learn has no uplift metrics, so the Qini curve (Radcliffe 2007), the uplift curve and
its area, and the uplift by decile are computed here, with a permutation baseline: how often
randomly ordered customers give a Qini area as large.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder, StandardScaler
from threadpoolctl import threadpool_limits

from promo_core.campaign.data import choose_control, group_codes, metric_kind, numeric_values, require_columns
from promo_core.campaign.notes import Note, notes_frame
from promo_core.errors import InsufficientDataError, SchemaError
from promo_core.roi import RoiResult, campaign_roi

Method = Literal["t_learner", "class_transformation"]
Learner = Literal["hgb", "logistic"]
METHODS: tuple[Method, ...] = ("t_learner", "class_transformation")
MIN_PER_ARM = 50


@dataclass(frozen=True, eq=False)
class UpliftResult:
    """Scores for every customer, the held-out evaluation, and what targeting would earn."""

    treatment: str
    outcome: str
    features: tuple[str, ...]
    control: str
    treated: tuple[str, ...]
    method: Method
    learner: Learner
    scores: pd.DataFrame  # customer_id, uplift, p_treated, p_control, rank (1 = treat first)
    qini: pd.DataFrame  # share, targeted, qini, random, uplift_curve (held-out)
    deciles: pd.DataFrame  # decile, n_treated, n_control, rates, observed and predicted uplift
    comparison: pd.DataFrame  # per method: qini_area, auuc, qini_random_p, qini_random_z
    qini_area: float
    auuc: float
    qini_random_p: float
    qini_random_z: float
    n_customers: int
    folds: int
    order_value: float | None
    notes: tuple[Note, ...]

    def summary(self) -> pd.DataFrame:
        """The two approaches side by side on held-out customers."""
        return self.comparison.copy()

    def notes_table(self) -> pd.DataFrame:
        return notes_frame(self.notes)

    def targeted_customers(self, top_share: float) -> pd.DataFrame:
        """The ``top_share`` of customers with the highest uplift: customer_id, uplift, rank."""
        _check_share(top_share)
        count = int(round(top_share * len(self.scores)))
        return self.scores.nsmallest(count, "rank")[["customer_id", "uplift", "rank"]].reset_index(drop=True)

    def policy(
        self,
        top_share: float,
        order_value: float | None = None,
        *,
        discount_rate: float = 0.0,
        coupon_value: float = 0.0,
        contact_cost: float = 0.0,
        margin: float = 1.0,
    ) -> RoiResult:
        """Treat the top ``top_share``: the incremental conversion rate measured on held-out scores in
        that slice, times the customers targeted; redemptions predicted by the treated model."""
        _check_share(top_share)
        value = order_value if order_value is not None else self.order_value
        if value is None:
            raise SchemaError(
                "An average order value is needed for revenue and ROI: give order_value or fit with a revenue column.",
                code="order_value_missing",
            )
        chosen = self.scores.nsmallest(int(round(top_share * len(self.scores))), "rank")
        n = len(chosen)
        row = self.qini.iloc[int(np.argmin(np.abs(self.qini["share"].to_numpy() - top_share)))]
        rate = row["uplift_rate"] if row["targeted"] > 0 else 0.0
        return campaign_roi(
            n, rate * n, float(chosen["p_treated"].sum()), value, discount_rate=discount_rate,
            coupon_value=coupon_value, contact_cost=contact_cost, margin=margin,
        )


def fit_uplift(
    frame: pd.DataFrame,
    treatment: str,
    outcome: str,
    features: Sequence[str],
    *,
    control: str | None = None,
    treated: str | Sequence[str] | None = None,
    customer_id: str = "customer_id",
    revenue: str | None = None,
    method: Method = "t_learner",
    learner: Learner = "logistic",
    folds: int = 5,
    seed: int = 0,
    n_permutations: int = 100,
) -> UpliftResult:
    """Cross-fit both approaches, evaluate them on held-out scores, score every customer with
    ``method``. ``treated`` defaults to every non-control arm (pooled).

    Native thread pools are held to one thread while fitting: many small fits on a shared server
    (several sessions, two cores) ran up to ten times slower with OpenMP/BLAS threads competing.
    """
    features = tuple(features)
    require_columns(frame, treatment, outcome, customer_id, *features, *([revenue] if revenue else []))
    _check_options(method, learner, folds, features)
    rows, t, y, control, treated_arms, notes = _customers(frame, treatment, outcome, control, treated)
    with threadpool_limits(limits=1):
        x = make_encoder(frame, features, learner).fit_transform(frame[list(features)])
        classifier = make_classifier(learner, seed, len(categorical_columns(frame, features)))
        held_out, fold_models = _cross_fit(classifier, x[rows], t, y, folds, seed)
        scores = _score_all(frame, customer_id, x, fold_models, method)
    evaluations = {m: _evaluate(held_out[m], t, y, n_permutations, seed) for m in METHODS}
    chosen = evaluations[method]
    return UpliftResult(
        treatment=treatment, outcome=outcome, features=features, control=control, treated=treated_arms, method=method,
        learner=learner, scores=scores, qini=chosen["curve"], deciles=chosen["deciles"],
        comparison=_comparison(evaluations), qini_area=chosen["qini_area"], auuc=chosen["auuc"],
        qini_random_p=chosen["random_p"], qini_random_z=chosen["random_z"], n_customers=len(rows), folds=folds,
        order_value=_order_value(frame, revenue, rows, t, y), notes=(*notes, *_size_notes(chosen["deciles"])),
    )


SIZE_TOLERANCE = 0.5
"""How far (as a share of the observed uplift, at least one percentage point) the top decile's
predicted uplift may sit from what the held-out customers showed before the page says so."""


def _size_notes(deciles: pd.DataFrame) -> list[Note]:
    """A model can rank customers well and still get the size of their uplift wrong (T-learners on
    rare conversions often overstate it); a marketer reading the deciles chart should know which."""
    top = deciles.loc[deciles["decile"] == 1]
    if top.empty or not np.isfinite(top["observed_uplift"].iloc[0]):
        return []
    predicted, observed = float(top["predicted_uplift"].iloc[0]), float(top["observed_uplift"].iloc[0])
    if abs(predicted - observed) <= max(SIZE_TOLERANCE * abs(observed), 0.01):
        return []
    return [Note("uplift_size_off", "info", {"predicted_pp": 100 * predicted, "observed_pp": 100 * observed})]


def _customers(frame: pd.DataFrame, treatment: str, outcome: str, control: str | None, treated):
    """Positions of the customers in the compared arms with an outcome, their treatment flag and
    outcome, the control and treated arm names, and notes."""
    codes, groups = group_codes(frame, treatment)
    control = choose_control(groups, control, treatment)
    treated_arms = _treated_arms(groups, control, treated, treatment)
    notes = [Note("variants_pooled", "info", {"variants": ", ".join(treated_arms)})] if len(treated_arms) > 1 else []
    arm = np.where(codes >= 0, np.array(groups, dtype=object)[np.maximum(codes, 0)], None)
    y = numeric_values(frame, outcome, "metric")
    metric_kind(frame, outcome, y, "binary")
    in_test = np.isin(arm, [control, *treated_arms])
    missing = int(np.isnan(y[in_test]).sum())
    if missing:
        notes.append(Note("missing_outcome_dropped", "warning", {"column": outcome, "rows": missing}))
    rows = np.flatnonzero(in_test & ~np.isnan(y))
    t = (arm[rows] != control).astype(int)
    _check_sizes(t, y[rows], treatment)
    return rows, t, y[rows], control, treated_arms, notes


def _treated_arms(groups: list[str], control: str, treated: str | Sequence[str] | None, column: str) -> tuple[str, ...]:
    if treated is None:
        return tuple(g for g in groups if g != control)
    wanted = (treated,) if isinstance(treated, str) else tuple(treated)
    unknown = [g for g in wanted if g not in groups or g == control]
    if unknown or not wanted:
        raise SchemaError(
            f"Treated group(s) {', '.join(unknown) or '-'} are not variants in column '{column}' "
            f"(groups: {', '.join(groups)}; control: {control}).",
            code="treated_not_found",
            column=column,
            treated=", ".join(unknown),
            groups=", ".join(groups),
        )
    return wanted


def _check_sizes(t: np.ndarray, y: np.ndarray, column: str) -> None:
    for flag, label in ((1, "treated"), (0, "control")):
        arm = y[t == flag]
        events = int(arm.sum())
        if len(arm) < MIN_PER_ARM or events < 5 or len(arm) - events < 5:
            raise InsufficientDataError(
                f"The {label} customers in column '{column}' are too few to learn uplift ({len(arm)} customers, "
                f"{events} conversions; at least {MIN_PER_ARM} customers and 5 conversions and non-conversions).",
                code="uplift_too_few",
                arm=label,
                n=len(arm),
                conversions=events,
                minimum=MIN_PER_ARM,
            )


def _check_options(method: str, learner: str, folds: int, features: tuple[str, ...]) -> None:
    if method not in METHODS or learner not in ("hgb", "logistic") or not 2 <= folds <= 20 or not features:
        raise SchemaError(
            f"Uplift options: method must be one of {', '.join(METHODS)} (got {method!r}), learner 'hgb' or "
            f"'logistic' (got {learner!r}), folds within 2-20 (got {folds!r}), and at least one feature.",
            code="uplift_options",
            method=str(method), learner=str(learner), folds=folds,
        )


def _check_share(top_share: float) -> None:
    if not 0 < top_share <= 1:
        raise SchemaError(f"The share to target must lie in (0, 1], not {top_share!r}.", code="share_invalid",
                          share=top_share)


def make_encoder(x: pd.DataFrame, features: tuple[str, ...], learner: Learner) -> ColumnTransformer:
    """Categoricals first (one-hot for the logistic model, codes for gradient boosting, which splits
    on categories natively and so needs far fewer columns), then numbers (imputed, scaled for the
    logistic model). The encoding uses no outcome, so it is fitted once on every customer."""
    categorical = categorical_columns(x, features)
    numeric = [f for f in features if f not in categorical]
    fill = SimpleImputer(strategy="constant", fill_value="(missing)")
    if learner == "logistic":
        codes = OneHotEncoder(handle_unknown="infrequent_if_exist", min_frequency=20, sparse_output=False)
        numbers = make_pipeline(SimpleImputer(strategy="median"), StandardScaler())
    else:
        codes = OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=np.nan, min_frequency=20,
                               max_categories=250)
        numbers = SimpleImputer(strategy="median")
    return ColumnTransformer([("cat", make_pipeline(fill, codes), categorical), ("num", numbers, numeric)])


def make_classifier(learner: Learner, seed: int, n_categorical: int = 0):
    """A logistic regression, or gradient boosting regularised for a few thousand customers per arm
    (its first ``n_categorical`` columns are category codes)."""
    if learner == "logistic":
        return LogisticRegression(C=1.0, max_iter=1000)
    return HistGradientBoostingClassifier(
        max_iter=100, learning_rate=0.08, max_leaf_nodes=15, min_samples_leaf=100, l2_regularization=1.0,
        categorical_features=list(range(n_categorical)) or None, early_stopping=False, random_state=seed,
    )


def categorical_columns(x: pd.DataFrame, features: tuple[str, ...]) -> list[str]:
    """Features that are encoded as categories: text, categorical and boolean columns."""
    return [f for f in features
            if not pd.api.types.is_numeric_dtype(x[f].dtype) or pd.api.types.is_bool_dtype(x[f].dtype)]


def _cross_fit(base, x: np.ndarray, t: np.ndarray, y: np.ndarray, folds: int, seed: int):
    """Held-out uplift per method for every customer, and the fitted models of every fold."""
    held_out = {m: np.empty(len(t)) for m in METHODS}
    fitted = []
    splitter = StratifiedKFold(folds, shuffle=True, random_state=seed)
    for train, test in splitter.split(x, t * 2 + y.astype(int)):
        models = _fit(base, x[train], t[train], y[train])
        for m in METHODS:
            held_out[m][test] = _uplift(models, x[test], m)[0]
        fitted.append(models)
    return held_out, fitted


def _fit(base, x: np.ndarray, t: np.ndarray, y: np.ndarray) -> dict:
    """Treated and control outcome models (T-learner) and the transformed-class model."""
    z = (y == t).astype(int)  # 1 for treated buyers and for control non-buyers
    weight = np.where(t == 1, 0.5 / t.mean(), 0.5 / (1 - t.mean()))
    return {
        "treated": clone(base).fit(x[t == 1], y[t == 1]),
        "control": clone(base).fit(x[t == 0], y[t == 0]),
        "transformed": clone(base).fit(x, z, sample_weight=weight),
    }


def _uplift(models: dict, x: np.ndarray, method: Method) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    p_t = models["treated"].predict_proba(x)[:, 1]
    p_c = models["control"].predict_proba(x)[:, 1]
    if method == "class_transformation":
        return 2 * models["transformed"].predict_proba(x)[:, 1] - 1, p_t, p_c
    return p_t - p_c, p_t, p_c


def _evaluate(score: np.ndarray, t: np.ndarray, y: np.ndarray, n_permutations: int, seed: int) -> dict:
    curve = qini_curve(score, t, y)
    area = qini_area(curve)
    rng = np.random.default_rng(seed)
    random_areas = np.array([
        qini_area(_curve(t[order], y[order], 101)) for order in (rng.permutation(len(t)) for _ in range(n_permutations))
    ])
    return {
        "curve": curve, "qini_area": area, "auuc": float(np.trapezoid(curve["uplift_curve"], curve["share"])),
        "random_p": float((1 + (random_areas >= area).sum()) / (1 + n_permutations)),
        "random_z": float((area - random_areas.mean()) / random_areas.std(ddof=1)) if n_permutations > 1 else float("nan"),
        "deciles": uplift_deciles(score, t, y),
    }


def qini_curve(score: np.ndarray, t: np.ndarray, y: np.ndarray, points: int = 101) -> pd.DataFrame:
    """Incremental conversions when treating the top share by score (Qini), with the random line.

    ``qini`` = treated buyers - control buyers x (treated / control targeted);
    ``uplift_curve`` = (treated rate - control rate) x targeted; ``uplift_rate`` = that rate difference.
    """
    order = np.argsort(-score, kind="stable")
    return _curve(t[order], y[order], points)


def _curve(t_sorted: np.ndarray, y_sorted: np.ndarray, points: int) -> pd.DataFrame:
    n_t = np.concatenate([[0], np.cumsum(t_sorted)])
    n_c = np.arange(len(t_sorted) + 1) - n_t
    y_t = np.concatenate([[0], np.cumsum(y_sorted * t_sorted)])
    y_c = np.concatenate([[0], np.cumsum(y_sorted * (1 - t_sorted))])
    with np.errstate(invalid="ignore", divide="ignore"):
        qini = np.where(n_c > 0, y_t - y_c * n_t / n_c, 0.0)
        rate = np.where((n_t > 0) & (n_c > 0), y_t / n_t - y_c / n_c, 0.0)
    keep = np.unique(np.round(np.linspace(0, len(t_sorted), points)).astype(int))
    share = keep / len(t_sorted)
    return pd.DataFrame({
        "share": share, "targeted": keep, "qini": qini[keep], "random": share * qini[-1],
        "uplift_rate": rate[keep], "uplift_curve": rate[keep] * keep,
    })


def qini_area(curve: pd.DataFrame) -> float:
    """Area between the Qini curve and the random line, over the share targeted (in conversions)."""
    return float(np.trapezoid(curve["qini"] - curve["random"], curve["share"]))


def uplift_deciles(score: np.ndarray, t: np.ndarray, y: np.ndarray) -> pd.DataFrame:
    """Observed and predicted uplift per score decile (1 = highest predicted uplift)."""
    rank = np.argsort(np.argsort(-score, kind="stable"), kind="stable")
    decile = rank * 10 // len(score) + 1
    frame = pd.DataFrame({"decile": decile, "t": t, "y": y, "score": score})
    rows = []
    for d, part in frame.groupby("decile"):
        treated, control = part[part["t"] == 1], part[part["t"] == 0]
        rate_t = treated["y"].mean() if len(treated) else np.nan
        rate_c = control["y"].mean() if len(control) else np.nan
        rows.append({"decile": int(d), "n_treated": len(treated), "n_control": len(control), "rate_treated": rate_t,
                     "rate_control": rate_c, "observed_uplift": rate_t - rate_c, "predicted_uplift": part["score"].mean()})
    return pd.DataFrame(rows)


def _score_all(frame: pd.DataFrame, customer_id: str, x: np.ndarray, fold_models: list[dict], method: Method) -> pd.DataFrame:
    """Every customer in the frame, scored by the average of the fold models."""
    uplift, p_t, p_c = np.mean([_uplift(models, x, method) for models in fold_models], axis=0)
    scores = pd.DataFrame({"customer_id": frame[customer_id].astype("str").to_numpy(), "uplift": uplift,
                           "p_treated": p_t, "p_control": p_c})
    scores["rank"] = scores["uplift"].rank(ascending=False, method="first").astype(int)
    return scores


def _comparison(evaluations: dict[str, dict]) -> pd.DataFrame:
    return pd.DataFrame([
        {"method": m, "qini_area": e["qini_area"], "auuc": e["auuc"], "qini_random_p": e["random_p"],
         "qini_random_z": e["random_z"]}
        for m, e in evaluations.items()
    ])


def _order_value(frame: pd.DataFrame, revenue: str | None, rows: np.ndarray, t: np.ndarray, y: np.ndarray) -> float | None:
    """Average revenue of a treated conversion (what one more buyer brings)."""
    if revenue is None:
        return None
    values = numeric_values(frame, revenue, "metric")[rows]
    buyers = (t == 1) & (y == 1) & ~np.isnan(values)
    return float(values[buyers].mean()) if buyers.any() else None
