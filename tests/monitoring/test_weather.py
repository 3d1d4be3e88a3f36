"""Measured weather: ingested like meters (same checks), laid over the scenario's weather."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sparcs.climate.weather import Weather
from sparcs.errors import ScenarioError
from sparcs.monitoring.ingest import load_meter_map
from sparcs.monitoring.quality import FLAGS
from sparcs.monitoring.weather import heating_degree_days, measured_weather
from sparcs.store import ingest_file, open_store

WEATHER_MAP = """
[[meters]]
id = "station-t"
node = "kumpula"
quantity = "temp_air_c"
unit = "degC"
resolution = "PT1H"

[[meters]]
id = "station-ghi"
node = "kumpula"
quantity = "ghi_w_m2"
unit = "W/m2"
resolution = "PT1H"
"""


def _base(hours: int = 48) -> Weather:
    time = pd.date_range("2025-01-01", periods=hours, freq="h", tz="UTC", name="time")
    data = pd.DataFrame(
        {
            "ghi": np.full(hours, 100.0),
            "dni": np.full(hours, 60.0),
            "dhi": np.full(hours, 40.0),
            "temp_air": np.full(hours, 5.0),
            "wind_speed": np.full(hours, 3.0),
        },
        index=time,
    )
    return Weather(data, 60.2, 24.9, 10.0, "Europe/Helsinki", "synthetic test year")


def test_weather_meters_are_ingested_with_the_same_checks(tmp_path: Path) -> None:
    meters = load_meter_map(_write(tmp_path, "weather.toml", WEATHER_MAP))
    stamps = pd.date_range("2025-01-01", periods=48, freq="h", tz="UTC")
    temps = np.round(-8 + 2 * np.sin(np.arange(48) / 4), 2)
    temps[30] = 45.0  # a spike: flagged, kept as read
    lines = ["time,meter,value"]
    lines += [f"{t:%Y-%m-%dT%H:%MZ},station-t,{v}" for t, v in zip(stamps, temps, strict=True)]
    lines += [f"{stamps[0]:%Y-%m-%dT%H:%MZ},station-t,{temps[0]}"]  # a duplicate
    path = _write(tmp_path, "weather.csv", "\n".join(lines) + "\n")
    with open_store(str(tmp_path / "w.duckdb")) as store:
        result = ingest_file(store, path, meters, now=pd.Timestamp("2026-01-01", tz="UTC"))
        again = ingest_file(store, path, meters, now=pd.Timestamp("2026-01-01", tz="UTC"))
        stored = store.readings(["station-t"])
    assert (result.accepted, result.duplicates, again.accepted) == (48, 1, 0)
    assert result.flagged == {"spike": 1}  # below zero is a temperature, not "negative"
    assert stored["value"].to_numpy().tolist() == temps.tolist()  # a flag never changes a value
    assert int(stored["flags"].iloc[30]) == FLAGS["spike"]


def test_weather_units_must_fit_their_quantity(tmp_path: Path) -> None:
    wrong = WEATHER_MAP.replace('unit = "degC"', 'unit = "kWh"')
    with pytest.raises(ScenarioError, match="temp_air_c.*is weather: give unit = 'degC'"):
        load_meter_map(_write(tmp_path, "wrong.toml", wrong))
    energy = WEATHER_MAP.replace('quantity = "temp_air_c"', 'quantity = "pv_kwh"')
    with pytest.raises(ScenarioError, match="unit 'degC' is for weather"):
        load_meter_map(_write(tmp_path, "energy.toml", energy))


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_measured_weather_overlays_fills_short_gaps_and_leaves_flagged_out() -> None:
    base = _base()
    start, end = base.time[0], base.time[0] + pd.Timedelta(hours=48)
    stamps = pd.date_range(start, periods=48, freq="h")
    value = np.linspace(-10.0, -5.3, 48)
    flags = np.zeros(48, dtype=np.int32)
    flags[5] = FLAGS["spike"]  # left out, then filled from its neighbours
    keep = np.ones(48, dtype=bool)
    keep[10:13] = False  # 3 hours missing: filled linearly
    keep[20:30] = False  # 10 hours missing: the scenario's 5 °C stays
    readings = pd.DataFrame(
        {"meter": "t", "time": stamps[keep], "value": value[keep], "flags": flags[keep]}
    )
    ghi = pd.DataFrame(
        {"meter": "g", "time": stamps, "value": np.full(48, 50.0), "flags": np.zeros(48, int)}
    )
    meters = pd.DataFrame({"id": ["t", "g"], "quantity": ["temp_air_c", "ghi_w_m2"]})
    found = measured_weather(pd.concat([readings, ghi]), meters, base, start=start, end=end)
    assert found is not None
    temp = found.weather.data["temp_air"].to_numpy()
    expected = value.copy()
    expected[20:30] = 5.0
    np.testing.assert_allclose(temp, expected, atol=1e-12)
    assert found.measured == {"ghi_w_m2": 48, "temp_air_c": 38}
    assert found.filled == {"ghi_w_m2": 0, "temp_air_c": 4}
    assert found.left_out == {"ghi_w_m2": 0, "temp_air_c": 1}
    # measured irradiance halves the global value: direct and diffuse follow
    assert found.weather.data["ghi"].tolist() == [50.0] * 48
    assert found.weather.data["dni"].tolist() == [30.0] * 48
    assert found.weather.data["dhi"].tolist() == [20.0] * 48
    assert "measured weather from the store" in found.weather.source
    assert "temp_air from meter(s) t: 38 of 48 steps" in found.describe()
    # no weather meter: nothing to lay over
    assert measured_weather(readings.iloc[:0], meters, base, start=start, end=end) is None


def test_heating_degree_days_by_hand() -> None:
    hours = pd.date_range("2025-01-31T22:00", periods=4, freq="h", tz="UTC")
    temp = pd.Series([15.5, 3.5, -8.5, 20.0], index=hours)
    # per hour: 0, 12, 24, 0 K times 1/24 d; the UTC hours 22, 23 are January in Helsinki
    # only until 22:00 UTC (= 00:00 local on 1 February)
    got = heating_degree_days(temp, timezone="Europe/Helsinki")
    assert got == {"total": 1.5, "2025-02": 1.5}
    assert heating_degree_days(temp, timezone="UTC") == {
        "total": 1.5,
        "2025-01": 0.5,
        "2025-02": 1.0,
    }
