"""The weather of a scenario: synthetic, embedded measured year, or a file."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from sparcs.climate.align import align_to_year
from sparcs.climate.embedded import embedded_cities, read_embedded
from sparcs.climate.epw import read_epw
from sparcs.climate.normals import ClimateNormals
from sparcs.climate.nsrdb import read_nsrdb_psm
from sparcs.climate.pvgis import read_pvgis_tmy
from sparcs.climate.site import check_site
from sparcs.climate.synthetic import synthetic_year
from sparcs.climate.weather import Weather
from sparcs.climate.weather_csv import read_weather_csv
from sparcs.data import get_city
from sparcs.errors import WeatherError
from sparcs.scenario.models import Scenario

__all__ = ["FORMATS", "load_weather", "read_weather_file"]

#: File formats and what they are read with.
FORMATS = ("epw", "pvgis", "nsrdb", "csv")


def _sniff(path: Path) -> str:
    """Format from the suffix, and for ``.csv`` from the first line."""
    suffix = path.suffix.lower()
    if suffix == ".epw":
        return "epw"
    if suffix == ".json":
        return "pvgis"
    if suffix != ".csv":
        msg = f"{path}: cannot tell the weather format from {suffix!r}; give one of {FORMATS}"
        raise WeatherError(msg)
    with path.open(encoding="utf-8", errors="replace") as handle:
        first = handle.readline()
    if first.startswith("Source,Location ID"):
        return "nsrdb"
    if first.startswith("Latitude (decimal degrees)"):
        return "pvgis"
    return "csv"


def read_weather_file(
    path: str | Path,
    fmt: str | None = None,
    *,
    timezone: str | None = None,
    latitude: float | None = None,
    longitude: float | None = None,
    repair: bool = True,
) -> Weather:
    """Read a weather file with the reader of its format.

    Parameters
    ----------
    path
        The file.
    fmt
        ``'epw'``, ``'pvgis'`` (CSV, JSON or EPW from PVGIS), ``'nsrdb'`` or ``'csv'`` (SPARCS
        generic CSV); default: from the suffix, and for ``.csv`` from the first line.
    timezone
        IANA zone of the site for local calendars.
    latitude, longitude
        Site [deg] for a generic CSV that does not name it.
    repair
        Make the documented small repairs; ``False`` raises instead.

    Returns
    -------
    Weather
        The file's series on its own time steps (UTC index), with the repairs made.
    """
    file = Path(path)
    if not file.is_file():
        msg = f"{file}: weather file not found"
        raise WeatherError(msg)
    kind = fmt or _sniff(file)
    if kind == "epw":
        return read_epw(file, timezone=timezone, repair=repair)
    if kind == "pvgis":
        return read_pvgis_tmy(file, timezone=timezone or "UTC", repair=repair)
    if kind == "nsrdb":
        return read_nsrdb_psm(file, timezone=timezone, repair=repair)
    if kind == "csv":
        return read_weather_csv(
            file, latitude=latitude, longitude=longitude, timezone=timezone, repair=repair
        )
    msg = f"{file}: unknown weather format {kind!r}; use one of {FORMATS}"
    raise WeatherError(msg)


def _synthetic(scenario: Scenario, normals: ClimateNormals | None) -> Weather:
    spec = scenario.weather
    params = normals or (
        ClimateNormals.from_city(get_city(scenario.site.city)) if scenario.site.city else None
    )
    if params is None:
        msg = (
            "a custom site (no embedded city) has no climate normals for a synthetic year; set "
            "[weather] source = 'file' with file = 'path/to/weather.epw' (EPW, PVGIS, NSRDB or "
            "SPARCS CSV), or pass normals=ClimateNormals(...) to load_weather"
        )
        raise WeatherError(msg)
    return synthetic_year(
        params, scenario.year, scenario.timestep, spec.seed, spec.temperature_offset_c
    )


def load_weather(scenario: Scenario, *, normals: ClimateNormals | None = None) -> Weather:
    """The weather of ``scenario`` on its year, step and local calendar.

    * ``synthetic`` (default): :func:`~sparcs.climate.synthetic.synthetic_year` from the
      city's normals (or ``normals`` for a custom site), seed ``weather.seed``.
    * ``embedded``: the measured NSRDB 2019 year of the city
      (:func:`~sparcs.climate.embedded.read_embedded`).
    * ``file``: :func:`read_weather_file` by ``weather.format`` or the file name.

    Measured years and files are moved onto the scenario year and step with
    :func:`~sparcs.climate.align.align_to_year`; ``weather.temperature_offset_c`` is added to
    their temperature too (and recorded).

    A file must belong to the site (:func:`~sparcs.climate.site.check_site`: coordinates,
    solar noon, seasons, the city's temperature normals).

    Parameters
    ----------
    scenario
        Scenario whose ``weather``, ``site``, ``year``, ``timestep`` and ``timezone`` are used.
    normals
        Climate normals of a custom site for a synthetic year; default: those of the city.

    Returns
    -------
    Weather
        ``ghi``, ``dni``, ``dhi`` [W/m2], ``temp_air`` [degC], ``wind_speed`` [m/s] on the
        steps of the scenario year (UTC index).

    Raises
    ------
    WeatherError
        Custom site without a file or normals; city without an embedded year; bad file; a
        file for another site.
    UnitError
        A file whose series fit a wrong unit.
    """
    spec = scenario.weather
    if spec.source == "synthetic":
        return _synthetic(scenario, normals)
    city = get_city(scenario.site.city) if scenario.site.city else None
    if spec.source == "embedded":
        if city is None:
            msg = (
                "weather source 'embedded' needs an embedded city; cities with a measured "
                f"year: {', '.join(embedded_cities())}"
            )
            raise WeatherError(msg)
        weather = read_embedded(city)
    else:
        latitude = scenario.site.latitude if city is None else city.latitude
        longitude = scenario.site.longitude if city is None else city.longitude
        # the scenario model refuses both cases; a hand-built scenario may not
        if spec.file is None:
            msg = "weather source 'file' needs [weather] file = 'path/to/weather.epw'"
            raise WeatherError(msg)
        if latitude is None or longitude is None:
            msg = "a weather file needs the site: set [site] city, or latitude and longitude"
            raise WeatherError(msg)
        weather = read_weather_file(
            spec.file,
            spec.format,
            timezone=scenario.timezone,
            latitude=latitude,
            longitude=longitude,
        )
        check_site(
            weather,
            latitude=float(latitude),
            longitude=float(longitude),
            source=str(spec.file),
            normals_c=tuple(city.temp_c) if city else None,
        )
    weather = align_to_year(weather, scenario.year, scenario.timestep, timezone=scenario.timezone)
    if spec.temperature_offset_c:
        data = weather.data.copy()
        data["temp_air"] += spec.temperature_offset_c
        note = (
            f"temp_air shifted by {spec.temperature_offset_c:+g} K (weather.temperature_offset_c)"
        )
        weather = replace(weather, data=data, repairs=(*weather.repairs, note))
    return weather
