"""Small wind-turbine output, vectorised across turbines.

Wind speed is moved from the measurement height (10 m) to the hub with the logarithmic
profile, then passed through a generic power curve: cubic between cut-in and rated speed,
flat at rated power up to cut-out, zero beyond.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from sparcs.climate.weather import Weather
from sparcs.errors import ScenarioError
from sparcs.profiles._solar import as_columns

__all__ = ["MEASUREMENT_HEIGHT_M", "generic_power_curve", "log_law_wind_speed", "wind_kw"]

#: Height of ``Weather.data['wind_speed']`` [m] (WMO standard anemometer height).
MEASUREMENT_HEIGHT_M = 10.0


def log_law_wind_speed(
    wind_speed_m_s: ArrayLike,
    hub_height_m: ArrayLike,
    roughness_m: ArrayLike,
    measurement_height_m: float = MEASUREMENT_HEIGHT_M,
) -> np.ndarray:
    """Wind speed at hub height from the logarithmic wind profile [m/s].

    Parameters
    ----------
    wind_speed_m_s
        Wind speed at ``measurement_height_m`` [m/s].
    hub_height_m
        Hub height [m].
    roughness_m
        Terrain roughness length ``z0`` [m] (open field ~0.03, suburbs ~0.5, city ~1).
    measurement_height_m
        Height of the given wind speed [m].

    Returns
    -------
    numpy.ndarray
        ``v * ln(h / z0) / ln(h_ref / z0)`` [m/s], broadcast over the inputs, never negative.

    Notes
    -----
    Neutral-stability logarithmic profile without displacement height (Manwell et al. 2009,
    ch. 2; the same form as windpowerlib's ``logarithmic_profile``). Both heights must exceed
    ``z0``.

    References
    ----------
    .. [1] J. F. Manwell, J. G. McGowan, A. L. Rogers, "Wind Energy Explained", 2nd ed.,
       Wiley, 2009, ch. 2 (wind speed variation with height).
    """
    z0 = np.asarray(roughness_m, dtype=float)
    hub = np.asarray(hub_height_m, dtype=float)
    if np.any(z0 <= 0) or np.any(hub <= z0) or np.any(measurement_height_m <= z0):
        msg = (
            "wind: roughness length must be > 0 and below both the hub height and the "
            f"measurement height ({measurement_height_m:g} m)"
        )
        raise ScenarioError(msg)
    factor = np.log(hub / z0) / np.log(measurement_height_m / z0)
    result: np.ndarray = np.clip(np.asarray(wind_speed_m_s, dtype=float), 0.0, None) * factor
    return result


def generic_power_curve(
    wind_speed_m_s: ArrayLike,
    cut_in_m_s: ArrayLike,
    rated_m_s: ArrayLike,
    cut_out_m_s: ArrayLike,
) -> np.ndarray:
    """Output of a turbine as a share of its rated power [-].

    Parameters
    ----------
    wind_speed_m_s
        Wind speed at hub height [m/s].
    cut_in_m_s
        Cut-in speed [m/s].
    rated_m_s
        Speed at which rated power is reached [m/s].
    cut_out_m_s
        Cut-out (storm shut-down) speed [m/s].

    Returns
    -------
    numpy.ndarray
        Share of rated power in [0, 1], broadcast over the inputs.

    Notes
    -----
    Cubic power-curve model (Carrillo et al. 2013):
    ``(v^3 - v_ci^3) / (v_r^3 - v_ci^3)`` for ``v_ci <= v < v_r``, 1 for
    ``v_r <= v <= v_co``, 0 below cut-in and above cut-out. It is continuous at cut-in and
    rated speed, and follows the ``v^3`` law of the power in the wind.

    References
    ----------
    .. [1] C. Carrillo, A. F. Obando Montano, J. Cidras, E. Diaz-Dorado, "Review of power
       curve modelling for wind turbines", Renewable and Sustainable Energy Reviews 21,
       572-581, 2013.
    """
    v = np.asarray(wind_speed_m_s, dtype=float)
    v_ci = np.asarray(cut_in_m_s, dtype=float)
    v_r = np.asarray(rated_m_s, dtype=float)
    v_co = np.asarray(cut_out_m_s, dtype=float)
    # below cut-in the cubic is negative and above rated speed it exceeds 1: the clip gives
    # both flat parts of the curve; only the storm cut-out needs its own mask.
    share = np.clip((v * v * v - v_ci**3) / (v_r**3 - v_ci**3), 0.0, 1.0)
    return np.where(v > v_co, 0.0, share)


def wind_kw(
    weather: Weather,
    capacity_kw: ArrayLike,
    hub_height_m: ArrayLike,
    cut_in_m_s: ArrayLike,
    rated_m_s: ArrayLike,
    cut_out_m_s: ArrayLike,
    roughness_m: ArrayLike,
    *,
    measurement_height_m: float = MEASUREMENT_HEIGHT_M,
) -> np.ndarray:
    """Electric output of ``n`` small wind turbines at one site.

    Parameters
    ----------
    weather
        Site weather with ``wind_speed`` at ``measurement_height_m`` [m/s].
    capacity_kw
        Rated power per turbine, shape (n,) or scalar [kW].
    hub_height_m
        Hub height [m].
    cut_in_m_s, rated_m_s, cut_out_m_s
        Power-curve speeds [m/s], ``cut_in < rated <= cut_out``.
    roughness_m
        Terrain roughness length [m].
    measurement_height_m
        Height of the weather's wind speed [m].

    Returns
    -------
    numpy.ndarray
        Output, shape (time, n) [kW, interval means], in ``[0, capacity_kw]``.

    Raises
    ------
    ScenarioError
        When parameters have different lengths or the speeds are not ordered.

    Notes
    -----
    ``P = capacity * curve(v10 * ln(h / z0) / ln(10 / z0))`` (:func:`log_law_wind_speed`,
    :func:`generic_power_curve`). Applying the curve to interval-mean speeds ignores the
    turbulence within the interval, which lowers energy below cut-in/rated in hourly data.
    """
    n, p = as_columns(
        capacity_kw=capacity_kw,
        hub_height_m=hub_height_m,
        cut_in_m_s=cut_in_m_s,
        rated_m_s=rated_m_s,
        cut_out_m_s=cut_out_m_s,
        roughness_m=roughness_m,
    )
    if np.any(p["capacity_kw"] < 0):
        msg = "wind capacity_kw must not be negative"
        raise ScenarioError(msg)
    ordered = (p["cut_in_m_s"] >= 0) & (p["cut_in_m_s"] < p["rated_m_s"])
    if not np.all(ordered & (p["rated_m_s"] <= p["cut_out_m_s"])):
        msg = "wind power curve needs 0 <= cut_in_m_s < rated_m_s <= cut_out_m_s"
        raise ScenarioError(msg)
    if n == 0:
        return np.zeros((len(weather.time), 0))
    v10 = weather.data["wind_speed"].to_numpy(dtype=float)[:, None]
    v_hub = log_law_wind_speed(v10, p["hub_height_m"], p["roughness_m"], measurement_height_m)
    share = generic_power_curve(v_hub, p["cut_in_m_s"], p["rated_m_s"], p["cut_out_m_s"])
    result: np.ndarray = share * p["capacity_kw"]
    return result
