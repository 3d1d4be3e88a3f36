"""Annual demands per building: given in the scenario, or from archetype intensities."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from sparcs.climate.weather import Weather
from sparcs.data import City, archetype_intensity, get_city
from sparcs.scenario import Building, Scenario

__all__ = ["annual_demands", "site_city"]

DEMANDS = ("electricity", "space_heat", "dhw", "cooling")


def site_city(scenario: Scenario, weather: Weather) -> City:
    """The embedded city of the scenario, or a custom-site city whose normals come from ``weather``.

    For a custom site, monthly mean temperatures of the weather replace normals, so archetype
    intensities scale with the degree days of the weather the user supplied.
    """
    if scenario.site.city is not None:
        return get_city(scenario.site.city)
    reference = get_city("leipzig")
    local = weather.data["temp_air"].tz_convert(scenario.timezone)
    monthly = local.groupby(local.index.month).mean().reindex(range(1, 13)).interpolate().bfill().ffill()
    return replace(
        reference,
        key="custom",
        name="custom site",
        country=(scenario.site.country or "").upper(),
        latitude=weather.latitude,
        longitude=weather.longitude,
        timezone=scenario.timezone,
        temp_c=tuple(float(v) for v in monthly),
    )


def _annual(building: Building, city: City) -> tuple[float, float, float, float]:
    intensity = archetype_intensity(building.use, building.construction_period, city)
    area = building.floor_area_m2
    electricity = building.electricity_kwh
    if electricity is None:
        electricity = intensity.electricity_kwh_m2 * area
    space_heat = building.space_heat_kwh
    if space_heat is None:
        space_heat = intensity.space_heat_kwh_m2 * area if building.heating != "none" else 0.0
    dhw = building.dhw_kwh
    if dhw is None:
        dhw = intensity.dhw_kwh_m2 * area if building.hot_water and building.heating != "none" else 0.0
    cooling = building.cooling_kwh
    if cooling is None:
        cooling = intensity.cooling_kwh_m2 * area if building.cooling else 0.0
    return float(electricity), float(space_heat), float(dhw), float(cooling)


def annual_demands(buildings: list[Building], city: City) -> dict[str, np.ndarray]:
    """Annual demand per building [kWh]: the given value, else intensity x floor area.

    Parameters
    ----------
    buildings
        The buildings, in column order.
    city
        The climate that scales archetype intensities.

    Returns
    -------
    dict
        ``electricity``, ``space_heat``, ``dhw``, ``cooling`` -> array (building,) [kWh/a].
    """
    values = np.array([_annual(b, city) for b in buildings], dtype=float).reshape(-1, 4)
    return {name: values[:, i] for i, name in enumerate(DEMANDS)}
