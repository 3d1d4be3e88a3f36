"""The same KPIs on measured data: simulated flows written as meter readings, ingested,
rebuilt from the store, give the simulated KPIs and PED verdict (both back-ends)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sparcs.climate import load_weather
from sparcs.errors import DataError
from sparcs.kpi import compute_kpis
from sparcs.monitoring.ingest import MeterSpec
from sparcs.monitoring.measured import measured_flows
from sparcs.operation.flows import FLOW_NAMES, STATE_NAMES
from sparcs.operation.rule import simulate
from sparcs.profiles.build import build_inputs
from sparcs.store import Store, ingest_file
from sparcs.testing import synthetic_district


@pytest.fixture(scope="module")
def simulated():  # type: ignore[no-untyped-def]
    scenario = synthetic_district(3, city="espoo", seed=4)
    flows = simulate(scenario, build_inputs(scenario, load_weather(scenario)))
    return scenario, flows


def _write_readings(flows, folder: Path) -> tuple[Path, dict[str, MeterSpec]]:  # type: ignore[no-untyped-def]
    """One meter per (flow, node) that is not all zero, as a long CSV in kWh."""
    meters: dict[str, MeterSpec] = {}
    stamps = np.array([t.strftime("%Y-%m-%dT%H:%MZ") for t in flows.time], dtype=object)
    parts = []
    for name in (*FLOW_NAMES, *STATE_NAMES):
        for j, node in enumerate(flows.nodes):
            values = flows[name][:, j]
            if not values.any():
                continue
            meter_id = f"{node}/{name}"
            meters[meter_id] = MeterSpec(
                id=meter_id, node=node, quantity=name, unit="kWh", resolution="PT1H"
            )
            parts.append(
                pd.DataFrame(
                    {"time": stamps, "meter": meter_id, "value": [repr(float(v)) for v in values]}
                )
            )
    path = folder / "flows.csv"
    pd.concat(parts).to_csv(path, index=False)
    return path, meters


def test_measured_kpis_equal_simulated(store: Store, tmp_path: Path, simulated) -> None:  # type: ignore[no-untyped-def]
    scenario, flows = simulated
    path, meters = _write_readings(flows, tmp_path)
    result = ingest_file(store, path, meters)
    assert result.conflicts == 0 and result.rejected == 0
    measured = measured_flows(store.readings(), store.meters(), scenario, time=flows.time)
    assert measured.complete
    for name in (*FLOW_NAMES, *STATE_NAMES):
        np.testing.assert_array_equal(measured.flows[name], flows[name], err_msg=name)
    expected, got = compute_kpis(flows, scenario), compute_kpis(measured.flows, scenario)
    assert [k.key for k in got.kpis] == [k.key for k in expected.kpis]
    for mine, theirs in zip(got.kpis, expected.kpis, strict=True):
        assert mine.value == pytest.approx(theirs.value, rel=1e-12, abs=1e-9, nan_ok=True), mine.key
    assert got.verdict.ped_class == expected.verdict.ped_class
    assert got.verdict.balance_kwh_pe == pytest.approx(expected.verdict.balance_kwh_pe)


def test_missing_steps_are_refused_or_filled_and_counted(
    store: Store, tmp_path: Path, simulated
) -> None:  # type: ignore[no-untyped-def]
    scenario, flows = simulated
    meter = MeterSpec(id="imp", node="district", quantity="grid_import_kwh", unit="kWh")
    quarter = pd.date_range(flows.time[0], periods=8, freq="15min")
    lines = [f"{t.isoformat()},imp,1.0" for i, t in enumerate(quarter) if i != 5]  # 01:15 missing
    path = tmp_path / "q.csv"
    path.write_text("time,meter,value\n" + "\n".join(lines) + "\n")
    ingest_file(store, path, {"imp": meter})
    time = flows.time[:3]
    with pytest.raises(DataError, match=r"imp: 2 step\(s\).*fill='zero' or 'linear'"):
        measured_flows(store.readings(), store.meters(), scenario, time=time)
    zero = measured_flows(store.readings(), store.meters(), scenario, time=time, fill="zero")
    assert zero.filled == {"imp": 2} and not zero.complete
    np.testing.assert_array_equal(zero.flows["grid_import_kwh"][:, -1], [4.0, 0.0, 0.0])
    assert "2 missing step(s) filled (zero)" in zero.flows.notes[0]
    linear = measured_flows(store.readings(), store.meters(), scenario, time=time, fill="linear")
    np.testing.assert_array_equal(linear.flows["grid_import_kwh"][:, -1], [4.0, 4.0, 4.0])
