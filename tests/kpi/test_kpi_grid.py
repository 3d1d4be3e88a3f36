"""Grid KPIs against hand-computed small cases."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from kpi_helpers import make_flows

from sparcs.kpi import (
    grid_interaction_index,
    load_cover_factor,
    peak_import,
    peak_import_time,
    supply_cover_factor,
)


@pytest.fixture
def pv_case():
    return make_flows(
        {
            "pv_kwh": {"b1": [0, 4, 6, 0]},
            "electricity_demand_kwh": {"b1": [2, 2, 2, 2]},
            "grid_import_kwh": {"b1": [2, 0, 0, 2]},
            "grid_export_kwh": {"b1": [0, 2, 4, 0]},
        }
    )


def test_cover_factors(pv_case):
    # matched min(G, L) = 0 + 2 + 2 + 0 = 4; load 8; generation 10
    assert load_cover_factor(pv_case) == pytest.approx(0.5)
    assert supply_cover_factor(pv_case) == pytest.approx(0.4)
    assert load_cover_factor(pv_case, by="building")["b1"] == pytest.approx(0.5)
    assert supply_cover_factor(pv_case, by="building")["b1"] == pytest.approx(0.4)


def test_grid_interaction_index(pv_case):
    net = np.array([-2.0, 2.0, 4.0, -2.0])
    expected = net.std() / 4.0
    assert grid_interaction_index(pv_case) == pytest.approx(expected)
    assert grid_interaction_index(pv_case, by="building")["b1"] == pytest.approx(expected)


def test_peak_import_and_local_time_first_on_ties(pv_case):
    assert peak_import(pv_case) == pytest.approx(2.0)
    # first of the tied steps: 2025-01-01 00:00 UTC is 02:00 in Helsinki (EET)
    assert (
        peak_import_time(replace(pv_case, timezone="Europe/Helsinki"))
        == "2025-01-01T02:00:00+02:00"
    )
    assert peak_import_time(replace(pv_case, timezone="Europe/Helsinki"), by="building")["b1"] == (
        "2025-01-01T02:00:00+02:00"
    )


def test_peak_import_power_uses_step_length():
    flows = make_flows({"grid_import_kwh": {"b1": [0.5, 1.5, 0.25]}}, freq="15min")
    assert peak_import(flows) == pytest.approx(6.0)


def test_peak_time_in_summer_time():
    flows = make_flows({"grid_import_kwh": {"b1": [0, 3, 1]}}, start="2025-07-01 10:00")
    assert peak_import_time(replace(flows, timezone="Europe/Berlin")) == "2025-07-01T13:00:00+02:00"


def test_peak_per_building_community_and_own_meter():
    flows = make_flows(
        {
            "grid_import_kwh": {"b2": [1, 4, 0], "district": [5, 0, 2]},
            "shared_in_kwh": {"b1": [3, 1, 1], "district": [0, 0, 3]},
        },
        buildings=("b1", "b2"),
        sharing="community",
    )
    peaks = peak_import(flows, by="building")
    assert peaks.to_dict() == pytest.approx({"b1": 3.0, "b2": 4.0})
    times = peak_import_time(replace(flows, timezone="UTC"), by="building")
    assert times.to_dict() == {"b1": "2025-01-01T00:00:00+00:00", "b2": "2025-01-01T01:00:00+00:00"}
    assert peak_import(flows) == pytest.approx(1.0 + 5.0)  # boundary: grid import of all nodes


def test_no_import_gives_zero_peak_and_empty_time():
    flows = make_flows({"grid_export_kwh": {"b1": [1, 1]}})
    assert peak_import(flows) == 0.0
    assert peak_import_time(replace(flows, timezone="UTC")) == ""
    assert np.isnan(grid_interaction_index(make_flows({"pv_kwh": {"b1": [0, 0]}})))


def test_peak_time_series_is_labelled(pv_case):
    times = peak_import_time(replace(pv_case, timezone="UTC"), by="building")
    assert isinstance(times, pd.Series) and times.attrs["unit"] == "local time"


@settings(max_examples=80, deadline=None)
@given(
    n_t=st.integers(2, 40),
    n_n=st.integers(2, 9),
    seed=st.integers(0, 2**31 - 1),
    shared=st.booleans(),
)
def test_peak_per_node_is_the_same_whatever_the_memory_order(n_t, n_n, seed, shared):
    """Column-major blocks of nodes and row-major blocks of steps find one peak and step.

    Values come from a few levels, zeros included, so ties and idle nodes are common: the
    first step wins a tie, and a node that imports nothing has its peak at step 0.
    """
    rng = np.random.default_rng(seed)
    buildings = tuple(f"b{i}" for i in range(n_n - 1))
    shape = (n_t, n_n)
    values = {"grid_import_kwh": rng.choice([0.0, 0.0, 1.0, 2.5, 3.0], size=shape)}
    if shared:
        values["shared_in_kwh"] = rng.choice([0.0, 0.0, 1.0, 2.5], size=shape)
    total = sum(values.values())
    expected_peak = total.max(axis=0)
    expected_step = np.where(expected_peak > 0, total.argmax(axis=0), 0)
    for order in (np.ascontiguousarray, np.asfortranarray):
        flows = make_flows(
            {k: order(v) for k, v in values.items()}, buildings=buildings, timezone="UTC"
        )
        assert flows["grid_import_kwh"].flags.f_contiguous == (order is np.asfortranarray)
        peaks = peak_import(flows, by="building")  # the building nodes, not the district's
        np.testing.assert_allclose(peaks.to_numpy() * flows.dt_h, expected_peak[:-1])
        times = peak_import_time(flows, by="building")
        for node, step, peak in zip(buildings, expected_step, expected_peak, strict=False):
            assert times[node] == (
                "" if peak <= 0 else flows.time[step].strftime("%Y-%m-%dT%H:%M:%S+00:00")
            ), node
