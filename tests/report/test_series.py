"""Local-time aggregation for charts: months and the carpet matrix, with DST days."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sparcs.report._series import carpet_matrix, local_month_labels, monthly_sums, monthly_totals
from sparcs.timeseries import year_index

BERLIN = "Europe/Berlin"


@pytest.mark.parametrize("step, per_hour", [("1h", 1), ("15min", 4)])
def test_carpet_of_a_berlin_year_folds_dst_days_without_losing_energy(
    flows_builder, step: str, per_hour: int
) -> None:
    time = year_index(2025, step, tz=BERLIN)
    flows = flows_builder(time, n_buildings=3)
    ones = np.ones(len(time))

    matrix = carpet_matrix(flows, BERLIN, values=ones)

    assert matrix.shape == (365, 24)
    assert matrix.index[0] == pd.Timestamp("2025-01-01")
    assert matrix.index[-1] == pd.Timestamp("2025-12-31")
    assert np.nansum(matrix.to_numpy()) == pytest.approx(len(time))  # nothing dropped or doubled
    missing = matrix.isna()
    assert int(missing.to_numpy().sum()) == 1
    assert bool(missing.loc["2025-03-30", 2])  # 02:00-03:00 did not happen on the spring day
    assert matrix.loc["2025-10-26", 2] == 2 * per_hour  # the repeated hour holds both hours
    ordinary = matrix.drop(index=[pd.Timestamp("2025-03-30"), pd.Timestamp("2025-10-26")])
    assert (ordinary.to_numpy() == per_hour).all()


def test_carpet_uses_local_clock_hours(week_flows) -> None:
    values = np.zeros(len(week_flows.time))
    summer_step = week_flows.time.get_loc(pd.Timestamp("2025-04-01 10:00", tz="UTC"))
    winter_step = week_flows.time.get_loc(pd.Timestamp("2025-03-28 10:00", tz="UTC"))
    values[summer_step], values[winter_step] = 5.0, 7.0

    matrix = carpet_matrix(week_flows, BERLIN, values=values)

    assert matrix.loc["2025-04-01", 12] == 5.0  # CEST = UTC+2
    assert matrix.loc["2025-03-28", 11] == 7.0  # CET = UTC+1
    assert np.nansum(matrix.to_numpy()) == 12.0


def test_carpet_defaults_to_net_import(week_flows) -> None:
    matrix = carpet_matrix(week_flows, BERLIN)
    net = week_flows.total("grid_import_kwh") - week_flows.total("grid_export_kwh")
    assert np.nansum(matrix.to_numpy()) == pytest.approx(net.sum())


def test_monthly_totals_use_local_calendar_months(year_flows) -> None:
    table = monthly_totals(
        year_flows, BERLIN, {"import": ("grid_import_kwh",), "gen": ("pv_kwh", "wind_kwh")}
    )
    assert list(table.index.astype(str)) == [f"2025-{m:02d}" for m in range(1, 13)]
    assert table["import"].sum() == pytest.approx(year_flows.total("grid_import_kwh").sum())
    gen = year_flows.total("pv_kwh") + year_flows.total("wind_kwh")
    assert table["gen"].sum() == pytest.approx(gen.sum())


def test_first_utc_step_of_a_berlin_year_is_january() -> None:
    time = year_index(2025, "1h", tz=BERLIN)
    assert time[0] == pd.Timestamp("2024-12-31 23:00", tz="UTC")
    table = monthly_sums(time, BERLIN, {"n": np.ones(len(time))})
    assert table.index[0] == pd.Period("2025-01", freq="M")
    assert table.loc[pd.Period("2025-01", freq="M"), "n"] == 31 * 24
    assert table.loc[pd.Period("2025-03", freq="M"), "n"] == 31 * 24 - 1
    assert table.loc[pd.Period("2025-10", freq="M"), "n"] == 31 * 24 + 1


@pytest.mark.parametrize(
    "index, expected",
    [
        (pd.period_range("2025-01", periods=3, freq="M"), ["Jan", "Feb", "Mar"]),
        (pd.Index(["2024-12", "2025-01"]), ["Dec 2024", "Jan 2025"]),
        (pd.DatetimeIndex(["2025-05-01", "2025-06-01"]), ["May", "Jun"]),
        (pd.Index(["winter", "summer"]), ["winter", "summer"]),
    ],
)
def test_month_labels(index: pd.Index, expected: list[str]) -> None:
    assert local_month_labels(index) == expected
