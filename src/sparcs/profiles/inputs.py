"""The :class:`Inputs` container: time x building arrays that operation consumes."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from sparcs._memory import check_support
from sparcs.climate.weather import Weather

__all__ = ["BUILDING_SERIES", "DISTRICT_SERIES", "EVSessions", "Inputs"]

#: Time x building series [kW, interval means], except ``cop_heating`` [-].
BUILDING_SERIES = (
    "electricity_kw",
    "space_heat_kw",
    "dhw_kw",
    "cooling_kw",
    "pv_kw",
    "solar_thermal_kw",
    "wind_kw",
    "ev_kw",
    "cop_heating",
)
#: District-level series over time [kW], except ``cop_heating`` [-].
DISTRICT_SERIES = (
    "pv_kw",
    "wind_kw",
    "solar_thermal_kw",
    "ev_kw",
    "cop_heating",
    "virtual_kw",
    "virtual_heat_kw",
)


@dataclass(frozen=True)
class EVSessions:
    """EV charging sessions, one entry per session (for smart charging and KPIs).

    Attributes
    ----------
    owner
        Index of the building that owns the charge point, or -1 for district chargers.
    arrival, departure
        Step indices: the car is plugged in during steps ``arrival <= t < departure``.
    energy_kwh
        Energy the car needs by departure [kWh], never more than can be charged.
    power_kw
        Charge-point power [kW].
    v2g
        True where the charge point is bidirectional.
    """

    owner: np.ndarray
    arrival: np.ndarray
    departure: np.ndarray
    energy_kwh: np.ndarray
    power_kw: np.ndarray
    v2g: np.ndarray

    @classmethod
    def empty(cls) -> EVSessions:
        """No sessions."""
        z = np.zeros(0)
        return cls(z.astype(int), z.astype(int), z.astype(int), z, z, z.astype(bool))

    def __len__(self) -> int:
        return int(self.owner.size)


@dataclass(frozen=True)
class Inputs:
    """Everything operation needs, as arrays shaped (time, building) or (time,).

    Attributes
    ----------
    time
        UTC index of the steps (period-beginning labels).
    dt_h
        Step length [h].
    building_ids
        Column order of the building arrays.
    building
        Mapping name -> array (time, building) for every name in :data:`BUILDING_SERIES`
        [kW, interval means; ``cop_heating`` is dimensionless and 0 where no heat pump: the
        effective COP of the building's heat demand, space heat at the pump's sink temperature
        and hot water at :data:`~sparcs.profiles.heat_pump.DHW_SUPPLY_C`, weighted by the two
        demands of each step (:func:`~sparcs.profiles.heat_pump.combined_cop`)].
        Read-only when made by :func:`~sparcs.profiles.build.build_inputs`: flows may share
        their memory (copy an array to change it).
    district
        Mapping name -> array (time,) for every name in :data:`DISTRICT_SERIES`.
    annual_kwh
        Mapping demand name (``electricity``, ``space_heat``, ``dhw``, ``cooling``) -> array
        (building,) of the annual demand the profiles were scaled to [kWh]: the weather
        year's (:func:`~sparcs.profiles.demand.weather_year_demands`).
    ev_sessions
        Charging sessions behind ``ev_kw`` (building and district chargers).
    weather
        The weather the profiles were computed from.
    support
        For some building series, a mask (building,) of the columns where the series may be
        non-zero; it is zero in every other column. A series not listed may be non-zero
        anywhere. :func:`~sparcs.profiles.build.build_inputs` lists the asset series (PV,
        solar thermal, wind, EV charging, COP: their owners) and electricity and cooling (the
        buildings with that demand), whose other columns are never written and so take no
        memory; readers that skip them (the rule simulation) keep it that way. A new
        ``building`` mapping given through :func:`dataclasses.replace` must stay within it
        (or drop it).
    """

    time: pd.DatetimeIndex
    dt_h: float
    building_ids: tuple[str, ...]
    building: dict[str, np.ndarray]
    district: dict[str, np.ndarray]
    annual_kwh: dict[str, np.ndarray]
    ev_sessions: EVSessions
    weather: Weather
    support: dict[str, np.ndarray] = field(default_factory=dict)

    def __post_init__(self) -> None:
        check_support(
            self.support,
            self.building,
            len(self.building_ids),
            what="inputs",
            columns="buildings of a known building series",
        )

    @property
    def n_steps(self) -> int:
        """Number of time steps."""
        return len(self.time)

    @property
    def n_buildings(self) -> int:
        """Number of buildings."""
        return len(self.building_ids)

    def frame(self, name: str) -> pd.DataFrame:
        """Building series ``name`` as a DataFrame (time x building id)."""
        return pd.DataFrame(self.building[name], index=self.time, columns=list(self.building_ids))


def _cut_sessions(inputs: Inputs, start: int, stop: int) -> EVSessions:
    """The sessions of ``inputs`` cut to steps [start, stop), each needing what uncontrolled
    charging draws inside."""
    s = inputs.ev_sessions
    arrival = np.clip(s.arrival - start, 0, stop - start)
    departure = np.clip(s.departure - start, 0, stop - start)
    energy = _charged_within(s, inputs.dt_h, start, stop) if len(s) else s.energy_kwh
    keep = (departure > arrival) & (energy > 0)
    return EVSessions(
        owner=s.owner[keep],
        arrival=arrival[keep],
        departure=departure[keep],
        energy_kwh=energy[keep],
        power_kw=s.power_kw[keep],
        v2g=s.v2g[keep],
    )


def _charged_within(sessions: EVSessions, dt_h: float, start: int, stop: int) -> np.ndarray:
    """Energy each session draws in steps [start, stop) when charged uncontrolled [kWh]."""
    hours = sessions.energy_kwh / sessions.power_kw
    begin = sessions.arrival * dt_h
    overlap = np.minimum(begin + hours, stop * dt_h) - np.maximum(begin, start * dt_h)
    result: np.ndarray = np.clip(overlap, 0.0, None) * sessions.power_kw
    return result


def slice_inputs(
    inputs: Inputs, start: int, stop: int, *, sessions: EVSessions | None = None
) -> Inputs:
    """The inputs of steps ``start`` to ``stop`` (exclusive).

    EV sessions are cut to the period; a cut session needs the energy that uncontrolled
    charging would draw inside the period, so the sliced profile and sessions agree.
    ``sessions``, when given, are the period's instead (a live window's, which knows what
    each car drew before it), and the full period's are not cut.
    """
    if sessions is None:
        sessions = _cut_sessions(inputs, start, stop)
    time = inputs.time[start:stop]
    weather = inputs.weather
    # by position: a label slice costs pandas ~0.1 ms more, twice a live cycle
    index = weather.data.index
    first, last = index.searchsorted(time[0]), index.searchsorted(time[-1], side="right")
    data = weather.data.iloc[first:last]
    return replace(
        inputs,
        time=time,
        building={k: v[start:stop] for k, v in inputs.building.items()},
        district={k: v[start:stop] for k, v in inputs.district.items()},
        ev_sessions=sessions,
        weather=replace(weather, data=data),
    )
