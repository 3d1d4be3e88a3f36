"""Solar geometry and plane-of-array irradiance shared by PV and solar-thermal profiles.

Weather labels are period-beginning, so the sun is placed at the **midpoint** of each
interval: a label ``t`` with step ``dt`` stands for ``[t, t + dt)`` and its irradiance is the
mean over that interval. The plane-of-array (POA) irradiance is computed once per distinct
orientation, as arrays shaped (time, orientation), and callers scale it per building.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
import pvlib
from numpy.typing import ArrayLike

from sparcs.climate.solar import solar_position
from sparcs.climate.weather import Weather
from sparcs.errors import ScenarioError

__all__ = [
    "DEFAULT_ALBEDO",
    "PlaneOfArray",
    "SolarGeometry",
    "Transposition",
    "as_columns",
    "blocks",
    "cos_incidence",
    "plane_of_array",
    "solar_geometry",
    "unique_rows",
]

#: Ground reflectance for the ground-reflected POA component [-]: "grass" in pvlib's
#: ``SURFACE_ALBEDOS`` and the usual PVWatts default.
DEFAULT_ALBEDO = 0.2

Transposition = Literal["perez", "haydavies"]

#: Columns per block in :func:`blocks`: bounds peak memory at ~ 10 arrays x time x block
#: floats when many buildings have distinct orientations.
_BLOCK = 128


@dataclass(frozen=True)
class SolarGeometry:
    """Sun position and sky quantities at interval midpoints, one value per time step.

    Attributes
    ----------
    apparent_zenith
        Refraction-corrected solar zenith at the interval midpoint [deg].
    azimuth
        Solar azimuth, clockwise from north [deg].
    dni_extra
        Extraterrestrial normal irradiance [W/m2].
    airmass_relative
        Relative air mass (Kasten & Young 1989), NaN when the sun is down [-].
    """

    apparent_zenith: np.ndarray
    azimuth: np.ndarray
    dni_extra: np.ndarray
    airmass_relative: np.ndarray


@dataclass(frozen=True)
class PlaneOfArray:
    """Plane-of-array irradiance, arrays shaped (time, orientation).

    Attributes
    ----------
    poa_global, poa_direct, poa_diffuse
        Total, beam and diffuse (sky + ground) irradiance on the plane [W/m2, interval mean].
    cos_aoi
        Cosine of the beam's angle of incidence on the plane at the interval midpoint,
        negative when the sun is behind the plane [-].
    """

    poa_global: np.ndarray
    poa_direct: np.ndarray
    poa_diffuse: np.ndarray
    cos_aoi: np.ndarray


def solar_geometry(weather: Weather) -> SolarGeometry:
    """Compute the sun's position at the midpoint of every weather interval.

    Parameters
    ----------
    weather
        Site weather with period-beginning UTC labels.

    Returns
    -------
    SolarGeometry

    Notes
    -----
    Solar position: :func:`sparcs.climate.solar.solar_position` (NREL SPA, Reda & Andreas
    2004, at the site elevation). Extraterrestrial irradiance: Spencer (1971).
    Relative air mass: Kasten & Young (1989) on the apparent zenith.

    References
    ----------
    .. [1] I. Reda, A. Andreas, "Solar position algorithm for solar radiation applications",
       Solar Energy 76(5), 577-589, 2004.
    .. [2] F. Kasten, A. T. Young, "Revised optical air mass tables and approximation formula",
       Applied Optics 28(22), 4735-4738, 1989.
    .. [3] J. W. Spencer, "Fourier series representation of the position of the sun",
       Search 2(5), 172, 1971.
    """
    midpoints = weather.time + pd.Timedelta(hours=weather.dt_h / 2.0)
    position = solar_position(
        midpoints, weather.latitude, weather.longitude, elevation_m=weather.elevation_m
    )
    zenith = position["apparent_zenith"].to_numpy(dtype=float)
    dni_extra = np.asarray(pvlib.irradiance.get_extra_radiation(midpoints), dtype=float)
    airmass = np.asarray(
        pvlib.atmosphere.get_relative_airmass(zenith, model="kastenyoung1989"), dtype=float
    )
    return SolarGeometry(
        apparent_zenith=zenith,
        azimuth=position["azimuth"].to_numpy(dtype=float),
        dni_extra=dni_extra,
        airmass_relative=airmass,
    )


def plane_of_array(
    weather: Weather,
    geometry: SolarGeometry,
    tilt_deg: np.ndarray,
    azimuth_deg: np.ndarray,
    *,
    transposition: Transposition = "perez",
    albedo: float = DEFAULT_ALBEDO,
) -> PlaneOfArray:
    """Transpose horizontal irradiance onto ``k`` planes at once.

    Parameters
    ----------
    weather
        Site weather (``ghi``, ``dni``, ``dhi`` [W/m2]).
    geometry
        Sun position for the same weather, from :func:`solar_geometry`.
    tilt_deg
        Plane tilts from horizontal, shape (k,) [deg].
    azimuth_deg
        Plane azimuths clockwise from north (180 = south), shape (k,) [deg].
    transposition
        Sky-diffuse model: ``"perez"`` (Perez et al. 1990, all-sites composite 1990
        coefficients) or ``"haydavies"`` (Hay & Davies 1980).
    albedo
        Ground reflectance [-].

    Returns
    -------
    PlaneOfArray
        Arrays shaped (time, k).

    Notes
    -----
    POA global = beam + sky diffuse + ground reflected (the sum pvlib's
    :func:`~pvlib.irradiance.get_total_irradiance` forms): beam ``dni * max(cos(aoi), 0)``
    with :func:`cos_incidence`; sky diffuse from
    :func:`pvlib.irradiance.perez` or :func:`pvlib.irradiance.haydavies`; ground
    ``ghi * albedo * (1 - cos(tilt)) / 2`` (:func:`pvlib.irradiance.get_ground_diffuse`,
    isotropic ground after Liu & Jordan 1963). Time inputs are (time, 1) columns and
    orientations (1, k) rows, so pvlib evaluates all planes in one broadcast. Where the
    horizontal diffuse irradiance is zero, Perez's clearness index is 0/0; the sky diffuse is
    then 0.

    References
    ----------
    .. [1] R. Perez, P. Ineichen, R. Seals, J. Michalsky, R. Stewart, "Modeling daylight
       availability and irradiance components from direct and global irradiance",
       Solar Energy 44(5), 271-289, 1990.
    .. [2] J. E. Hay, J. A. Davies, "Calculations of the solar radiation incident on an
       inclined surface", Proc. First Canadian Solar Radiation Data Workshop, 59-72, 1980.
    """
    tilt = np.asarray(tilt_deg, dtype=float).reshape(1, -1)
    azimuth = np.asarray(azimuth_deg, dtype=float).reshape(1, -1)
    ghi, dni, dhi = (
        np.clip(weather.data[name].to_numpy(dtype=float), 0.0, None)[:, None]
        for name in ("ghi", "dni", "dhi")
    )
    zenith = geometry.apparent_zenith[:, None]
    sun_azimuth = geometry.azimuth[:, None]
    dni_extra = geometry.dni_extra[:, None]
    cos_aoi = cos_incidence(geometry, tilt_deg, azimuth_deg)
    direct = dni * np.clip(cos_aoi, 0.0, None)
    # Perez divides by dhi (0/0 at night, huge for tiny dhi); non-finite results are 0 below.
    with np.errstate(all="ignore"):
        if transposition == "perez":
            airmass = geometry.airmass_relative[:, None]
            sky = pvlib.irradiance.perez(
                tilt, azimuth, dhi, dni, dni_extra, zenith, sun_azimuth, airmass
            )
        elif transposition == "haydavies":
            sky = pvlib.irradiance.haydavies(
                tilt, azimuth, dhi, dni, dni_extra, zenith, sun_azimuth
            )
        else:
            msg = f"transposition {transposition!r} is not 'perez' or 'haydavies'"
            raise ScenarioError(msg)
    sky = np.where(np.isfinite(sky), sky, 0.0)
    diffuse = sky + pvlib.irradiance.get_ground_diffuse(tilt, ghi, albedo)
    return PlaneOfArray(
        poa_global=direct + diffuse, poa_direct=direct, poa_diffuse=diffuse, cos_aoi=cos_aoi
    )


def cos_incidence(
    geometry: SolarGeometry, tilt_deg: np.ndarray, azimuth_deg: np.ndarray
) -> np.ndarray:
    """Cosine of the angle of incidence of the beam on ``k`` planes, shape (time, k) [-].

    Parameters
    ----------
    geometry
        Sun position per step.
    tilt_deg, azimuth_deg
        Plane tilts and azimuths (clockwise from north), shape (k,) [deg].

    Notes
    -----
    The dot product of the unit vector towards the sun and the plane normal, both in
    (up, north, east) components: ``cos z cos b + sin z sin b cos(g_sun - g)``, the
    expression of :func:`pvlib.irradiance.aoi_projection`. Written as a (time, 3) x (3, k)
    matrix product, it costs one multiply-add per element instead of trigonometry on
    (time, k) arrays. Clipped to [-1, 1].
    """
    zenith = np.radians(geometry.apparent_zenith)
    sun_azimuth = np.radians(geometry.azimuth)
    tilt = np.radians(np.asarray(tilt_deg, dtype=float).reshape(-1))
    azimuth = np.radians(np.asarray(azimuth_deg, dtype=float).reshape(-1))
    sun = np.column_stack(
        [
            np.cos(zenith),
            np.sin(zenith) * np.cos(sun_azimuth),
            np.sin(zenith) * np.sin(sun_azimuth),
        ]
    )
    normal = np.vstack(
        [np.cos(tilt), np.sin(tilt) * np.cos(azimuth), np.sin(tilt) * np.sin(azimuth)]
    )
    result: np.ndarray = np.clip(sun @ normal, -1.0, 1.0)
    return result


def blocks(k: int, size: int = _BLOCK) -> list[slice]:
    """Slices of at most ``size`` columns covering ``range(k)`` (bounds peak memory)."""
    return [slice(start, min(start + size, k)) for start in range(0, k, size)]


def as_columns(**params: ArrayLike) -> tuple[int, dict[str, np.ndarray]]:
    """Broadcast per-asset parameters to 1-D float arrays of one common length ``n``.

    Parameters
    ----------
    **params
        Scalars or 1-D arrays, one value per asset, in the unit of each parameter.

    Returns
    -------
    tuple
        ``n`` and the mapping name -> array (n,).

    Raises
    ------
    ScenarioError
        When the lengths differ, an array is not 1-D, or a value is not finite.
    """
    arrays = {name: np.asarray(value, dtype=float) for name, value in params.items()}
    for name, array in arrays.items():
        if array.ndim > 1:
            msg = f"{name}: expected one value per asset (1-D), got shape {array.shape}"
            raise ScenarioError(msg)
        if not np.isfinite(array).all():
            bad = np.ravel(array)[~np.isfinite(np.ravel(array))][0]
            msg = f"{name}: values must be finite numbers, got {bad}"
            raise ScenarioError(msg)
    try:
        broadcast = np.broadcast_arrays(*(np.atleast_1d(a) for a in arrays.values()))
    except ValueError as exc:
        sizes = {name: int(np.size(a)) for name, a in arrays.items()}
        msg = f"per-asset parameters have different lengths {sizes}; give one value per asset"
        raise ScenarioError(msg) from exc
    columns = {name: np.array(a, dtype=float) for name, a in zip(arrays, broadcast, strict=True)}
    n = next(iter(columns.values())).size if columns else 0
    return n, columns


def unique_rows(*columns: np.ndarray) -> tuple[tuple[np.ndarray, ...], np.ndarray]:
    """Distinct parameter combinations across assets.

    Parameters
    ----------
    *columns
        Equal-length 1-D arrays, one per parameter.

    Returns
    -------
    tuple
        The distinct combinations as one array per parameter (k,), and ``inverse`` (n,) such
        that ``unique[j][inverse] == columns[j]``.
    """
    stacked = np.column_stack(columns)
    unique, inverse = np.unique(stacked, axis=0, return_inverse=True)
    return tuple(unique.T), inverse.reshape(-1)
