"""The regression runs on an ingested weather forecast when there is one, and says so."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sparcs.climate import load_weather
from sparcs.live.cycle import operate_cycle
from sparcs.live.weather import horizon_weather, ingested_weather
from sparcs.monitoring.ingest import MeterSpec
from sparcs.profiles.build import build_inputs
from sparcs.profiles.inputs import Inputs
from sparcs.scenario import Scenario, load_scenario
from sparcs.store import Store, ingest_file, open_store

ROOT = Path(__file__).resolve().parents[2]
NOW = pd.Timestamp("2025-04-15T12:00Z")
HOUR = pd.Timedelta(hours=1)
METERS = {
    "school": MeterSpec(
        id="school", node="escola-basica", quantity="electricity_demand_kwh", unit="kWh"
    ),
    "t": MeterSpec(id="t", node="porto-airport", quantity="temp_air_c", unit="degC"),
    "g": MeterSpec(id="g", node="porto-airport", quantity="ghi_w_m2", unit="W/m2"),
}


@pytest.fixture(scope="module")
def district() -> tuple[Scenario, Inputs]:
    scenario = load_scenario(ROOT / "examples" / "maia-solar-schools.toml")
    return scenario, build_inputs(scenario, load_weather(scenario))


def _ingest(
    store: Store, folder: Path, rows: dict[str, tuple[pd.DatetimeIndex, np.ndarray]]
) -> None:
    frame = pd.concat(
        [pd.DataFrame({"time": t, "meter": m, "value": v}) for m, (t, v) in rows.items()]
    )
    path = folder / "readings.csv"
    frame.to_csv(path, index=False, date_format="%Y-%m-%dT%H:%M:%SZ")
    ingest_file(store, path, METERS)


def _history(store: Store, folder: Path) -> None:
    """28 days of a school whose demand is 2 kWh + 0.5 kWh per degree below 15 °C."""
    past = pd.date_range(NOW - 28 * 24 * HOUR, NOW - HOUR, freq="h")
    temperature = 10.0 + 8.0 * np.sin(2 * np.pi * np.arange(past.size) / 37.0)
    demand = 2.0 + 0.5 * np.maximum(15.0 - temperature, 0.0)
    zeros = np.zeros(past.size)
    _ingest(store, folder, {"school": (past, demand), "t": (past, temperature), "g": (past, zeros)})


def test_the_regression_takes_the_ingested_forecast(
    district: tuple[Scenario, Inputs], tmp_path: Path
) -> None:
    scenario, inputs = district
    with open_store(tmp_path / "w.duckdb") as store:
        _history(store, tmp_path)
        year = operate_cycle(
            scenario, store, inputs, now=NOW, horizon_h=12, forecaster="regression"
        )
        # a weather service says 5 °C and no sun for the next 12 hours
        ahead = pd.date_range(NOW, periods=12, freq="h")
        _ingest(store, tmp_path, {"t": (ahead, np.full(12, 5.0)), "g": (ahead, np.zeros(12))})
        cycle = operate_cycle(
            scenario, store, inputs, now=NOW, horizon_h=12, forecaster="regression"
        )
    key = ("electricity_demand_kwh", "escola-basica")
    # by hand: 2 + 0.5 * (15 - 5) = 7 kWh in every step
    np.testing.assert_allclose(cycle.forecast_kwh[key], 7.0, atol=1e-6)
    assert cycle.forecaster["electricity_demand_kwh"] == "regression"
    assert cycle.weather == (
        "temp_air_c: ingested forecast (12 of 12 steps); "
        "ghi_w_m2: ingested forecast (12 of 12 steps)"
    )
    assert cycle.as_dict()["weather"] == cycle.weather
    # without a forecast the scenario's weather year drives the same fit, and it is said
    assert year.weather.startswith("temp_air_c: the scenario weather year")
    weather_year = inputs.weather.data["temp_air"].reindex(year.time).to_numpy()
    expected = 2.0 + 0.5 * np.maximum(15.0 - weather_year, 0.0)
    np.testing.assert_allclose(year.forecast_kwh[key], expected, atol=1e-6)


def test_a_short_forecast_covers_its_steps_and_the_year_the_rest(
    district: tuple[Scenario, Inputs], tmp_path: Path
) -> None:
    scenario, inputs = district
    time = inputs.time[inputs.time.searchsorted(NOW) :][:6]
    with open_store(tmp_path / "w.duckdb") as store:
        # 15-min forecast values average to the hour; one hour missing in the middle
        quarter = pd.date_range(NOW, periods=16, freq="15min")
        values = np.repeat([4.0, 8.0, np.nan, 6.0], 4)
        keep = np.isfinite(values)
        _ingest(
            store, tmp_path, {"t": (quarter[keep], values[keep] + np.tile([-1, 1, -1, 1], 4)[keep])}
        )
        table = ingested_weather(store, NOW - 2 * HOUR, NOW + 6 * HOUR, HOUR)
    assert table["temp_air_c"].tolist() == [4.0, 8.0, 6.0]
    weather, said = horizon_weather(table, inputs, time[:0], time)
    year = inputs.weather.data["temp_air"].reindex(time).to_numpy()
    # the gap inside the forecast interpolated (7 °C), nothing past its last value
    np.testing.assert_allclose(weather.temperature_c, [4.0, 8.0, 7.0, 6.0, *year[4:]])
    assert said == (
        "temp_air_c: ingested forecast (4 of 6 steps), the scenario weather year for the rest; "
        "ghi_w_m2: the scenario weather year"
    )
