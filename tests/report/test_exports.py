"""File exports: Parquet, CSV and JSON that read back to the same numbers."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pandas as pd
import pytest

from sparcs.operation.flows import FLOW_NAMES, STATE_NAMES
from sparcs.report import EXPORT_FILES, write_exports


@pytest.fixture(scope="module")
def exported(tmp_path_factory, week_flows, week_report) -> dict:
    out = tmp_path_factory.mktemp("exports") / "run"
    return write_exports(out, week_flows, week_report)


def test_every_file_is_written(exported) -> None:
    assert set(exported) == set(EXPORT_FILES)
    for key, path in exported.items():
        assert path.name == EXPORT_FILES[key]
        assert path.is_file() and path.stat().st_size > 0


def test_kpis_json_round_trips_value_unit_and_verdict(exported, week_report) -> None:
    data = json.loads(exported["kpis"].read_text(encoding="utf-8"))
    assert set(data["kpis"]) == set(week_report.keys())
    for kpi in week_report.kpis:
        entry = data["kpis"][kpi.key]
        assert entry["value"] == pytest.approx(kpi.value)
        assert entry["unit"] == kpi.unit
        assert entry["label"] == kpi.label
    assert data["ped"]["ped_class"] == week_report.verdict.ped_class
    assert data["ped"]["reason"] == week_report.verdict.reason
    assert data["factor_set"] == "de-geg-2020"


def test_flows_parquet_is_long_format(exported, week_flows) -> None:
    frame = pd.read_parquet(exported["flows"])
    assert len(frame) == len(week_flows.time) * len(week_flows.nodes)
    assert {"time", "node", *FLOW_NAMES, *STATE_NAMES} <= set(frame.columns)
    assert str(frame["time"].dt.tz) == "UTC"
    pv = frame.groupby("node")["pv_kwh"].sum()
    for i, node in enumerate(week_flows.nodes):
        assert pv[node] == pytest.approx(week_flows["pv_kwh"][:, i].sum())


def test_hourly_csv_holds_district_totals_with_utc_iso_times(exported, week_flows) -> None:
    frame = pd.read_csv(exported["flows_hourly"])
    assert frame["time"].iloc[0] == "2025-03-27T00:00:00+00:00"
    times = pd.DatetimeIndex(pd.to_datetime(frame["time"], utc=True))
    assert times.equals(pd.DatetimeIndex(week_flows.time, name="time"))
    for name in ("grid_import_kwh", "grid_export_kwh", "heat_demand_kwh", "battery_soc_kwh"):
        np.testing.assert_allclose(frame[name].to_numpy(), week_flows.total(name))


def test_tables_carry_units_in_headers(exported, week_report) -> None:
    per_building = pd.read_csv(exported["per_building"], index_col=0)
    assert per_building.index.name == "building"
    assert list(per_building.index) == list(week_report.per_building.index)
    assert "self_sufficiency [%]" in per_building.columns
    np.testing.assert_allclose(
        per_building["final_energy [kWh/a]"], week_report.per_building["final_energy"]
    )
    monthly = pd.read_csv(exported["monthly"], index_col=0)
    assert list(monthly.index) == ["2025-03", "2025-04"]
    assert "co2_net [kg CO2-eq]" in monthly.columns


def test_period_index_is_written_as_text(tmp_path, week_flows, week_report) -> None:
    monthly = week_report.monthly.copy()
    monthly.index = pd.PeriodIndex(monthly.index, freq="M", name="month")
    report = dataclasses.replace(week_report, monthly=monthly)
    paths = write_exports(tmp_path, week_flows, report)
    assert pd.read_csv(paths["monthly"])["month"].tolist() == ["2025-03", "2025-04"]


def test_flows_parquet_in_many_row_groups_holds_the_same_rows(
    tmp_path, week_flows, monkeypatch
) -> None:
    import pyarrow.parquet as pq

    import sparcs.operation.flows as flows_module

    monkeypatch.setattr(flows_module, "_ROWS_PER_GROUP", 2 * len(week_flows.time))
    path = week_flows.to_parquet(tmp_path / "flows.parquet")
    assert pq.ParquetFile(path).num_row_groups == -(-len(week_flows.nodes) // 2)
    written = pd.read_parquet(path).astype({"node": str}).sort_values(["node", "time"])
    expected = week_flows.to_long().astype({"node": str}).sort_values(["node", "time"])
    for column in ("time", "node", *FLOW_NAMES, *STATE_NAMES):
        np.testing.assert_array_equal(written[column].to_numpy(), expected[column].to_numpy())
