"""Sample size and detectable effect for proportions and means."""

from __future__ import annotations

import pytest
from statsmodels.stats.power import NormalIndPower

from promo_core.campaign import power_analysis


def test_sample_size_and_mde_are_inverse() -> None:
    size = power_analysis("proportion", baseline=0.05, mde=0.2, relative=True)
    # Cohen's h = 0.043907; n = 2 (1.959964 + 0.841621)^2 / h^2 = 8142.5
    assert size.mde_abs == pytest.approx(0.01) and size.n_control == size.n_variant == 8143
    back = power_analysis("proportion", baseline=0.05, n_control=size.n_control)
    assert back.mde_abs == pytest.approx(0.01, rel=1e-3) and back.mde_abs <= 0.01


def test_ratio_alpha_power_and_variants() -> None:
    result = power_analysis("mean", baseline=30.0, mde=2.0, sd=25.0, ratio=0.5, alpha=0.01, power=0.9, n_variants=2)
    expected = NormalIndPower().solve_power(effect_size=0.08, alpha=0.01, power=0.9, ratio=0.5)
    assert result.n_control == int(-(-expected // 1))
    assert result.n_variant == int(-(-result.n_control * 0.5 // 1))
    assert result.n_total == result.n_control + 2 * result.n_variant
    assert result.summary().loc[0, "n_total"] == result.n_total


def test_one_sided_needs_fewer_customers() -> None:
    two = power_analysis("proportion", baseline=0.1, mde=0.01)
    one = power_analysis("proportion", baseline=0.1, mde=0.01, alternative="larger")
    assert one.n_control < two.n_control
