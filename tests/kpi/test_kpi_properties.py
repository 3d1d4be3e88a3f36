"""Property tests: KPIs stay in range on any balanced district."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from kpi_helpers import make_flows, make_scenario

from sparcs.carriers import step_factors
from sparcs.kpi import (
    compute_kpis,
    ev_renewable_share,
    exclude_mobility,
    grid_interaction_index,
    load_cover_factor,
    res_share,
    self_consumption,
    self_sufficiency,
    supply_cover_factor,
)
from sparcs.operation.flows import check_balance

FRACTIONS = (
    self_consumption,
    self_sufficiency,
    load_cover_factor,
    supply_cover_factor,
    grid_interaction_index,
    ev_renewable_share,
)
PERCENT_KEYS = (
    "self_consumption",
    "self_sufficiency",
    "res_share",
    "load_cover_factor",
    "supply_cover_factor",
    "ev_renewable_share",
    "curtailment_share",
)
ENERGY_KEYS = (
    "final_energy",
    "electricity_use",
    "local_generation",
    "curtailment",
    "pei",
    "pee",
    "co2",
    "peak_import",
    "ev_energy",
    "energy_cost",
    "export_revenue",
)


@st.composite
def districts(draw):
    n_t = draw(st.integers(2, 24))
    n_b = draw(st.integers(1, 3))
    shape = (n_t, n_b + 1)
    energy = arrays(np.float64, shape, elements=st.floats(0, 10, allow_subnormal=False))
    share = arrays(np.float64, shape, elements=st.floats(0, 1, allow_subnormal=False))
    demand, pv, ev, dh = draw(energy), draw(energy), draw(energy), draw(energy)
    curtailed = pv * draw(share)
    load = demand + ev
    net = pv - curtailed - load  # surplus of each node
    values = {
        "electricity_demand_kwh": demand,
        "pv_kwh": pv,
        "ev_charge_kwh": ev,
        "curtailed_kwh": curtailed,
        "dh_import_kwh": dh,
        "heat_demand_kwh": dh,
    }
    sharing = draw(st.sampled_from(["building", "community"]))
    if sharing == "building":
        values["grid_import_kwh"] = np.clip(-net, 0, None)
        values["grid_export_kwh"] = np.clip(net, 0, None)
    else:
        shared_in, shared_out = np.clip(-net, 0, None), np.clip(net, 0, None)
        shared_in[:, -1] = shared_out[:, :-1].sum(axis=1)
        shared_out[:, -1] = np.clip(-net[:, :-1], 0, None).sum(axis=1)
        grid = net[:, -1] + shared_in[:, -1] - shared_out[:, -1]
        zeros = np.zeros(shape)
        values["shared_in_kwh"], values["shared_out_kwh"] = shared_in, shared_out
        values["grid_import_kwh"], values["grid_export_kwh"] = zeros.copy(), zeros.copy()
        values["grid_import_kwh"][:, -1] = np.clip(-grid, 0, None)
        values["grid_export_kwh"][:, -1] = np.clip(grid, 0, None)
    buildings = tuple(f"b{i}" for i in range(n_b))
    flows = make_flows(values, n_steps=n_t, buildings=buildings, sharing=sharing)
    check_balance(flows, atol_kwh=1e-9)
    return flows


def in_unit_range(value) -> bool:
    values = np.atleast_1d(np.asarray(value, dtype=float))
    values = values[~np.isnan(values)]
    return bool(((values >= -1e-12) & (values <= 1 + 1e-12)).all())


@settings(max_examples=60, deadline=None)
@given(districts())
def test_fractions_lie_between_zero_and_one(flows):
    factors = step_factors("fi-2018-decree", flows.time)
    for kpi in FRACTIONS:
        for by in ("district", "building"):
            assert in_unit_range(kpi(flows, by=by)), (kpi.__name__, by)
    assert in_unit_range(res_share(flows, factors=factors))
    assert in_unit_range(res_share(flows, by="building", factors=factors))


@settings(max_examples=40, deadline=None)
@given(districts())
def test_report_percentages_in_range_and_energies_non_negative(flows):
    report = compute_kpis(flows, make_scenario())
    for key in PERCENT_KEYS:
        value = report[key].value
        assert np.isnan(value) or -1e-9 <= value <= 100 + 1e-9, key
    for key in ENERGY_KEYS:
        assert report[key].value >= -1e-9, key
    numeric = report.per_building.drop(columns="peak_import_time")
    assert (numeric.drop(columns="peb").fillna(0) >= -1e-9).all().all()
    assert report.verdict.ped_class in ("PEDautonomous", "PEDdynamic", "pre-PED", "not PED")


@settings(max_examples=40, deadline=None)
@given(districts())
def test_self_sufficiency_and_load_cover_agree_without_storage(flows):
    # one boundary meter and no storage: what is not imported is covered by local generation
    # in the same step (under building sharing, meters do not net against each other)
    if flows.sharing == "community":
        ss, cover = self_sufficiency(flows), load_cover_factor(flows)
        assert (np.isnan(ss) and np.isnan(cover)) or abs(ss - cover) < 1e-9


@settings(max_examples=40, deadline=None)
@given(districts())
def test_excluding_mobility_keeps_every_balance(flows):
    scoped = exclude_mobility(flows)
    check_balance(scoped, atol_kwh=1e-9)
    assert scoped.total("grid_import_kwh").sum() <= flows.total("grid_import_kwh").sum() + 1e-9
