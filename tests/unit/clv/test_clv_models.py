"""(M)BG/NBD and Gamma-Gamma: recovery of known parameters from simulated customers, gradients, model sanity."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import approx_fprime

from promo_core import InsufficientDataError, SchemaError
from promo_core.clv import (
    BGNBDResult,
    GammaGammaResult,
    _bgnbd_loglik,
    _gamma_gamma_loglik,
    fit_bgnbd,
    fit_gamma_gamma,
    fit_mbgnbd,
)

TRUE_BGNBD = (0.8, 10.0, 1.5, 4.0)  # r, alpha, a, b (weeks)
TRUE_SPEND = (6.0, 4.0, 15.0)  # p, q, v


def simulate_bgnbd(n: int, seed: int = 0, modified: bool = False) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Customers as the model describes them: Poisson purchases, dropout with probability p after each repeat
    (and, ``modified`` as in MBG/NBD, after the first purchase too)."""
    rng = np.random.default_rng(seed)
    r, alpha, a, b = TRUE_BGNBD
    rate, dropout = rng.gamma(r, 1 / alpha, n), rng.beta(a, b, n)
    end = rng.uniform(30, 52, n)
    clock, x, t_x = np.zeros(n), np.zeros(n), np.zeros(n)
    active = rng.random(n) >= dropout if modified else np.ones(n, dtype=bool)
    while active.any():
        who = np.flatnonzero(active)
        when = clock[who] + rng.exponential(1 / rate[who])
        inside = when <= end[who]
        active[who[~inside]] = False
        buyers = who[inside]
        x[buyers] += 1
        t_x[buyers] = clock[buyers] = when[inside]
        active[buyers[rng.random(len(buyers)) < dropout[buyers]]] = False
    return x, t_x, end


def simulate_spend(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    p, q, v = TRUE_SPEND
    nu = rng.gamma(q, 1 / v, n)
    x = 1 + rng.poisson(3, n)
    return x, rng.gamma(p * x, 1 / nu) / x  # the mean of x Gamma(p, nu) spends


@pytest.fixture(scope="module")
def simulated() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return simulate_bgnbd(50_000)


def test_bgnbd_recovers_known_parameters(simulated: tuple[np.ndarray, np.ndarray, np.ndarray]) -> None:
    fit = fit_bgnbd(*simulated)
    r, alpha, a, b = TRUE_BGNBD
    assert fit.converged and fit.n_customers == 50_000
    assert fit.r == pytest.approx(r, rel=0.05)
    assert fit.alpha == pytest.approx(alpha, rel=0.05)
    assert fit.a == pytest.approx(a, rel=0.2)
    assert fit.b == pytest.approx(b, rel=0.2)
    assert fit.a / (fit.a + fit.b) == pytest.approx(a / (a + b), rel=0.04)  # mean dropout is well identified
    weights = np.full(len(simulated[0]), 1 / len(simulated[0]))
    at_truth = _bgnbd_loglik(np.log(TRUE_BGNBD), *simulated, weights)[0] * len(simulated[0])
    assert fit.log_likelihood >= at_truth  # the optimum is at least as likely as the truth


def test_mbgnbd_recovers_known_parameters_where_bgnbd_cannot() -> None:
    simulated = simulate_bgnbd(50_000, seed=1, modified=True)
    fit = fit_mbgnbd(*simulated)
    r, alpha, a, b = TRUE_BGNBD
    assert fit.converged and fit.model == "mbgnbd"
    assert (fit.r, fit.alpha) == pytest.approx((r, alpha), rel=0.05)
    assert (fit.a, fit.b) == pytest.approx((a, b), rel=0.2)
    assert fit.mean_dropout == pytest.approx(a / (a + b), rel=0.04)
    plain = fit_bgnbd(*simulated)
    assert plain.log_likelihood < fit.log_likelihood - 100  # the original model cannot explain early dropouts


def test_bgnbd_is_unit_free_except_alpha(simulated: tuple[np.ndarray, np.ndarray, np.ndarray]) -> None:
    x, t_x, end = simulated
    weeks = fit_bgnbd(x[:5000], t_x[:5000], end[:5000])
    days = fit_bgnbd(x[:5000], 7 * t_x[:5000], 7 * end[:5000])
    assert (days.r, days.a, days.b) == pytest.approx((weeks.r, weeks.a, weeks.b), rel=1e-4)
    assert days.alpha == pytest.approx(7 * weeks.alpha, rel=1e-4)


def test_gamma_gamma_recovers_known_parameters() -> None:
    x, m = simulate_spend(20_000)
    fit = fit_gamma_gamma(x, m)
    p, q, v = TRUE_SPEND
    assert fit.converged and fit.n_customers == 20_000
    assert fit.q == pytest.approx(q, rel=0.04)
    assert fit.mean_spend == pytest.approx(p * v / (q - 1), rel=0.03)
    assert fit.p == pytest.approx(p, rel=0.25)
    assert fit.v == pytest.approx(v, rel=0.25)


@pytest.mark.parametrize("shift", [0, 1], ids=["bgnbd", "mbgnbd"])
@pytest.mark.parametrize("theta", [np.log([0.5, 3.0, 1.2, 2.0]), np.log([2.0, 30.0, 0.01, 50.0])])
def test_bgnbd_gradient_matches_finite_differences(theta: np.ndarray, shift: int) -> None:
    x, t_x, end = simulate_bgnbd(2000, seed=4, modified=bool(shift))
    weights = np.full(len(x), 1 / len(x))
    analytic = _bgnbd_loglik(theta, x, t_x, end, weights, shift)[1]
    numeric = approx_fprime(theta, lambda th: _bgnbd_loglik(th, x, t_x, end, weights, shift)[0], 1e-7)
    np.testing.assert_allclose(analytic, numeric, rtol=1e-4, atol=1e-6)


def test_gamma_gamma_gradient_matches_finite_differences() -> None:
    x, m = simulate_spend(2000, seed=5)
    theta = np.log([3.0, 2.0, 20.0])
    analytic = _gamma_gamma_loglik(theta, x.astype(float), m)[1]
    numeric = approx_fprime(theta, lambda th: _gamma_gamma_loglik(th, x.astype(float), m)[0], 1e-7)
    np.testing.assert_allclose(analytic, numeric, rtol=1e-4, atol=1e-6)


MODEL = BGNBDResult(r=0.243, alpha=4.414, a=0.793, b=2.426, log_likelihood=0.0, n_customers=0, converged=True)


def test_p_alive_is_a_probability_and_one_without_repeats() -> None:
    x = np.array([0, 1, 2, 5, 20, 60])
    alive = MODEL.p_alive(x, np.where(x > 0, 10.0, 0.0), np.full(6, 39.0))
    assert alive[0] == 1.0
    assert ((alive >= 0) & (alive <= 1)).all()
    assert np.all(np.diff(alive[1:]) < 0)  # more purchases then a long silence: more likely gone
    assert float(MODEL.p_alive(3, 39.0, 39.0)) > float(MODEL.p_alive(3, 20.0, 39.0))


MODIFIED = BGNBDResult(
    r=0.525, alpha=6.183, a=0.891, b=1.614, log_likelihood=0.0, n_customers=0, converged=True, model="mbgnbd"
)


def test_mbgnbd_p_alive_of_one_time_buyers_falls_with_time_since_the_purchase() -> None:
    weeks = np.array([0.0, 1.0, 13.0, 39.0, 52.0, 104.0])
    alive = MODIFIED.p_alive(np.zeros(6), np.zeros(6), weeks)
    assert alive[0] == pytest.approx(1 / (1 + 0.891 / 1.614))  # right after buying: only the first dropout chance
    assert np.all(np.diff(alive) < 0)
    assert alive[-1] == pytest.approx(1 / (1 + 0.891 / 1.614 * ((6.183 + 104) / 6.183) ** 0.525))
    assert float(MODIFIED.p_alive(3, 39.0, 39.0)) == pytest.approx(1 / (1 + 0.891 / (1.614 + 3)))


def test_degenerate_dropout_is_flagged() -> None:
    spike = BGNBDResult(r=0.67, alpha=7.7, a=13339.0, b=2957632.0, log_likelihood=0.0, n_customers=0, converged=True)
    assert spike.degenerate and spike.mean_dropout == pytest.approx(0.00449, abs=1e-5)
    assert not MODEL.degenerate and not MODIFIED.degenerate


def test_expected_purchases_grow_with_frequency_when_recent_and_fall_with_silence() -> None:
    x = np.arange(0, 40, dtype=float)
    recent = MODEL.expected_purchases(52, x, np.where(x > 0, 39.0, 0.0), np.full(len(x), 39.0))
    assert np.isfinite(recent).all() and np.all(np.diff(recent) > 0)
    silence = MODEL.expected_purchases(52, np.full(4, 3.0), np.array([39.0, 30.0, 20.0, 5.0]), np.full(4, 39.0))
    assert np.all(np.diff(silence) < 0)
    longer = MODEL.expected_purchases(np.array([13, 26, 52]), 3.0, 39.0, 39.0)
    assert np.all(np.diff(longer) > 0)


def test_expected_spend_shrinks_towards_the_population_mean() -> None:
    model = GammaGammaResult(p=6.25, q=3.74, v=15.44, log_likelihood=0.0, n_customers=0, converged=True)
    spend = model.expected_spend([0, 1, 10, 1000], [0.0, 100.0, 100.0, 100.0])
    assert spend[0] == pytest.approx(model.mean_spend) == pytest.approx(6.25 * 15.44 / 2.74)
    assert model.mean_spend < spend[1] < spend[2] < spend[3] < 100.0
    assert spend[3] == pytest.approx(100.0, rel=0.01)


def test_invalid_summaries_name_the_row() -> None:
    with pytest.raises(SchemaError) as caught:
        fit_bgnbd([1, 2, 0], [5.0, 50.0, 0.0], [10.0, 40.0, 10.0])
    assert caught.value.code == "invalid_summary"
    assert caught.value.details == {"row": 1, "frequency": 2.0, "recency": 50.0, "T": 40.0}
    assert "Row 1 has frequency=2.0, recency=50.0, T=40.0" in str(caught.value)
    with pytest.raises(SchemaError) as caught:
        fit_bgnbd([1, 2], [5.0], [10.0, 40.0])
    assert caught.value.code == "summary_length_mismatch"
    assert caught.value.details == {"lengths": "1, 2"}
    with pytest.raises(SchemaError) as caught:
        fit_gamma_gamma([1, 2], [5.0, np.nan])
    assert caught.value.code == "invalid_spend_summary"
    assert caught.value.details["row"] == 1


def test_too_few_repeat_buyers_to_fit() -> None:
    with pytest.raises(InsufficientDataError) as caught:
        fit_bgnbd([0, 0, 3], [0.0, 0.0, 5.0], [10.0, 20.0, 30.0])
    assert caught.value.code == "too_few_repeat_buyers"
    assert caught.value.details == {"count": 1, "minimum": 30}
    with pytest.raises(InsufficientDataError) as caught:
        fit_gamma_gamma([0, 2, 3], [0.0, 10.0, -1.0])
    assert caught.value.code == "too_few_repeat_buyers"
    assert caught.value.details == {"count": 1, "minimum": 2}
