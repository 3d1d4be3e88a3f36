"""Plan versus actual: no deviation when measured = planned; a demand increase is flagged."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pandas as pd
import pytest

from sparcs.climate import load_weather
from sparcs.errors import DataError
from sparcs.monitoring.plan_vs_actual import (
    MeterCompleteness,
    compare_plan,
    meter_completeness,
    metered_view,
    month_slices,
)
from sparcs.operation.rule import simulate
from sparcs.profiles.build import build_inputs
from sparcs.testing import synthetic_district


@pytest.fixture(scope="module")
def planned():  # type: ignore[no-untyped-def]
    scenario = synthetic_district(2, city="espoo", seed=3)
    flows = simulate(scenario, build_inputs(scenario, load_weather(scenario)))
    months = flows.time.tz_convert(flows.timezone).strftime("%Y-%m")
    rows = np.flatnonzero((months == "2025-02") | (months == "2025-03"))
    part = dataclasses.replace(
        flows, time=flows.time[rows], data={k: v[rows] for k, v in flows.data.items()}
    )
    return scenario, part


def test_measured_equal_to_planned_gives_no_deviation(planned) -> None:  # type: ignore[no-untyped-def]
    scenario, flows = planned
    result = compare_plan(flows, flows, scenario)
    assert result.deviations == ()
    assert set(result.monthly["month"]) == {"total", "2025-02", "2025-03"}
    assert not result.monthly["flagged"].any()
    data = result.to_dict()
    assert {"planned", "measured", "monthly", "deviations", "completeness"} <= set(data)
    json.dumps(data, allow_nan=False)


def test_demand_increase_is_flagged_with_cause_demand(planned) -> None:  # type: ignore[no-untyped-def]
    scenario, flows = planned
    extra = 0.3 * flows["electricity_demand_kwh"]
    more = {"electricity_demand_kwh": flows["electricity_demand_kwh"] + extra}
    imports = flows["grid_import_kwh"].copy()
    imports[:, -1] += extra.sum(axis=1)
    more["grid_import_kwh"] = imports
    measured = dataclasses.replace(flows, data={**flows.data, **more})
    result = compare_plan(flows, measured, scenario, tolerance=0.1)
    flagged = {(d.period, d.metric): d for d in result.deviations}
    assert ("total", "electricity_use") in flagged
    assert {d.cause for d in result.deviations} == {"demand"}
    assert "demand" in flagged[("total", "electricity_use")].reason
    # the same increase during colder weather is put down to the weather
    cold = compare_plan(flows, measured, scenario, degree_days={"total": (1000.0, 1400.0)})
    assert {d.cause for d in cold.deviations if d.period == "total"} == {"weather"}


def test_generation_shortfall_is_flagged_with_cause_generation(planned) -> None:  # type: ignore[no-untyped-def]
    scenario, flows = planned
    assert flows["pv_kwh"].any()
    measured = dataclasses.replace(flows, data={**flows.data, "pv_kwh": 0.5 * flows["pv_kwh"]})
    result = compare_plan(flows, measured, scenario)
    gen = [d for d in result.deviations if d.metric == "local_generation"]
    assert gen and {d.cause for d in gen} == {"generation"}


def test_other_steps_and_bad_tolerance_are_refused(planned) -> None:  # type: ignore[no-untyped-def]
    scenario, flows = planned
    with pytest.raises(DataError, match="same period"):
        compare_plan(flows, month_slices(flows)["2025-02"], scenario)
    with pytest.raises(DataError, match="tolerance"):
        compare_plan(flows, flows, scenario, tolerance=0)


def test_metered_view_zeroes_unmetered_flows(planned) -> None:  # type: ignore[no-untyped-def]
    _, flows = planned
    view = metered_view(flows, [("grid_import_kwh", "district")])
    np.testing.assert_array_equal(view["grid_import_kwh"], flows["grid_import_kwh"])
    assert not view["electricity_demand_kwh"].any()


def test_meter_completeness_counts_present_missing_flags_and_fills() -> None:
    start = pd.Timestamp("2025-01-01", tz="UTC")
    time = pd.date_range(start, periods=3, freq="15min")
    readings = pd.DataFrame(
        {
            "meter": ["m"] * 3,
            "time": time,
            "value": [1.0, np.nan, 50.0],
            "flags": np.array([0, 1, 4], dtype=np.int32),
        }
    )
    meters = pd.DataFrame(
        {
            "id": ["m", "n"],
            "node": ["b1", "district"],
            "quantity": ["pv_kwh", "grid_import_kwh"],
            "resolution": ["PT15M", None],
        }
    )
    got = meter_completeness(
        readings, meters, start=start, end=start + pd.Timedelta(hours=1), filled={"m": 1}
    )
    assert got[0] == MeterCompleteness(
        meter="m",
        node="b1",
        quantity="pv_kwh",
        expected=4,
        present=2,
        missing=1,
        flagged={"missing": 1, "spike": 1},
        filled=1,
    )
    assert got[0].completeness == 0.5
    assert got[1].expected == 1 and got[1].present == 0 and got[1].completeness == 0.0
