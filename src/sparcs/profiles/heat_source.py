"""Source temperatures of heat pumps: the outdoor air, or the ground for brine units.

An air-source heat pump takes heat from the outdoor air; a ground-source (brine) unit from
the ground, whose temperature follows the air's annual mean with a damped, delayed annual
swing (:func:`ground_source_temp_c`). The COPs built on them are in
:mod:`sparcs.profiles.heat_pump`.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from sparcs.climate.weather import Weather
from sparcs.errors import ScenarioError

__all__ = ["ground_source_temp_c", "source_temp_c"]


def ground_source_temp_c(
    time: pd.DatetimeIndex,
    annual_mean_air_c: float,
    *,
    latitude: float,
    amplitude_k: float = 3.0,
    lag_days: float = 45.0,
) -> np.ndarray:
    """Brine (ground-source) temperature over the year [degC].

    Parameters
    ----------
    time
        UTC index of the steps.
    annual_mean_air_c
        Annual mean air temperature of the site [degC].
    latitude
        Site latitude [deg]; selects the season (coldest air mid-January north of the
        equator, mid-July south of it).
    amplitude_k
        Half the annual swing of the source temperature [K].
    lag_days
        Delay of the ground's annual minimum behind the air's [d].

    Returns
    -------
    numpy.ndarray
        ``T = T_mean - A cos(2 pi (d - d_cold - lag) / 365.25)``, shape (time,) [degC].

    Notes
    -----
    Kusuda & Achenbach (1965): the undisturbed ground temperature is an annual sinusoid
    around the mean surface (air) temperature, damped and delayed with depth. At borehole
    and collector depths the swing is a few kelvin and the delay one to two months
    (VDI 4640-1 gives the near-constant undisturbed temperature below ~10-15 m as about the
    annual mean air temperature); 3 K and 45 d are mid values of that range.

    References
    ----------
    .. [1] T. Kusuda, P. R. Achenbach, "Earth temperature and thermal diffusivity at selected
       stations in the United States", ASHRAE Transactions 71(1), 61-75, 1965.
    .. [2] VDI 4640 Part 1, "Thermal use of the underground", Verein Deutscher Ingenieure.
    """
    day = np.asarray(time.dayofyear, dtype=float) + np.asarray(time.hour, dtype=float) / 24.0
    coldest_air_day = 15.0 if latitude >= 0 else 15.0 + 365.25 / 2.0
    phase = 2.0 * np.pi * (day - coldest_air_day - lag_days) / 365.25
    return annual_mean_air_c - amplitude_k * np.cos(phase)


def source_temp_c(weather: Weather, source: Literal["air", "ground"]) -> np.ndarray:
    """Source temperature of an air- or ground-source heat pump at a site, shape (time,) [degC].

    Air: the weather's ``temp_air``. Ground: :func:`ground_source_temp_c` around the mean
    ``temp_air`` of the weather (meant for a year of weather).
    """
    air = weather.data["temp_air"].to_numpy(dtype=float)
    if source == "air":
        return air
    if source == "ground":
        return ground_source_temp_c(weather.time, float(air.mean()), latitude=weather.latitude)
    msg = f"heat pump source {source!r} is not 'air' or 'ground'"
    raise ScenarioError(msg)
