"""Flexibility of one asset type for one hour: battery, heat pump with a store, EV, e-boiler.

Pure functions on the hourly means of a rule-based run (see :mod:`sparcs.services.flexibility`
for how they are combined). Upward flexibility lowers the net import, downward raises it;
both are held for ``duration_h`` and never negative.

Battery
    up = min(P, (E_0 - E_min) eta_d / 1 h) - P_dis + P_ch; down = min(P, (E_max - E_0) /
    (eta_c 1 h)) - P_ch + P_dis, with :math:`E_0` the content at the start of the hour and
    :math:`P_{ch}, P_{dis}` the run's hourly mean charge and discharge.
Heat pump with a thermal store (a heat pump without one has none: comfort first)
    up: switch off as far as the store can carry the heat it made in that hour
    (:math:`P_{el} \\min(1, E_{tes,end} / (Q\\,1 h))`); down: run up to its thermal capacity as
    far as the store can take the extra heat (:math:`\\min(Q_{cap} - Q, (C - E_{tes,end}) /
    1 h) / COP`). :math:`E_{tes,end}` is the store content at the end of the hour in the run.
EV charging
    up: charging in that hour by sessions with at least one hour of slack (plugged time minus
    the time needed at full power) can be deferred within the session; with less slack, pro
    rata. down: zero — the rule run charges every car as early as possible, so nothing can be
    brought forward.
Electric boiler (power-to-heat)
    down: its headroom, as far as the heat finds a use (displacing district heat or boiler
    heat of its node, else the store space the heat pump left); up: stop what it draws, except
    where it is the building's own heater (``heating = 'electric'``).
"""

from __future__ import annotations

import numpy as np

from sparcs.profiles.ev import uncontrolled_charging_kw
from sparcs.profiles.inputs import EVSessions

__all__ = [
    "battery_flexibility_kw",
    "electric_boiler_flexibility_kw",
    "ev_deferrable_kw",
    "heat_pump_flexibility_kw",
]


def battery_flexibility_kw(
    charge_kw: np.ndarray,
    discharge_kw: np.ndarray,
    soc_start_kwh: np.ndarray,
    *,
    capacity_kwh: np.ndarray,
    power_kw: np.ndarray,
    soc_min: np.ndarray,
    soc_max: np.ndarray,
    charge_efficiency: np.ndarray,
    discharge_efficiency: np.ndarray,
    duration_h: float = 1.0,
) -> tuple[np.ndarray, np.ndarray]:
    """Upward and downward battery flexibility for ``duration_h`` [kW].

    Parameters
    ----------
    charge_kw, discharge_kw
        Mean charge and discharge of the run over the period [kW], grid side.
    soc_start_kwh
        Content at the start of the period [kWh].
    capacity_kwh, power_kw, soc_min, soc_max, charge_efficiency, discharge_efficiency
        Battery parameters [kWh], [kW], [-]; broadcast against the series.
    duration_h
        How long the deviation is held [h].

    Returns
    -------
    tuple of numpy.ndarray
        ``up`` (more discharge, less charge) and ``down`` (more charge, less discharge), >= 0.
    """
    room_out = np.maximum(soc_start_kwh - soc_min * capacity_kwh, 0.0) * discharge_efficiency
    room_in = np.maximum(soc_max * capacity_kwh - soc_start_kwh, 0.0) / charge_efficiency
    up = np.minimum(power_kw, room_out / duration_h) - discharge_kw + charge_kw
    down = np.minimum(power_kw, room_in / duration_h) - charge_kw + discharge_kw
    return np.maximum(up, 0.0), np.maximum(down, 0.0)


def heat_pump_flexibility_kw(
    hp_el_kw: np.ndarray,
    hp_heat_kw: np.ndarray,
    cop: np.ndarray,
    tes_end_kwh: np.ndarray,
    *,
    hp_capacity_kw: np.ndarray,
    tes_capacity_kwh: np.ndarray,
    duration_h: float = 1.0,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Upward and downward flexibility of heat pumps backed by a thermal store [kW].

    Parameters
    ----------
    hp_el_kw, hp_heat_kw
        Mean electricity and heat of the heat pump in the run [kW].
    cop
        Coefficient of performance [-] (0 where there is no heat pump).
    tes_end_kwh
        Store content at the end of the period in the run [kWh].
    hp_capacity_kw, tes_capacity_kwh
        Thermal capacity of the heat pump [kW] and of the store [kWh]; 0 = none.
    duration_h
        How long the deviation is held [h].

    Returns
    -------
    tuple of numpy.ndarray
        ``up``, ``down`` [kW] and the store space left after ``down`` [kWh].
    """
    has = (tes_capacity_kwh > 0) & (hp_capacity_kw > 0) & (cop > 0)
    cover = np.divide(
        tes_end_kwh, hp_heat_kw * duration_h, out=np.ones_like(hp_heat_kw), where=hp_heat_kw > 0
    )
    up = np.where(has, hp_el_kw * np.minimum(cover, 1.0), 0.0)
    space = np.maximum(tes_capacity_kwh - tes_end_kwh, 0.0)
    extra_heat = np.where(
        has, np.clip(np.minimum(hp_capacity_kw - hp_heat_kw, space / duration_h), 0.0, None), 0.0
    )
    down = np.divide(extra_heat, cop, out=np.zeros_like(extra_heat), where=cop > 0)
    return np.maximum(up, 0.0), down, space - extra_heat * duration_h


def ev_deferrable_kw(
    sessions: EVSessions, n_steps: int, dt_h: float, duration_h: float = 1.0
) -> np.ndarray:
    """EV charging that could be deferred by ``duration_h`` within its session [kW].

    A session of ``n`` plugged steps that needs ``E / P`` hours at full power has a slack
    :math:`s = n\\,dt - E/P` [h]; the share :math:`\\min(1, s / d)` of its uncontrolled
    charging can move ``d = duration_h`` later and still finish before departure.

    Returns
    -------
    numpy.ndarray
        Deferrable power per step, shape (n_steps,) [kW].
    """
    if not len(sessions):
        return np.zeros(n_steps)
    need_h = sessions.energy_kwh / sessions.power_kw
    slack_h = (sessions.departure - sessions.arrival) * dt_h - need_h
    share = np.clip(slack_h / duration_h, 0.0, 1.0)
    keep = (share > 0) & (sessions.energy_kwh > 0)
    scaled = EVSessions(
        owner=np.zeros(int(keep.sum()), dtype=int),
        arrival=sessions.arrival[keep],
        departure=sessions.departure[keep],
        energy_kwh=sessions.energy_kwh[keep] * share[keep],
        power_kw=sessions.power_kw[keep] * share[keep],
        v2g=sessions.v2g[keep],
    )
    return uncontrolled_charging_kw(scaled, n_steps, dt_h, 1)[:, 0]


def electric_boiler_flexibility_kw(
    el_kw: np.ndarray,
    heat_sink_kw: np.ndarray,
    store_space_kwh: np.ndarray,
    *,
    power_kw: np.ndarray,
    efficiency: np.ndarray,
    own_heater: np.ndarray,
    duration_h: float = 1.0,
) -> tuple[np.ndarray, np.ndarray]:
    """Upward and downward flexibility of electric boilers (power-to-heat) [kW].

    Parameters
    ----------
    el_kw
        Mean electricity of the boiler in the run [kW].
    heat_sink_kw
        Heat the boiler's extra output could displace: district heat and fuel-boiler heat
        of its node [kW].
    store_space_kwh
        Space left in the thermal store after the heat pump's downward flexibility [kWh].
    power_kw, efficiency
        Electric power [kW] and efficiency [-] of the boiler; 0 = none.
    own_heater
        True where the boiler is the building's own heater (``heating = 'electric'``): it
        cannot stop, so it offers no upward flexibility.
    duration_h
        How long the deviation is held [h].

    Returns
    -------
    tuple of numpy.ndarray
        ``up`` (stop what it draws) and ``down`` (its headroom, as far as the heat finds a
        use) [kW], >= 0.
    """
    has = (power_kw > 0) & (efficiency > 0)
    heat = heat_sink_kw + store_space_kwh / duration_h
    heat_room = np.divide(heat, efficiency, out=np.zeros_like(heat), where=has)
    down = np.where(has, np.minimum(np.maximum(power_kw - el_kw, 0.0), heat_room), 0.0)
    up = np.where(has & ~own_heater, np.minimum(el_kw, power_kw), 0.0)
    return up, down
