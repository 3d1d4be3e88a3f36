"""Weather for SPARCS: synthetic years from climate normals, measured years, file readers.

Every function returns a :class:`Weather`: ``ghi``, ``dni``, ``dhi`` [W/m2], ``temp_air``
[degC], ``wind_speed`` [m/s] on a UTC index with period-beginning labels.

* :func:`load_weather` -- the weather of a scenario (synthetic, embedded or file);
* :func:`synthetic_year` -- a seeded synthetic year from monthly normals;
* :func:`read_epw`, :func:`read_pvgis_tmy`, :func:`read_nsrdb_psm`, :func:`read_weather_csv`
  -- one reader per format, :func:`read_weather_file` picks one;
* :func:`align_to_year` -- a measured or typical year onto a scenario year and step;
* :func:`check_weather` -- the quality checks and documented repairs every reader applies.
"""

from __future__ import annotations

from sparcs.climate.align import align_to_year, resample_weather
from sparcs.climate.embedded import embedded_cities, read_embedded
from sparcs.climate.epw import read_epw
from sparcs.climate.load import load_weather, read_weather_file
from sparcs.climate.normals import ClimateNormals
from sparcs.climate.nsrdb import read_nsrdb_psm
from sparcs.climate.pvgis import read_pvgis_tmy
from sparcs.climate.quality import check_weather
from sparcs.climate.synthetic import daily_mean_sigma_c, synthetic_clear_sky, synthetic_year
from sparcs.climate.weather import WEATHER_COLUMNS, Weather
from sparcs.climate.weather_csv import read_weather_csv

__all__ = [
    "ClimateNormals",
    "WEATHER_COLUMNS",
    "Weather",
    "align_to_year",
    "check_weather",
    "daily_mean_sigma_c",
    "embedded_cities",
    "load_weather",
    "read_embedded",
    "read_epw",
    "read_nsrdb_psm",
    "read_pvgis_tmy",
    "read_weather_csv",
    "read_weather_file",
    "resample_weather",
    "synthetic_clear_sky",
    "synthetic_year",
]
