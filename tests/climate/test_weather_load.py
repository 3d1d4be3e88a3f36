"""load_weather honours the scenario's weather settings, year, step and calendar."""

from __future__ import annotations

from typing import Any

import pytest

from sparcs.climate import ClimateNormals, embedded_cities, load_weather, read_embedded
from sparcs.errors import WeatherError
from sparcs.scenario import scenario_from_dict
from sparcs.timeseries import year_index


def _scenario(site: dict[str, Any], weather: dict[str, Any] | None = None, **extra: Any):
    return scenario_from_dict({"name": "test", "site": site, "weather": weather or {}, **extra})


def test_default_is_a_synthetic_year_of_the_city() -> None:
    weather = load_weather(_scenario({"city": "espoo"}, year=2026, timestep="15min"))
    assert weather.synthetic and weather.source.endswith("(espoo), seed 1")
    assert weather.time.equals(year_index(2026, "15min", "Europe/Helsinki"))


def test_synthetic_seed_and_offset_are_used() -> None:
    base = load_weather(_scenario({"city": "maia"}, {"seed": 5}))
    warm = load_weather(_scenario({"city": "maia"}, {"seed": 5, "temperature_offset_c": 1.0}))
    assert base.source.endswith("seed 5")
    assert (warm.data["temp_air"] - base.data["temp_air"]).round(9).eq(1.0).all()


@pytest.mark.parametrize("city", ["leipzig", "kifissia", "kladno"])
def test_embedded_measured_year_on_the_scenario_calendar(city: str) -> None:
    scenario = _scenario({"city": city}, {"source": "embedded"}, year=2025, timestep="15min")
    weather = load_weather(scenario)
    assert not weather.synthetic and "NSRDB" in weather.source
    assert weather.time.equals(year_index(2025, "15min", scenario.timezone))
    assert weather.timezone == scenario.timezone
    measured = read_embedded(city)
    assert weather.data["ghi"].sum() / 4 == pytest.approx(measured.data["ghi"].sum(), rel=1e-9)
    assert weather.repairs[-1] == "relabelled from 2019 onto 2025 (same UTC month, day, time)"


def test_embedded_year_is_only_for_three_cities() -> None:
    assert embedded_cities() == ("leipzig", "kifissia", "kladno")
    with pytest.raises(
        WeatherError,
        match="'espoo' has no embedded measured weather year; cities "
        "with one: leipzig, kifissia, kladno",
    ):
        load_weather(_scenario({"city": "espoo"}, {"source": "embedded"}))
    custom = {"latitude": 50.0, "longitude": 10.0, "timezone": "Europe/Berlin"}
    with pytest.raises(
        WeatherError,
        match="needs an embedded city; cities with a measured year: leipzig, kifissia, kladno",
    ):
        load_weather(_scenario(custom, {"source": "embedded"}))


def test_file_is_read_by_format_and_aligned(pvgis_csv_year) -> None:
    site = {"latitude": 50.09, "longitude": 14.42, "timezone": "Europe/Prague"}
    for fmt in (None, "pvgis"):
        spec = {"source": "file", "file": str(pvgis_csv_year), "format": fmt}
        weather = load_weather(_scenario(site, spec, year=2027, timestep="1h"))
        assert weather.time.equals(year_index(2027, "1h", "Europe/Prague"))
        assert "PVGIS TMY" in weather.source and weather.timezone == "Europe/Prague"
        assert any(note.startswith("typical year (Jan 2018") for note in weather.repairs)
        assert weather.repairs[-1] == "relabelled from 1990 onto 2027 (same UTC month, day, time)"
    spec = {"source": "file", "file": str(pvgis_csv_year), "temperature_offset_c": -2.0}
    cooler = load_weather(_scenario(site, spec, year=2027))
    assert cooler.repairs[-1] == "temp_air shifted by -2 K (weather.temperature_offset_c)"
    assert cooler.data["temp_air"].mean() == pytest.approx(weather.data["temp_air"].mean() - 2)


def test_custom_site_needs_a_file_or_normals() -> None:
    site = {"latitude": 47.0, "longitude": 8.0, "timezone": "Europe/Zurich"}
    with pytest.raises(WeatherError, match="custom site .* set \\[weather\\] source = 'file'"):
        load_weather(_scenario(site))
    normals = ClimateNormals(
        "zurich",
        47.0,
        8.0,
        450.0,
        "Europe/Zurich",
        (0, 1, 5, 9, 13, 17, 19, 18, 15, 10, 5, 1),
        (3,) * 12,
        (30, 50, 90, 120, 150, 160, 170, 145, 105, 65, 35, 25),
        2.5,
    )
    weather = load_weather(_scenario(site), normals=normals)
    assert weather.synthetic and weather.time.equals(year_index(2025, "1h", "Europe/Zurich"))


def test_public_api_is_sorted_and_exported() -> None:
    import sparcs.climate as climate

    assert climate.__all__ == sorted(climate.__all__)
    for name in climate.__all__:
        assert hasattr(climate, name), name
