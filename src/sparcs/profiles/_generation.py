"""Output of a scenario's generators as arrays: PV, solar thermal, wind, and the shares of
remote (virtual) plants; one column per asset, computed for all of them at once."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from sparcs.climate.weather import Weather
from sparcs.profiles._solar import SolarGeometry
from sparcs.profiles.pv import pv_arrays_ac_kw
from sparcs.profiles.solar_thermal import solar_thermal_kw
from sparcs.profiles.wind import wind_kw
from sparcs.scenario import PV, Scenario, SolarThermal, Wind
from sparcs.scenario.models import SOLAR_THERMAL_KW_PER_M2

__all__ = ["pv_output", "solar_thermal_output", "virtual_heat_kw", "virtual_kw", "wind_output"]


def pv_output(
    weather: Weather, arrays: Sequence[PV], geometry: SolarGeometry | None = None
) -> np.ndarray:
    """AC output of PV arrays, (time, array) [kW]; ``geometry``: the sun's, when known."""
    return pv_arrays_ac_kw(weather, arrays, geometry=geometry)


def solar_thermal_output(
    weather: Weather, collectors: Sequence[SolarThermal], geometry: SolarGeometry | None = None
) -> np.ndarray:
    """Heat of solar-thermal collectors, (time, collector) [kW]; ``geometry`` when known."""
    if not collectors:
        return np.zeros((len(weather.time), 0))
    c = collectors
    return solar_thermal_kw(
        weather,
        [x.area_m2 for x in c],
        [x.tilt_deg for x in c],
        [x.azimuth_deg for x in c],
        [x.eta0 for x in c],
        [x.a1 for x in c],
        [x.a2 for x in c],
        [x.mean_fluid_temp_c for x in c],
        geometry=geometry,
    )


def wind_output(weather: Weather, turbines: Sequence[Wind]) -> np.ndarray:
    """Electricity of wind turbines, (time, turbine) [kW]."""
    if not turbines:
        return np.zeros((len(weather.time), 0))
    t = turbines
    return wind_kw(
        weather,
        [x.capacity_kw for x in t],
        [x.hub_height_m for x in t],
        [x.cut_in_m_s for x in t],
        [x.rated_m_s for x in t],
        [x.cut_out_m_s for x in t],
        [x.roughness_m for x in t],
    )


def virtual_kw(
    scenario: Scenario, weather: Weather, geometry: SolarGeometry | None = None
) -> np.ndarray:
    """Electricity of the virtual PV and wind assets, their shares summed [kW]."""
    total = np.zeros(len(weather.time))
    for asset in scenario.boundary.virtual_assets:
        if asset.kind == "solar_thermal":
            continue
        if asset.kind == "pv":
            pv = PV(kwp=asset.capacity_kw, tilt_deg=asset.tilt_deg, azimuth_deg=asset.azimuth_deg)
            total += pv_output(weather, [pv], geometry)[:, 0] * asset.share
        else:
            turbine = Wind(
                capacity_kw=asset.capacity_kw,
                hub_height_m=asset.hub_height_m,
                roughness_m=0.1,
                rated_m_s=12.0,
            )
            total += wind_output(weather, [turbine])[:, 0] * asset.share
    return total


def virtual_heat_kw(
    scenario: Scenario, weather: Weather, geometry: SolarGeometry | None = None
) -> np.ndarray:
    """Heat the virtual solar-thermal shares deliver to the district [kW].

    Each plant's output (collector area = capacity / :data:`SOLAR_THERMAL_KW_PER_M2`, the
    default collector of :class:`~sparcs.scenario.SolarThermal`) times its share, less the
    district-heating network's losses on the way: ``share x Q x (1 - network_loss)``.
    """
    total = np.zeros(len(weather.time))
    for asset in scenario.boundary.virtual_assets:
        if asset.kind != "solar_thermal":
            continue
        plant = SolarThermal(
            area_m2=asset.capacity_kw / SOLAR_THERMAL_KW_PER_M2,
            tilt_deg=asset.tilt_deg,
            azimuth_deg=asset.azimuth_deg,
        )
        heat = solar_thermal_output(weather, [plant], geometry)[:, 0]
        total += heat * asset.share * (1.0 - asset.network_loss)
    return total
