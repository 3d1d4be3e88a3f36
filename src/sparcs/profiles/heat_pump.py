"""Heat-pump coefficients of performance (heating COP, cooling EER) over time.

Two heating models: a share of the Carnot COP (default; the ``HeatPump.carnot_efficiency``
of the scenario) and the regressions of Ruhnau et al. (2019). The source temperature is the
air temperature for air-source units and a damped annual sinusoid around the annual mean air
temperature for ground-source (brine) units (:mod:`sparcs.profiles.heat_source`).
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from numpy.typing import ArrayLike

from sparcs.climate.weather import Weather
from sparcs.errors import ScenarioError
from sparcs.profiles.heat_source import ground_source_temp_c, source_temp_c

__all__ = [
    "CHILLED_WATER_C",
    "CHILLER_EER",
    "COP_MAX",
    "COP_MIN",
    "DHW_SUPPLY_C",
    "EER_BOUNDS",
    "MIN_LIFT_K",
    "CopModel",
    "combined_cop",
    "cop_cooling",
    "cop_heating",
    "distinct_heat_pump_cop",
    "ground_source_temp_c",
    "heat_pump_cop",
    "reversible_eer",
    "source_temp_c",
]

CopModel = Literal["carnot", "ruhnau2019"]

#: Energy efficiency ratio of a default electric chiller [-] (issue "main job").
CHILLER_EER = 3.5
#: Chilled-water supply temperature of a reversible heat pump [degC]: the EN 14511 rating
#: point (12/7 degC water) for chillers.
CHILLED_WATER_C = 7.0
#: Bounds of the reversible heat pump's EER [-] [est]: keep the Carnot formula finite on mild
#: days and plausible on hot ones.
EER_BOUNDS = (2.0, 7.0)

#: Smallest temperature lift used in a COP formula [K]: below it the Carnot COP diverges,
#: while a real unit still needs a few kelvin across each heat exchanger.
MIN_LIFT_K = 5.0
#: Lowest COP [-]: the compressor's own work still ends up as heat, so a heat pump is never
#: worse than a heating rod.
COP_MIN = 1.0
#: Highest COP [-]: above the test and field values of domestic heat pumps reviewed by
#: Staffell et al. (2012), so it only caps extrapolation at very small lifts.
COP_MAX = 8.0
#: Temperature a heat pump heats domestic hot water to [degC]: the store must be kept at
#: 55-60 degC against legionella (DVGW W 551:2004; EN 806-2:2005), with a
#: periodic boost by a heating rod; 55 degC is the heat pump's part (the review of the
#: SPARCS demand model, 2026-12, M6) [est]. A pump whose space-heating sink is hotter uses
#: that.
DHW_SUPPLY_C = 55.0
#: Largest lift fed to the Ruhnau regressions [K]; their parabolas turn upward near 90 K.
_RUHNAU_MAX_LIFT_K = 80.0
#: Ruhnau et al. (2019) quadratic coefficients (c0, c1, c2) of COP(dT) by source.
_RUHNAU = {"air": (6.08, -0.09, 0.0005), "ground": (10.29, -0.21, 0.0012)}
_KELVIN = 273.15


def cop_heating(
    t_source_c: ArrayLike,
    t_sink_c: ArrayLike,
    carnot_efficiency: ArrayLike,
    *,
    model: CopModel = "carnot",
    source: ArrayLike = "air",
    min_lift_k: float = MIN_LIFT_K,
    cop_min: float = COP_MIN,
    cop_max: float = COP_MAX,
) -> np.ndarray:
    """Heating COP of a heat pump [-].

    Parameters
    ----------
    t_source_c
        Source temperature (outdoor air, brine) [degC].
    t_sink_c
        Sink (supply) temperature [degC].
    carnot_efficiency
        Share of the Carnot COP reached, ``eta`` [-]; used by ``model="carnot"`` only.
    model
        ``"carnot"`` or ``"ruhnau2019"``.
    source
        ``"air"`` or ``"ground"`` (scalar or array broadcast with the temperatures); selects
        the regression of ``model="ruhnau2019"``.
    min_lift_k
        Floor on the lift ``t_sink - t_source`` [K].
    cop_min, cop_max
        Physical range the result is clipped to [-].

    Returns
    -------
    numpy.ndarray
        COP, broadcast over the inputs, in ``[cop_min, cop_max]``.

    Notes
    -----
    Carnot: ``COP = eta * T_sink / max(T_sink - T_source, min_lift)`` with temperatures in
    kelvin, the ideal (Carnot) heat-pump COP scaled by a quality factor ``eta``.
    Ruhnau 2019: ``COP_air = 6.08 - 0.09 dT + 0.0005 dT^2`` and
    ``COP_ground = 10.29 - 0.21 dT + 0.0012 dT^2`` with ``dT = T_sink - T_source`` [K],
    fitted to manufacturer data; ``dT`` is held in ``[min_lift, 80 K]`` so the parabolas
    stay decreasing, and the result is capped at the Carnot limit
    ``T_sink / (T_sink - T_source)``. Both models are non-increasing in the lift and never
    exceed the Carnot limit (``0 < eta <= 1``).

    References
    ----------
    .. [1] O. Ruhnau, L. Hirth, A. Praktiknjo, "Time series of heat demand and heat pump
       efficiency for energy system modeling", Scientific Data 6, 189, 2019,
       doi:10.1038/s41597-019-0199-y.
    .. [2] I. Staffell, D. Brett, N. Brandon, A. Hawkes, "A review of domestic heat pumps",
       Energy & Environmental Science 5, 9291-9306, 2012.
    """
    t_source = np.asarray(t_source_c, dtype=float)
    t_sink = np.asarray(t_sink_c, dtype=float)
    lift = np.maximum(t_sink - t_source, min_lift_k)
    if model == "carnot":
        cop = _carnot_share(carnot_efficiency) * (t_sink + _KELVIN) / lift
    elif model == "ruhnau2019":
        regression = _ruhnau(np.minimum(lift, _RUHNAU_MAX_LIFT_K), source)
        actual_lift = t_sink - t_source
        with np.errstate(divide="ignore"):
            carnot = np.where(actual_lift > 0, (t_sink + _KELVIN) / actual_lift, np.inf)
        cop = np.minimum(regression, carnot)
    else:
        msg = f"heat pump COP model {model!r} is not 'carnot' or 'ruhnau2019'"
        raise ScenarioError(msg)
    result: np.ndarray = np.clip(cop, cop_min, cop_max)
    return result


def cop_cooling(
    t_ambient_c: ArrayLike,
    t_cold_c: ArrayLike,
    carnot_efficiency: ArrayLike,
    *,
    min_lift_k: float = MIN_LIFT_K,
    cop_min: float = COP_MIN,
    cop_max: float = COP_MAX,
) -> np.ndarray:
    """Cooling COP (energy efficiency ratio, EER) of a reversible heat pump or chiller [-].

    Parameters
    ----------
    t_ambient_c
        Temperature heat is rejected to (outdoor air) [degC].
    t_cold_c
        Temperature heat is taken from (chilled-water supply, e.g. 7-18) [degC].
    carnot_efficiency
        Share of the Carnot EER reached [-].
    min_lift_k
        Floor on the lift ``t_ambient - t_cold`` [K].
    cop_min, cop_max
        Range the result is clipped to [-].

    Returns
    -------
    numpy.ndarray
        ``EER = eta * T_cold / max(T_ambient - T_cold, min_lift)`` (kelvin), clipped,
        broadcast over the inputs.

    Notes
    -----
    The Carnot refrigerator limit ``T_cold / (T_hot - T_cold)`` scaled by a quality factor
    ``eta``, as for :func:`cop_heating`.
    """
    t_cold = np.asarray(t_cold_c, dtype=float)
    lift = np.maximum(np.asarray(t_ambient_c, dtype=float) - t_cold, min_lift_k)
    eer = _carnot_share(carnot_efficiency) * (t_cold + _KELVIN) / lift
    result: np.ndarray = np.clip(eer, cop_min, cop_max)
    return result


def heat_pump_cop(
    weather: Weather,
    source: ArrayLike,
    sink_temp_c: ArrayLike,
    carnot_efficiency: ArrayLike,
    *,
    model: CopModel = "carnot",
) -> np.ndarray:
    """Heating COP of ``n`` heat pumps at one site, shape (time, n) [-].

    Parameters
    ----------
    weather
        Site weather (``temp_air`` [degC]).
    source
        ``"air"`` or ``"ground"`` per heat pump, shape (n,) or scalar.
    sink_temp_c
        Supply temperature per heat pump [degC].
    carnot_efficiency
        Share of the Carnot COP per heat pump [-].
    model
        COP model of :func:`cop_heating`.

    Returns
    -------
    numpy.ndarray
        COP in ``[COP_MIN, COP_MAX]``, shape (time, n), column-major.

    Notes
    -----
    Heat pumps with the same source, sink temperature and efficiency share one COP series
    (:func:`distinct_heat_pump_cop`), so each distinct combination is computed once and the
    columns are copies of it.
    """
    series, which = distinct_heat_pump_cop(
        weather, source, sink_temp_c, carnot_efficiency, model=model
    )
    return series[:, which]


def distinct_heat_pump_cop(
    weather: Weather,
    source: ArrayLike,
    sink_temp_c: ArrayLike,
    carnot_efficiency: ArrayLike,
    *,
    model: CopModel = "carnot",
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`heat_pump_cop` as one series per distinct heat pump and each pump's series.

    A district has many heat pumps but few distinct (source, sink temperature, efficiency)
    combinations; callers that place the series into a larger array copy each one straight
    to its pumps, with no (time, n) array in between.

    Returns
    -------
    tuple of numpy.ndarray
        COP per distinct combination, shape (time, d) [-], and for each of the ``n`` heat
        pumps the column of its combination, shape (n,); ``heat_pump_cop`` is
        ``series[:, which]``.

    Raises
    ------
    ScenarioError
        When the arguments do not give one value per heat pump, a source is unknown or an
        efficiency is outside (0, 1].
    """
    kinds = np.atleast_1d(np.asarray(source, dtype=str))
    sink = np.atleast_1d(np.asarray(sink_temp_c, dtype=float))
    eta = np.atleast_1d(np.asarray(carnot_efficiency, dtype=float))
    try:
        kinds, sink, eta = np.broadcast_arrays(kinds, sink, eta)
    except ValueError as exc:
        msg = "heat pump source, sink_temp_c and carnot_efficiency need one value per heat pump"
        raise ScenarioError(msg) from exc
    unknown = sorted(set(kinds.tolist()) - {"air", "ground"})
    if unknown:
        msg = f"heat pump source {unknown[0]!r} is not 'air' or 'ground'"
        raise ScenarioError(msg)
    if model == "carnot":
        _carnot_share(eta)  # checked per heat pump, so the error lists the first heat pumps
    first, which = _distinct(kinds == "ground", sink, eta)
    kinds, sink, eta = kinds[first], sink[first], eta[first]
    t_source = source_temp_c(weather, "air")[:, None]
    if (kinds == "ground").any():
        ground = source_temp_c(weather, "ground")[:, None]
        t_source = np.where(kinds[None, :] == "ground", ground, t_source)
    cop = cop_heating(t_source, sink[None, :], eta[None, :], model=model, source=kinds[None, :])
    return np.asfortranarray(cop), which


def combined_cop(
    space_kw: np.ndarray, dhw_kw: np.ndarray, cop_space: np.ndarray, cop_dhw: np.ndarray
) -> np.ndarray:
    """Effective COP of a heat pump serving space heat and hot water at their own COPs [-].

    Parameters
    ----------
    space_kw, dhw_kw
        Space-heating and hot-water demand served [kW], broadcast together, e.g. (time, n).
    cop_space
        COP at the space-heating supply temperature [-].
    cop_dhw
        COP at the hot-water supply temperature :data:`DHW_SUPPLY_C` [-].

    Returns
    -------
    numpy.ndarray
        ``(Q_sh + Q_dhw) / (Q_sh / COP_sh + Q_dhw / COP_dhw)``, and ``COP_sh`` in steps
        without demand: the electricity of the two services added, each at its own sink
        temperature (EN 15316-4-2:2017 computes a heat pump's space-heating and hot-water
        operation separately, as does VDI 4650-1:2019 for the seasonal performance factor).
        Operation divides the whole heat by this one COP, so its electricity equals the sum
        of the two services' when it serves each step's demand as it comes.
    """
    total = space_kw + dhw_kw
    electricity = space_kw / cop_space + dhw_kw / cop_dhw
    cop = np.array(
        np.broadcast_to(cop_space, np.broadcast_shapes(total.shape, np.shape(cop_space)))
    )
    np.divide(total, electricity, out=cop, where=electricity > 0)
    return cop


def _distinct(*columns: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rows of the equal-length ``columns`` that differ in any bit: the first position of
    each distinct row, and for every row the number of its distinct row.

    Bitwise, not by ``==``, so rows that share a number also share every result computed from
    it (``0.0`` and ``-0.0`` stay apart).
    """
    table = np.ascontiguousarray(np.stack([np.asarray(c, dtype=np.float64) for c in columns], 1))
    rows = table.view(np.dtype((np.void, table.dtype.itemsize * table.shape[1]))).ravel()
    _, first, which = np.unique(rows, return_index=True, return_inverse=True)
    return first, which.ravel()


def reversible_eer(temp_air_c: ArrayLike, carnot_efficiency: ArrayLike) -> np.ndarray:
    """EER of reversible heat pumps cooling to chilled water, per step and pump [-].

    Parameters
    ----------
    temp_air_c
        Outdoor air temperature per step [degC], shape (time,).
    carnot_efficiency
        Share of the Carnot efficiency each heat pump reaches [-], shape (pump,).

    Returns
    -------
    numpy.ndarray
        :func:`cop_cooling` at the chilled-water temperature :data:`CHILLED_WATER_C`, with
        the lift floored at 1 mK and the result within :data:`EER_BOUNDS`, shape (time, pump).

    References
    ----------
    Y. A. Cengel, M. A. Boles, *Thermodynamics: An Engineering Approach*, 9th ed., McGraw-Hill
    2019, section 6-7 (COP of a reversible refrigerator).
    """
    return cop_cooling(
        np.asarray(temp_air_c, dtype=float)[:, None],
        CHILLED_WATER_C,
        np.asarray(carnot_efficiency, dtype=float)[None, :],
        min_lift_k=1e-3,
        cop_min=EER_BOUNDS[0],
        cop_max=EER_BOUNDS[1],
    )


def _carnot_share(carnot_efficiency: ArrayLike) -> np.ndarray:
    """``carnot_efficiency`` as an array, checked to lie in (0, 1] [-]."""
    eta = np.asarray(carnot_efficiency, dtype=float)
    if not np.all((eta > 0.0) & (eta <= 1.0)):
        msg = f"heat pump carnot_efficiency must be in (0, 1], got {np.ravel(eta)[:5].tolist()}"
        raise ScenarioError(msg)
    return eta


def _ruhnau(lift_k: np.ndarray, source: ArrayLike) -> np.ndarray:
    """Ruhnau et al. (2019) COP regressions on the lift [K], per source kind [-]."""
    kinds = np.asarray(source, dtype=str)
    unknown = sorted(set(np.unique(kinds).tolist()) - set(_RUHNAU))
    if unknown:
        msg = f"heat pump source {unknown[0]!r} is not 'air' or 'ground'"
        raise ScenarioError(msg)
    air = np.polynomial.polynomial.polyval(lift_k, _RUHNAU["air"])
    ground = np.polynomial.polynomial.polyval(lift_k, _RUHNAU["ground"])
    result: np.ndarray = np.where(kinds == "ground", ground, air)
    return result
