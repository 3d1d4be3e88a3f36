"""Finance functions against hand values and numpy-financial reference results."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sparcs.planning.finance import (
    annuity_factor,
    discounted_payback,
    irr,
    lcoe,
    lcoh,
    measure_cashflows,
    npv,
    present_value_factor,
    simple_payback,
)


def test_annuity_factor_by_hand() -> None:
    # 5 %, 20 a: 0.05 * 1.05**20 / (1.05**20 - 1) = 0.0802426
    assert annuity_factor(0.05, 20) == pytest.approx(0.0802425872, rel=1e-9)
    assert annuity_factor(0.0, 25) == pytest.approx(0.04)
    assert annuity_factor(0.10, 1) == pytest.approx(1.10)
    assert present_value_factor(0.05, 20) == pytest.approx(12.46221, rel=1e-6)


@pytest.mark.parametrize("bad", [(0.05, 0), (0.05, -3), (-1.0, 10)])
def test_annuity_factor_rejects_nonsense(bad: tuple[float, float]) -> None:
    with pytest.raises(ValueError, match="must be"):
        annuity_factor(*bad)


def test_npv_matches_numpy_financial() -> None:
    # numpy-financial docs: npf.npv(0.281, [-100, 39, 59, 55, 20]) = -0.0084785916...
    assert npv([-100, 39, 59, 55, 20], 0.281) == pytest.approx(-0.0084785916384548798, abs=1e-12)
    # npf.npv(0.08, [-40_000, 5_000, 8_000, 12_000, 30_000]) = 3065.22267
    assert npv([-40_000, 5_000, 8_000, 12_000, 30_000], 0.08) == pytest.approx(
        3065.2226681795, rel=1e-9
    )


@pytest.mark.parametrize(
    ("flows", "expected"),
    [
        ([-100, 39, 59, 55, 20], 0.28094842115996066),
        ([-100, 0, 0, 74], -0.09549583034897258),
        ([-100, 100, 0, -7], -0.08329966618495191),
        ([-100, 100, 0, 7], 0.06205848562992257),
        ([-5, 10.5, 1, -8, 1], 0.08859833852439172),
        ([-150000, 15000, 25000, 35000, 45000, 60000], 0.05243288885288001),
    ],
)
def test_irr_matches_numpy_financial(flows: list[float], expected: float) -> None:
    assert irr(flows) == pytest.approx(expected, abs=1e-9)


def test_irr_without_sign_change_is_nan() -> None:
    assert math.isnan(irr([100, 10, 10]))
    assert math.isnan(irr([-100, -10, 0]))
    assert math.isnan(irr([0, 0]))


@given(st.floats(min_value=-0.5, max_value=2.0), st.integers(min_value=1, max_value=30))
def test_irr_inverts_npv(rate: float, years: int) -> None:
    # an investment of 1 repaid by the annuity at ``rate`` has IRR = rate
    payment = annuity_factor(rate, years)
    flows = np.r_[-1.0, np.full(years, payment)]
    assert irr(flows) == pytest.approx(rate, abs=1e-7)
    assert npv(flows, rate) == pytest.approx(0.0, abs=1e-9)


def test_paybacks_by_hand() -> None:
    assert simple_payback(1000.0, 125.0) == 8.0
    assert simple_payback(1000.0, 0.0) == math.inf
    assert discounted_payback([-100, 60, 60], 0.0) == pytest.approx(100 / 60)
    # at 10 %: discounted 54.545, 49.587 -> crosses in year 2 at 1 + 45.455/49.587
    assert discounted_payback([-100, 60, 60], 0.10) == pytest.approx(
        1 + 45.4545454 / 49.5867768, rel=1e-7
    )
    assert discounted_payback([-100, 10, 10], 0.05) == math.inf
    assert discounted_payback([0, 10], 0.05) == 0.0


def test_lcoe_and_lcoh_by_hand() -> None:
    # 1000 EUR, 25 a at 5 % -> 70.95 EUR/a; + 15 EUR O&M; / 1000 kWh
    assert lcoe(1000.0, 15.0, 1000.0, 0.05, 25) == pytest.approx(
        (1000 * 0.0709525 + 15) / 1000, rel=1e-6
    )
    assert math.isnan(lcoe(1000.0, 0.0, 0.0, 0.05, 25))
    assert lcoh(10_000.0, 100.0, 20_000.0, 0.0, 20, annual_energy_cost=1000.0) == pytest.approx(
        0.08
    )


def test_measure_cashflows_with_replacement_and_residual() -> None:
    flows = measure_cashflows(100.0, 30.0, lifetime_years=2, horizon_years=3)
    assert flows.tolist() == [-100.0, 30.0, -70.0, 80.0]
    # lifetime equal to the horizon: no replacement, no residual value
    flows = measure_cashflows(100.0, 30.0, lifetime_years=3, horizon_years=3)
    assert flows.tolist() == [-100.0, 30.0, 30.0, 30.0]
    # longer lifetime: residual value of the unused life
    flows = measure_cashflows(100.0, 30.0, lifetime_years=4, horizon_years=3)
    assert flows[-1] == pytest.approx(30.0 + 25.0)
