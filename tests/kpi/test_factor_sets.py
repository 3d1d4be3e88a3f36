"""Factor sets in the kinds of EN ISO 52000-1 / EN 17423: every set is checked at load, and a
set the PED balance cannot use is refused with one line naming the set, carrier and field."""

from __future__ import annotations

import copy

import numpy as np
import pandas as pd
import pytest
from kpi_helpers import HAND_TABLE, make_scenario

from sparcs.carriers import scenario_factors, step_factors
from sparcs.data import city_names, factor_set_names, get_city, get_factor_set, parse_factor_set
from sparcs.errors import DataError, ScenarioError


def table(**changes):
    out = copy.deepcopy(HAND_TABLE)
    out.update(changes)
    return out


def refused(entry) -> str:
    with pytest.raises(DataError) as info:
        parse_factor_set("my-set", entry)
    message = str(info.value)
    assert "\n" not in message and "'my-set'" in message
    return message


def test_a_set_labelled_total_is_refused():
    message = refused(table(pef_kind="tot"))
    assert "'pef_kind'" in message and "f_P,nren" in message and "total" in message
    assert "weighting" in refused(table(pef_kind="weighting"))


def test_a_missing_total_factor_is_refused_naming_carrier_and_field():
    entry = table()
    del entry["gas"]["f_p_tot"]
    message = refused(entry)
    assert "carrier 'gas'" in message and "'f_p_tot'" in message


def test_the_old_ambiguous_pef_key_is_refused():
    entry = table()
    entry["electricity"] = {"pef": 1.2, "co2_kg_per_kwh": 0.1, "source": "x"}
    message = refused(entry)
    assert "carrier 'electricity'" in message and "'f_p_nren'" in message and "ambiguous" in message


def test_nren_above_tot_and_unknown_scope_are_refused():
    entry = table()
    entry["electricity"] = {**entry["electricity"], "f_p_tot": 1.0}
    assert "carrier 'electricity'" in refused(entry) and "'f_p_tot'" in refused(entry)
    assert "'co2_scope'" in refused(table(co2_scope="well-to-wheel"))
    assert "'k_exp'" in refused(table(k_exp=1.5))


def test_asymmetric_export_factors_need_the_label():
    entry = table()
    entry["electricity"] = {**entry["electricity"], "co2_exp_kg_per_kwh": 0.86}
    assert "asymmetric-regulatory" in refused(entry)
    ok = parse_factor_set("geg-like", {**entry, "export_credit": "asymmetric-regulatory"})
    assert ok["electricity"].co2_export_kg_per_kwh == 0.86


@pytest.mark.parametrize("name", factor_set_names())
def test_every_embedded_set_is_nren_sourced_dated_and_scoped(name):
    fs = get_factor_set(name)
    assert fs.pef_kind == "nren" and fs.co2_scope in ("life-cycle", "combustion")
    assert fs.updated and fs.method and 0 <= fs.k_exp <= 1
    for carrier, f in fs.carriers.items():
        assert 0 <= f.f_p_nren <= f.f_p_tot, carrier
        assert f.f_p_ren == pytest.approx(f.f_p_tot - f.f_p_nren)
        assert f.source
        if fs.export_credit == "symmetric":
            assert (f.f_p_nren_exp, f.co2_exp_kg_per_kwh) == (f.f_p_nren, f.co2_kg_per_kwh)


def test_iceland_is_consistent_with_its_renewable_grid():
    el = get_factor_set("is-eu-default")["electricity"]
    assert el.f_p_nren < 0.01 and el.f_p_ren / el.f_p_tot > 0.99


def test_k_exp_weights_every_export_credit():
    time = pd.date_range("2025-01-01", periods=3, freq="1h", tz="UTC", name="time")
    half = step_factors(hand := parse_factor_set("hand", table()), time, k_exp=0.5)
    assert half.k_exp == 0.5
    np.testing.assert_allclose(half.pef_export["electricity"], 0.6)
    np.testing.assert_allclose(half.co2_export_kg_per_kwh["electricity"], 0.036)
    np.testing.assert_allclose(half.pef["electricity"], 1.2)  # delivered factors unchanged
    assert step_factors(hand, time).k_exp == 1.0
    assert "k_exp 0.5" in half.source
    with pytest.raises(ScenarioError, match="k_exp"):
        step_factors(hand, time, k_exp=2.0)
    scenario = make_scenario(factors={"k_exp": 0.0})
    np.testing.assert_allclose(scenario_factors(scenario, time).pef_export["electricity"], 0.0)


def test_the_harmonised_set_is_one_method_for_all_seven_cities():
    time = pd.date_range("2025-01-01", periods=2, freq="1h", tz="UTC", name="time")
    resolved = [
        scenario_factors(make_scenario(city, factors={"set": "eu-harmonised-2024"}), time)
        for city in city_names()
    ]
    assert len(resolved) == 7
    assert {r.name for r in resolved} == {"eu-harmonised-2024"}
    assert len({r.source for r in resolved}) == 1
    for r in resolved[1:]:
        for field in ("pef", "pef_tot", "co2_kg_per_kwh", "pef_export"):
            for carrier, values in getattr(r, field).items():
                np.testing.assert_array_equal(values, getattr(resolved[0], field)[carrier])
    # the cities' own defaults differ by country: that is what the harmonised set removes
    assert (
        len({get_factor_set(get_city(c).factor_set)["electricity"].f_p_nren for c in city_names()})
        == 7
    )
