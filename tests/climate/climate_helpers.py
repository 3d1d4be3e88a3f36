"""Paths and helpers shared by the climate tests (imported by name; not fixtures)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pandas as pd

from sparcs.climate import Weather, synthetic_year

DATA = Path(__file__).resolve().parents[1] / "data"
NSRDB_3DAYS = DATA / "nsrdb_prague_2019_3days.csv"
EPW_3DAYS = DATA / "epw_prague_2019_3days.epw"
PVGIS_JSON_3DAYS = DATA / "pvgis_tmy_prague_2019_3days.json"
CSV_3DAYS = DATA / "weather_prague_2019_3days.csv"
EMBEDDED_PRAGUE = (
    Path(__file__).resolve().parents[2]
    / "src"
    / "sparcs"
    / "data"
    / "weather"
    / "nsrdb_2019_prague.csv"
)


@cache
def synthetic(city: str, step: str = "1h", seed: int = 1, year: int = 2025) -> Weather:
    """Synthetic years, generated once per session; tests must not modify them."""
    return synthetic_year(city, year, step, seed=seed)


def local_month(weather: Weather, zone: str) -> pd.Index:
    """Local calendar month of each (period-beginning) step."""
    return weather.time.tz_convert(zone).month


def embedded_prague_samples() -> tuple[pd.DataFrame, dict]:
    """The embedded hourly Prague year as 'samples' for the format writers."""
    table = pd.read_csv(EMBEDDED_PRAGUE, comment="#")
    table.index = pd.to_datetime(table.pop("time"), utc=True, format="ISO8601")
    table["wind_direction"] = 270.0  # not in the embedded file; the formats need a value
    table["pressure"] = 1000.0  # likewise [mbar]
    meta = {"Latitude": 50.09, "Longitude": 14.42, "Elevation": 202, "Location ID": "804583"}
    return table, meta


def write_lines(folder: Path, lines: list[str], name: str = "station.csv") -> Path:
    """Write ``lines`` to ``folder/name`` and return the path."""
    path = folder / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
