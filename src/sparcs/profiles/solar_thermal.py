"""Flat-plate solar-collector heat output, vectorised across buildings.

Steady-state collector efficiency per EN ISO 9806:2017 (quadratic curve on the mean fluid
temperature, the same curve as the older EN 12975-2), on the plane-of-array irradiance of the
shared solar helper (:mod:`sparcs.profiles._solar`).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from sparcs.climate.weather import Weather
from sparcs.errors import ScenarioError
from sparcs.profiles._solar import (
    DEFAULT_ALBEDO,
    SolarGeometry,
    Transposition,
    as_columns,
    blocks,
    plane_of_array,
    solar_geometry,
    unique_rows,
)

__all__ = ["collector_efficiency", "solar_thermal_kw"]


def collector_efficiency(
    irradiance_w_m2: ArrayLike,
    delta_t_k: ArrayLike,
    eta0: ArrayLike,
    a1: ArrayLike,
    a2: ArrayLike,
) -> np.ndarray:
    """Useful heat per unit aperture area of a flat-plate collector [W/m2].

    Parameters
    ----------
    irradiance_w_m2
        Hemispherical irradiance on the collector plane ``G`` [W/m2].
    delta_t_k
        Mean fluid temperature minus ambient air temperature ``Tm - Ta`` [K].
    eta0
        Peak (optical) efficiency at ``Tm = Ta`` [-].
    a1
        Linear heat-loss coefficient [W/(m2 K)].
    a2
        Quadratic heat-loss coefficient [W/(m2 K2)].

    Returns
    -------
    numpy.ndarray
        ``max(0, eta0 G - a1 dT - a2 dT^2)`` with ``dT >= 0`` [W/m2], broadcast over the
        inputs.

    Notes
    -----
    EN ISO 9806:2017, steady-state model, eq. for the useful power per aperture area:
    ``Q/A = eta0 G - a1 (Tm - Ta) - a2 (Tm - Ta)^2``. The clip at 0 stands for the pump
    controller, which stops the loop when the collector would lose heat. Heat gained from
    air warmer than the fluid (``Tm < Ta``) is not credited (the loss terms use
    ``max(Tm - Ta, 0)``), so the output never exceeds the optical gain ``eta0 G`` and is zero
    without irradiance. Incidence-angle effects are neglected (``eta0`` is the
    normal-incidence value), which overstates the output by a few percent at low sun.

    References
    ----------
    .. [1] EN ISO 9806:2017, "Solar energy - Solar thermal collectors - Test methods",
       CEN, 2017.
    .. [2] J. A. Duffie, W. A. Beckman, "Solar Engineering of Thermal Processes", 4th ed.,
       Wiley, 2013, ch. 6 (flat-plate collectors).
    """
    g = np.asarray(irradiance_w_m2, dtype=float)
    dt = np.clip(np.asarray(delta_t_k, dtype=float), 0.0, None)
    q = np.asarray(eta0) * g - np.asarray(a1) * dt - np.asarray(a2) * dt * dt
    result: np.ndarray = np.clip(q, 0.0, None)
    return result


def solar_thermal_kw(
    weather: Weather,
    area_m2: ArrayLike,
    tilt_deg: ArrayLike,
    azimuth_deg: ArrayLike,
    eta0: ArrayLike,
    a1: ArrayLike,
    a2: ArrayLike,
    mean_fluid_temp_c: ArrayLike,
    *,
    transposition: Transposition = "perez",
    albedo: float = DEFAULT_ALBEDO,
    geometry: SolarGeometry | None = None,
) -> np.ndarray:
    """Heat output of ``n`` flat-plate collector fields at one site.

    Parameters
    ----------
    weather
        Site weather: ``ghi``, ``dni``, ``dhi`` [W/m2, interval means], ``temp_air`` [degC].
    area_m2
        Aperture area per field, shape (n,) or scalar [m2].
    tilt_deg
        Collector tilt from horizontal [deg].
    azimuth_deg
        Collector azimuth clockwise from north, 180 = south [deg].
    eta0
        Peak optical efficiency [-].
    a1
        Linear heat-loss coefficient [W/(m2 K)].
    a2
        Quadratic heat-loss coefficient [W/(m2 K2)].
    mean_fluid_temp_c
        Mean collector fluid temperature, held constant [degC].
    transposition
        Sky-diffuse model, ``"perez"`` or ``"haydavies"``.
    albedo
        Ground reflectance [-].
    geometry
        Sun position from :func:`sparcs.profiles._solar.solar_geometry`, to reuse across
        calls (e.g. with :func:`sparcs.profiles.pv.pv_ac_kw`); computed when omitted.

    Returns
    -------
    numpy.ndarray
        Heat delivered, shape (time, n) [kW, interval means], non-negative and finite.

    Raises
    ------
    ScenarioError
        When parameters have different lengths or are out of range.

    Notes
    -----
    ``P = A * max(0, eta0 G_poa - a1 (Tm - Ta) - a2 (Tm - Ta)^2) / 1000``
    (:func:`collector_efficiency`, EN ISO 9806:2017), with ``G_poa`` the plane-of-array
    global irradiance of :func:`sparcs.profiles._solar.plane_of_array`, computed once per
    distinct orientation. The fluid temperature is fixed; the storage and its temperature are
    the operation layer's business.
    """
    n, p = as_columns(
        area_m2=area_m2,
        tilt_deg=tilt_deg,
        azimuth_deg=azimuth_deg,
        eta0=eta0,
        a1=a1,
        a2=a2,
        mean_fluid_temp_c=mean_fluid_temp_c,
    )
    _check_ranges(p)
    out = np.empty((len(weather.time), n))
    if n == 0:
        return out
    geometry = solar_geometry(weather) if geometry is None else geometry
    temp_air = weather.data["temp_air"].to_numpy(dtype=float)[:, None]
    for block in blocks(n):
        (tilt, azimuth), orientation = unique_rows(p["tilt_deg"][block], p["azimuth_deg"][block])
        poa = plane_of_array(
            weather, geometry, tilt, azimuth, transposition=transposition, albedo=albedo
        )
        delta_t = p["mean_fluid_temp_c"][block] - temp_air
        q_w_m2 = collector_efficiency(
            poa.poa_global[:, orientation],
            delta_t,
            p["eta0"][block],
            p["a1"][block],
            p["a2"][block],
        )
        out[:, block] = q_w_m2 * p["area_m2"][block] / 1000.0
    return out


def _check_ranges(p: dict[str, np.ndarray]) -> None:
    """Raise a :class:`ScenarioError` naming the first parameter out of its range."""
    checks = (
        ("area_m2", p["area_m2"] >= 0.0, "must not be negative [m2]"),
        ("tilt_deg", (p["tilt_deg"] >= 0.0) & (p["tilt_deg"] <= 90.0), "must be 0..90 [deg]"),
        ("azimuth_deg", (p["azimuth_deg"] >= 0) & (p["azimuth_deg"] <= 360), "must be 0..360"),
        ("eta0", (p["eta0"] > 0.0) & (p["eta0"] <= 1.0), "must be in (0, 1]"),
        ("a1", p["a1"] >= 0.0, "must not be negative [W/(m2 K)]"),
        ("a2", p["a2"] >= 0.0, "must not be negative [W/(m2 K2)]"),
    )
    for name, ok, rule in checks:
        if not np.all(ok):
            bad = p[name][~ok][0]
            msg = f"solar thermal {name}: {bad:g} {rule}"
            raise ScenarioError(msg)
