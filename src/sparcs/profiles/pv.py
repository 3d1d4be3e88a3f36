"""PV AC output per building, PVWatts-style, vectorised across buildings.

The chain follows pvlib's PVWatts ``ModelChain`` (Dobos 2014): sun at interval midpoints,
Perez (or Hay-Davies) transposition, physical IAM, SAPM cell temperature, PVWatts DC with a
power temperature coefficient, one total DC loss and the PVWatts inverter. The POA is
computed once per distinct orientation and the AC output once per distinct parameter set,
normalised to 1 kWp; every building is then that profile times its kWp (all PVWatts steps
are linear in the nameplate at a fixed DC/AC ratio).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pvlib
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
from sparcs.scenario.assets import PV, PVMounting

__all__ = [
    "DEFAULT_DC_AC_RATIO",
    "Mounting",
    "pv_ac_kw",
    "pv_arrays_ac_kw",
    "pv_specific_yield_kwh_per_kwp",
]

#: DC nameplate over inverter AC nameplate [-]; the default of NREL's PVWatts calculator.
DEFAULT_DC_AC_RATIO = 1.2

#: DC power below which the inverter is off [kW/kWp] (far below PVWatts' own cut-off).
_DC_OFF_KW_PER_KWP = 1e-9

#: Cosine grid on which pvlib's physical IAM is tabulated (max. interpolation error ~1e-6).
_COS_GRID = np.linspace(0.0, 1.0, 2001)
_IAM_GRID = np.asarray(pvlib.iam.physical(np.degrees(np.arccos(_COS_GRID))), dtype=float)


#: SAPM cell-temperature parameter sets (King et al. 2004) offered for the mounting.
Mounting = PVMounting


def pv_ac_kw(
    weather: Weather,
    kwp: ArrayLike,
    tilt_deg: ArrayLike,
    azimuth_deg: ArrayLike,
    losses_pct: ArrayLike,
    inverter_efficiency: ArrayLike,
    gamma_pdc: ArrayLike,
    *,
    dc_ac_ratio: float = DEFAULT_DC_AC_RATIO,
    transposition: Transposition = "perez",
    albedo: float = DEFAULT_ALBEDO,
    mounting: Mounting = "open_rack_glass_polymer",
    geometry: SolarGeometry | None = None,
) -> np.ndarray:
    """AC output of ``n`` PV systems at one site.

    Parameters
    ----------
    weather
        Site weather: ``ghi``, ``dni``, ``dhi`` [W/m2, interval means], ``temp_air`` [degC],
        ``wind_speed`` [m/s]; period-beginning UTC labels.
    kwp
        DC peak power per system, shape (n,) or scalar [kWp].
    tilt_deg
        Module tilt from horizontal [deg].
    azimuth_deg
        Module azimuth clockwise from north, 180 = south [deg].
    losses_pct
        Total PVWatts DC system losses (soiling, wiring, mismatch, ...) [%].
    inverter_efficiency
        Nominal inverter efficiency ``eta_inv_nom`` [-].
    gamma_pdc
        DC power temperature coefficient [1/K], e.g. -0.0037.
    dc_ac_ratio
        DC nameplate over inverter AC nameplate [-]: the inverter clips at
        ``kwp / dc_ac_ratio`` kW AC.
    transposition
        Sky-diffuse model, ``"perez"`` or ``"haydavies"``.
    albedo
        Ground reflectance [-].
    mounting
        SAPM cell-temperature parameter set (pvlib ``TEMPERATURE_MODEL_PARAMETERS['sapm']``).
    geometry
        Sun position from :func:`sparcs.profiles._solar.solar_geometry` for this weather, to
        reuse across calls; computed when omitted.

    Returns
    -------
    numpy.ndarray
        AC power, shape (time, n) [kW, interval means], non-negative and finite.

    Raises
    ------
    ScenarioError
        When parameters have different lengths or are out of their physical range.

    Notes
    -----
    Per 1 kWp: effective irradiance ``E = poa_direct * IAM(aoi) + poa_diffuse`` (physical IAM,
    De Soto et al. 2006); cell temperature ``T_c`` from the SAPM model (King et al. 2004) on
    the POA global; ``P_dc = E / 1000 * (1 + gamma_pdc (T_c - 25)) * (1 - losses_pct / 100)``
    (PVWatts, Dobos 2014 eq. 1); ``P_ac`` from the PVWatts inverter model
    (:func:`pvlib.inverter.pvwatts`) with AC nameplate ``P_ac0 = kwp / dc_ac_ratio`` and DC
    input limit ``pdc0 = P_ac0 / eta_inv_nom`` (pvlib's definition). All steps are linear in
    the nameplate, so building output is the normalised profile times ``kwp``.

    References
    ----------
    .. [1] A. P. Dobos, "PVWatts Version 5 Manual", NREL/TP-6A20-62641, 2014.
    .. [2] D. L. King, W. E. Boyson, J. A. Kratochvil, "Photovoltaic Array Performance
       Model", SAND2004-3535, Sandia National Laboratories, 2004.
    .. [3] W. De Soto, S. A. Klein, W. A. Beckman, "Improvement and validation of a model for
       photovoltaic array performance", Solar Energy 80(1), 78-88, 2006.
    """
    n, p = as_columns(
        kwp=kwp,
        tilt_deg=tilt_deg,
        azimuth_deg=azimuth_deg,
        losses_pct=losses_pct,
        inverter_efficiency=inverter_efficiency,
        gamma_pdc=gamma_pdc,
    )
    _check_ranges(p, dc_ac_ratio)
    if n == 0:
        return np.zeros((len(weather.time), 0))
    geometry = solar_geometry(weather) if geometry is None else geometry
    keys = ("tilt_deg", "azimuth_deg", "losses_pct", "inverter_efficiency", "gamma_pdc")
    unique, inverse = unique_rows(*(p[k] for k in keys))
    per_kwp = _ac_per_kwp(
        weather,
        geometry,
        dict(zip(keys, unique, strict=True)),
        dc_ac_ratio=dc_ac_ratio,
        transposition=transposition,
        albedo=albedo,
        mounting=mounting,
    )
    power = per_kwp[:, inverse]
    power *= p["kwp"][None, :]
    return power


#: The model-wide assumptions arrays computed together share: dc_ac_ratio, transposition,
#: albedo, mounting.
_Assumptions = tuple[float, Transposition, float, Mounting]


def pv_arrays_ac_kw(
    weather: Weather, arrays: Sequence[PV], *, geometry: SolarGeometry | None = None
) -> np.ndarray:
    """AC output of the scenario's PV arrays, each with its own model assumptions.

    Arrays that share the model-wide assumptions (``dc_ac_ratio``, ``transposition``,
    ``albedo``, ``mounting``) are computed together by :func:`pv_ac_kw`; usually that is one
    group.

    Parameters
    ----------
    weather
        Site weather, as in :func:`pv_ac_kw`.
    arrays
        Validated PV assets (:class:`sparcs.scenario.PV`).
    geometry
        Sun position to reuse; computed once when omitted.

    Returns
    -------
    numpy.ndarray
        AC power, shape (time, len(arrays)) [kW, interval means].
    """
    if not arrays:
        return np.zeros((len(weather.time), 0), order="F")
    geometry = solar_geometry(weather) if geometry is None else geometry
    groups: dict[_Assumptions, list[int]] = {}
    for i, a in enumerate(arrays):
        groups.setdefault((a.dc_ac_ratio, a.transposition, a.albedo, a.mounting), []).append(i)
    if len(groups) == 1:  # the usual case: no copy of pv_ac_kw's column-major result
        return _group_ac_kw(weather, arrays, next(iter(groups)), geometry)
    # column-major like pv_ac_kw's result and the profile buffers it is copied into
    out = np.zeros((len(weather.time), len(arrays)), order="F")
    for assumptions, members in groups.items():
        chosen = [arrays[i] for i in members]
        out[:, members] = _group_ac_kw(weather, chosen, assumptions, geometry)
    return out


def _group_ac_kw(
    weather: Weather, arrays: Sequence[PV], assumptions: _Assumptions, geometry: SolarGeometry
) -> np.ndarray:
    """:func:`pv_ac_kw` of arrays that share ``assumptions``, (time, array) [kW]."""
    ratio, transposition, albedo, mounting = assumptions
    return pv_ac_kw(
        weather,
        [a.kwp for a in arrays],
        [a.tilt_deg for a in arrays],
        [a.azimuth_deg for a in arrays],
        [a.losses_pct for a in arrays],
        [a.inverter_efficiency for a in arrays],
        [a.gamma_pdc for a in arrays],
        dc_ac_ratio=ratio,
        transposition=transposition,
        albedo=albedo,
        mounting=mounting,
        geometry=geometry,
    )


def pv_specific_yield_kwh_per_kwp(
    weather: Weather,
    tilt_deg: ArrayLike,
    azimuth_deg: ArrayLike,
    losses_pct: ArrayLike,
    inverter_efficiency: ArrayLike,
    gamma_pdc: ArrayLike,
    *,
    dc_ac_ratio: float = DEFAULT_DC_AC_RATIO,
    transposition: Transposition = "perez",
    albedo: float = DEFAULT_ALBEDO,
    mounting: Mounting = "open_rack_glass_polymer",
    geometry: SolarGeometry | None = None,
) -> np.ndarray:
    """AC energy per kWp over the whole weather period (annual yield for a year of weather).

    Parameters
    ----------
    weather, tilt_deg, azimuth_deg, losses_pct, inverter_efficiency, gamma_pdc
        As in :func:`pv_ac_kw`.
    dc_ac_ratio, transposition, albedo, mounting, geometry
        As in :func:`pv_ac_kw`.

    Returns
    -------
    numpy.ndarray
        Specific yield ``sum_t P_ac(t) * dt_h / kwp``, shape (n,) [kWh/kWp].
    """
    power = pv_ac_kw(
        weather,
        1.0,
        tilt_deg,
        azimuth_deg,
        losses_pct,
        inverter_efficiency,
        gamma_pdc,
        dc_ac_ratio=dc_ac_ratio,
        transposition=transposition,
        albedo=albedo,
        mounting=mounting,
        geometry=geometry,
    )
    result: np.ndarray = power.sum(axis=0) * weather.dt_h
    return result


def _ac_per_kwp(
    weather: Weather,
    geometry: SolarGeometry,
    params: dict[str, np.ndarray],
    *,
    dc_ac_ratio: float,
    transposition: Transposition,
    albedo: float,
    mounting: Mounting,
) -> np.ndarray:
    """AC output of 1 kWp for each distinct parameter set, shape (time, k) [kW/kWp]."""
    k = params["tilt_deg"].size
    out = np.empty((len(weather.time), k))
    temp_air = weather.data["temp_air"].to_numpy(dtype=float)[:, None]
    wind = np.clip(weather.data["wind_speed"].to_numpy(dtype=float), 0.0, None)[:, None]
    temp_params = pvlib.temperature.TEMPERATURE_MODEL_PARAMETERS["sapm"][mounting]
    for block in blocks(k):
        p = {name: values[block] for name, values in params.items()}
        (tilt, azimuth), orientation = unique_rows(p["tilt_deg"], p["azimuth_deg"])
        poa = plane_of_array(
            weather, geometry, tilt, azimuth, transposition=transposition, albedo=albedo
        )
        temp_cell = pvlib.temperature.sapm_cell(poa.poa_global, temp_air, wind, **temp_params)
        effective = poa.poa_direct * _iam_physical(poa.cos_aoi) + poa.poa_diffuse
        if tilt.size < orientation.size:  # several parameter sets share an orientation
            effective, temp_cell = effective[:, orientation], temp_cell[:, orientation]
        dc = pvlib.pvsystem.pvwatts_dc(effective, temp_cell, pdc0=1.0, gamma_pdc=p["gamma_pdc"])
        dc = np.clip(dc, 0.0, None) * (1.0 - p["losses_pct"] / 100.0)
        # PVWatts' inverter gives no output below ~0.6 % of its rating; zeroing tiny DC first
        # keeps its 0.0059 / zeta term from overflowing on denormal inputs.
        dc[dc < _DC_OFF_KW_PER_KWP] = 0.0
        eta = p["inverter_efficiency"]
        out[:, block] = pvlib.inverter.pvwatts(dc, pdc0=1.0 / (dc_ac_ratio * eta), eta_inv_nom=eta)
    return out


def _iam_physical(cos_aoi: np.ndarray) -> np.ndarray:
    """Physical IAM as a function of cos(aoi), 0 when the sun is behind the plane [-].

    De Soto et al. (2006) as implemented by :func:`pvlib.iam.physical` (glass n = 1.526,
    K = 4 /m, L = 2 mm), evaluated once on the uniform :data:`_COS_GRID` and interpolated
    linearly: the same model without its trigonometry on (time, k) arrays.
    """
    position = np.clip(cos_aoi, 0.0, 1.0) * (_COS_GRID.size - 1)
    lower = np.minimum(position.astype(np.intp), _COS_GRID.size - 2)
    fraction = position - lower
    result: np.ndarray = _IAM_GRID[lower] * (1.0 - fraction) + _IAM_GRID[lower + 1] * fraction
    return result


def _check_ranges(p: dict[str, np.ndarray], dc_ac_ratio: float) -> None:
    """Raise a :class:`ScenarioError` naming the first parameter out of its range."""
    checks = (
        ("kwp", p["kwp"] >= 0.0, "must not be negative [kWp]"),
        ("tilt_deg", (p["tilt_deg"] >= 0.0) & (p["tilt_deg"] <= 90.0), "must be 0..90 [deg]"),
        ("azimuth_deg", (p["azimuth_deg"] >= 0) & (p["azimuth_deg"] <= 360), "must be 0..360"),
        ("losses_pct", (p["losses_pct"] >= 0) & (p["losses_pct"] < 100), "must be 0..<100 [%]"),
        (
            "inverter_efficiency",
            (p["inverter_efficiency"] > 0) & (p["inverter_efficiency"] <= 1),
            "must be in (0, 1]",
        ),
    )
    for name, ok, rule in checks:
        if not np.all(ok):
            bad = p[name][~ok][0]
            msg = f"PV {name}: {bad:g} {rule}"
            raise ScenarioError(msg)
    if not dc_ac_ratio > 0:
        msg = f"PV dc_ac_ratio: {dc_ac_ratio:g} must be greater than 0"
        raise ScenarioError(msg)
