"""PV model assumptions are scenario fields: defaults as before, each one read by the PV model."""

from __future__ import annotations

import numpy as np
import pytest
from pydantic import ValidationError

from sparcs.profiles._solar import DEFAULT_ALBEDO
from sparcs.profiles.pv import DEFAULT_DC_AC_RATIO, pv_ac_kw, pv_arrays_ac_kw
from sparcs.scenario import PV


def _yield(weather, **fields) -> float:
    """Annual AC energy of 1 kWp, south, 35 deg, with the given PV fields [kWh/kWp]."""
    power = pv_arrays_ac_kw(weather, [PV(kwp=1.0, **fields)])
    return float(power.sum() * weather.dt_h)


def test_defaults_are_those_of_the_model_function() -> None:
    pv = PV(kwp=10)
    assert pv.dc_ac_ratio == DEFAULT_DC_AC_RATIO == 1.2
    assert pv.albedo == DEFAULT_ALBEDO == 0.2
    assert (pv.transposition, pv.mounting) == ("perez", "open_rack_glass_polymer")
    assert pv.losses_pct == 14.0


def test_arrays_with_default_assumptions_give_the_same_output_as_before(prague_weather) -> None:
    arrays = [PV(kwp=10), PV(kwp=4, tilt_deg=15, azimuth_deg=90, losses_pct=10)]
    before = pv_ac_kw(
        prague_weather, [10, 4], [35, 15], [180, 90], [14, 10], [0.96, 0.96], [-0.0037, -0.0037]
    )
    np.testing.assert_array_equal(pv_arrays_ac_kw(prague_weather, arrays), before)


def test_each_array_gets_its_own_assumptions(prague_weather) -> None:
    arrays = [
        PV(kwp=5),
        PV(kwp=5, albedo=0.7, mounting="close_mount_glass_glass"),
        PV(kwp=2, transposition="haydavies", dc_ac_ratio=1.5),
        PV(kwp=3),
    ]
    together = pv_arrays_ac_kw(prague_weather, arrays)
    for column, array in enumerate(arrays):
        alone = pv_arrays_ac_kw(prague_weather, [array])[:, 0]
        np.testing.assert_allclose(together[:, column], alone, rtol=1e-12, atol=1e-12)
    assert pv_arrays_ac_kw(prague_weather, []).shape == (len(prague_weather.time), 0)


def test_each_assumption_moves_the_yield_the_physical_way(prague_weather) -> None:
    base = _yield(prague_weather)
    assert 800 < base < 1100  # Prague 2019, 1,001 kWh/m2 GHI
    assert _yield(prague_weather, albedo=0.7) > base  # more ground-reflected light on the plane
    assert _yield(prague_weather, mounting="close_mount_glass_glass") < base  # hotter cells
    assert _yield(prague_weather, mounting="insulated_back_glass_polymer") < _yield(
        prague_weather, mounting="close_mount_glass_glass"
    )
    assert _yield(prague_weather, dc_ac_ratio=2.0) < base  # the inverter clips
    assert _yield(prague_weather, dc_ac_ratio=0.8) == pytest.approx(base, rel=0.01)
    assert _yield(prague_weather, losses_pct=20) == pytest.approx(base * 0.8 / 0.86, rel=0.01)
    assert _yield(prague_weather, transposition="haydavies") == pytest.approx(base, rel=0.05)


@pytest.mark.parametrize(
    ("field", "value"),
    [("albedo", 1.5), ("dc_ac_ratio", 0.1), ("mounting", "roof"), ("transposition", "isotropic")],
)
def test_bad_assumptions_are_rejected(field: str, value: object) -> None:
    with pytest.raises(ValidationError, match=field):
        PV(kwp=1, **{field: value})
