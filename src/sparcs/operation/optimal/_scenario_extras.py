"""Optional families of a scenario's LP: smart EV charging, thermal mass, PED balance,
capacity charges."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from sparcs.operation.optimal.capacity import CapacityParams
from sparcs.operation.optimal.ev import EVParams, ev_params
from sparcs.operation.optimal.ped import PedParams
from sparcs.operation.optimal.thermal_mass import ThermalMassParams
from sparcs.operation.params import outdoor_temperature
from sparcs.profiles.heat import THERMAL_USE
from sparcs.timeseries import to_zoneinfo

if TYPE_CHECKING:
    import pandas as pd

    from sparcs.operation.optimal.adapter import OptimalSettings
    from sparcs.profiles.inputs import Inputs
    from sparcs.scenario.models import Building, Scenario

__all__ = [
    "ComfortBand",
    "capacity_for_scenario",
    "ev_for_scenario",
    "ped_for_scenario",
    "thermal_mass_for_scenario",
]


@dataclass(frozen=True)
class ComfortBand:
    """Indoor temperature band [degC], by local hour.

    Attributes
    ----------
    day_min_c, day_max_c
        Band from ``day_start_h`` to ``day_end_h`` (local wall clock).
    night_min_c, night_max_c
        Band in the other hours (night setback allowed).
    set_point_c
        The temperature the space-heat profile holds; must lie inside both bands.

    Notes
    -----
    Defaults: 20-23 degC by day and 17-23 degC at night, in line with the operative
    temperature range of EN 16798-1:2019, category II, for residential heating (20-25 degC),
    with a night setback to 17 degC (DIN V 18599-10 usage profiles) [est].
    """

    day_min_c: float = 20.0
    day_max_c: float = 23.0
    night_min_c: float = 17.0
    night_max_c: float = 23.0
    day_start_h: int = 6
    day_end_h: int = 22
    set_point_c: float = 20.0

    def bounds(self, time: pd.DatetimeIndex, timezone: str) -> tuple[np.ndarray, np.ndarray]:
        """Lower and upper band per step, (time,) [degC]."""
        hour = np.asarray(time.tz_convert(to_zoneinfo(timezone)).hour)
        day = (hour >= self.day_start_h) & (hour < self.day_end_h)
        return (
            np.where(day, self.day_min_c, self.night_min_c),
            np.where(day, self.day_max_c, self.night_max_c),
        )


def ev_for_scenario(
    scenario: Scenario, buildings: list[Building], inputs: Inputs, smart: bool
) -> EVParams | None:
    """EV lanes of the scenario's sessions (district chargers on the district node)."""
    if not smart or len(inputs.ev_sessions) == 0:
        return None
    n = len(buildings)
    # sessions name owners by their index in scenario.buildings; units follow the profiles
    unit_of_owner = np.array([inputs.building_ids.index(b.id) for b in scenario.buildings] + [n])
    eff = np.array(
        [b.ev.efficiency if b.ev else 1.0 for b in buildings]
        + [
            float(np.mean([g.efficiency for g in scenario.district.ev]))
            if scenario.district.ev
            else 1.0
        ]
    )
    return ev_params(inputs.ev_sessions, inputs.n_steps, unit_of_owner, eff)


def thermal_mass_for_scenario(
    scenario: Scenario,
    buildings: list[Building],
    inputs: Inputs,
    series: dict[str, np.ndarray],
    settings: OptimalSettings,
    notes: list[str],
) -> ThermalMassParams | None:
    """1R1C parameters of every building with space heat.

    ``H`` = space heat over the period / heating degree hours below the building use's
    heating limit (EN ISO 13790 degree-hour balance); ``C = tau * H`` with the time constant
    ``tau`` of the use (:data:`sparcs.profiles.heat.THERMAL_USE`, EN ISO 13790 eq. 94).
    """
    if not settings.thermal_mass:
        return None
    space = series["space"][:, :-1]
    temp = outdoor_temperature(inputs)
    limit = np.array([THERMAL_USE[b.use].heating_limit_c for b in buildings])
    tau = np.array([THERMAL_USE[b.use].inertia_h for b in buildings])
    degree_h = np.maximum(limit[None, :] - temp[:, None], 0.0).sum(axis=0) * inputs.dt_h
    energy = space.sum(axis=0) * inputs.dt_h
    unit = np.flatnonzero((energy > 0) & (degree_h > 0))
    if not unit.size:
        notes.append("thermal mass asked for, but no building has space heat in the period")
        return None
    h = energy[unit] / degree_h[unit]
    low, high = settings.comfort.bounds(inputs.time, scenario.timezone)
    m = unit.size
    notes.append(
        f"space heat of {m} building(s) follows a 1R1C thermal-mass model with the "
        f"comfort band {settings.comfort.night_min_c:g}-{settings.comfort.day_max_c:g} degC"
    )
    return ThermalMassParams(
        unit=unit,
        reference_kw=space[:, unit],
        h_kw_per_k=h,
        c_kwh_per_k=tau[unit] * h,
        t_set_c=np.full(m, settings.comfort.set_point_c),
        t_min_c=np.tile(low[:, None], (1, m)),
        t_max_c=np.tile(high[:, None], (1, m)),
    )


def ped_for_scenario(
    scenario: Scenario, inputs: Inputs, fuels: tuple[str, ...], mode: str
) -> PedParams | None:
    """The PE balance constraint with the scenario's factors, annual or per local month."""
    if mode == "none":
        return None
    from sparcs.carriers.factors import scenario_factors

    f = scenario_factors(scenario, inputs.time)
    if mode == "monthly":
        local = inputs.time.tz_convert(to_zoneinfo(scenario.timezone))
        code = np.asarray(local.year) * 12 + np.asarray(local.month)
        period = np.unique(code, return_inverse=True)[1]
    else:
        period = np.zeros(inputs.n_steps, dtype=int)
    zeros = np.zeros(inputs.n_steps)
    fuel = np.column_stack([f.pef[c] if c else zeros for c in fuels])
    credit = None
    if scenario.boundary.kind == "virtual":
        virtual = inputs.district["virtual_kw"] * inputs.dt_h * f.pef_export["electricity"]
        heat = inputs.district.get("virtual_heat_kw")
        if heat is not None:  # heat delivered (after network losses) at the district-heat factor
            virtual = virtual + heat * inputs.dt_h * f.pef["district_heat"]
        credit = np.bincount(period, weights=virtual)
    return PedParams(
        import_pe=f.pef["electricity"],
        export_pe=f.pef_export["electricity"],
        district_heat_pe=f.pef["district_heat"],
        district_heat_export_pe=f.pef_export["district_heat"],
        fuel_pe=fuel,
        period=period,
        credit_kwh=credit,
    )


def capacity_for_scenario(
    scenario: Scenario, time: pd.DatetimeIndex, weight: float, district_heat: bool
) -> tuple[CapacityParams | None, CapacityParams | None]:
    """The tariff's capacity charges on the grid import and the district heat bought, each
    price weighted like the ``cost`` objective (``weight``); None where there is none."""
    if weight <= 0:
        return None, None
    from sparcs.carriers.tariffs import tariff_prices

    prices = tariff_prices(scenario, time)
    out: list[CapacityParams | None] = []
    for charge, used in ((prices.capacity, True), (prices.district_heat_capacity, district_heat)):
        if charge is None or not charge.present or not used:
            out.append(None)
            continue
        out.append(
            CapacityParams(
                period=charge.period, window=charge.window, eur_per_kw=weight * charge.eur_per_kw
            )
        )
    return out[0], out[1]
