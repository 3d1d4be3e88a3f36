"""Measured weather years shipped with SPARCS (``sparcs/data/weather/``).

Three NSRDB 2019 years, cut from 15 minutes to hourly means, stand in for the cities next to
them: Potsdam for Leipzig, Athens for Kifissia, Prague for Kladno (provenance and the NSRDB
attribution in ``sparcs/data/weather/SOURCES.md``). They are stored in the generic weather CSV
format (:mod:`sparcs.climate.weather_csv`), in UTC.
"""

from __future__ import annotations

from importlib import resources

from sparcs.climate.weather import Weather
from sparcs.climate.weather_csv import read_weather_csv
from sparcs.data import City, city_names, get_city
from sparcs.errors import WeatherError

__all__ = ["embedded_cities", "read_embedded"]


def embedded_cities() -> tuple[str, ...]:
    """Keys of the cities that have an embedded measured year.

    Returns
    -------
    tuple of str
        City keys, in the order of :func:`sparcs.data.city_names`.
    """
    return tuple(key for key in city_names() if get_city(key).embedded_weather)


def read_embedded(city: str | City) -> Weather:
    """Read the embedded measured year of ``city`` (hourly, UTC, year 2019).

    The weather keeps the coordinates of the measurement site and takes the time zone of the
    city. Move it onto a scenario year with :func:`~sparcs.climate.align.align_to_year`.

    Parameters
    ----------
    city
        An embedded city key (e.g. ``"espoo"``) or a :class:`sparcs.data.City`.

    Returns
    -------
    Weather
        ``ghi``, ``dni``, ``dhi`` [W/m2], ``temp_air`` [degC], ``wind_speed`` [m/s] of 2019,
        hourly on a UTC index.

    Raises
    ------
    ScenarioError
        Unknown city.
    WeatherError
        The city has no embedded measured year (the message names those that have one).
    """
    entry = get_city(city) if isinstance(city, str) else city
    if not entry.embedded_weather:
        msg = (
            f"city {entry.key!r} has no embedded measured weather year; cities with one: "
            f"{', '.join(embedded_cities())}. Use weather source 'synthetic' or a file"
        )
        raise WeatherError(msg)
    resource = resources.files("sparcs.data").joinpath("weather", entry.embedded_weather)
    with resources.as_file(resource) as path:
        return read_weather_csv(path, timezone=entry.timezone)
