"""Plausibility of a scenario's content: sizes, demand intensities, prices (after the schema).

The schema (:mod:`sparcs.scenario.models`) checks types and hard bounds of each field alone;
this module checks magnitudes against :data:`sparcs.plausibility.QUANTITIES`: sizes beyond any
real building or installation and annual demands per m2 or per resident that fit a wrong unit
(Wh, MWh) are errors; unusual but possible values are used with a
:class:`~sparcs.errors.PlausibilityWarning`. Every problem is reported at once, with the file
and field path (or CSV row) as everywhere in a scenario.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from sparcs.errors import Problem, ScenarioError
from sparcs.plausibility import scalar_problem, warn

__all__ = ["check_scenario", "require_buildings"]

#: Asset field -> quantity of :data:`~sparcs.plausibility.QUANTITIES` (building assets).
_BUILDING_ASSETS = {
    ("pv", "kwp"): "building_pv_kwp",
    ("battery", "capacity_kwh"): "battery_kwh",
    ("battery", "power_kw"): "battery_kw",
    ("thermal_storage", "capacity_kwh"): "thermal_storage_kwh",
    ("heat_pump", "capacity_kw"): "heat_kw",
    ("boiler", "capacity_kw"): "heat_kw",
    ("chp", "electric_kw"): "heat_kw",
    ("electric_boiler", "power_kw"): "heat_kw",
    ("wind", "capacity_kw"): "wind_kw",
    ("solar_thermal", "area_m2"): "solar_thermal_m2",
    ("ev", "count"): "ev_count",
    ("ev", "power_kw"): "ev_kw",
}
_DISTRICT_ASSETS = {
    "pv": ("kwp", "pv_kwp"),
    "wind": ("capacity_kw", "wind_kw"),
    "solar_thermal": ("area_m2", "solar_thermal_m2"),
    "ev": ("power_kw", "ev_kw"),
}
_INTENSITIES = {
    "electricity_kwh": "electricity_kwh_per_m2",
    "space_heat_kwh": "space_heat_kwh_per_m2",
    "dhw_kwh": "dhw_kwh_per_m2",
    "cooling_kwh": "cooling_kwh_per_m2",
}


def _building_values(building: Any) -> Iterator[tuple[str, float, str, str]]:
    """(field path, value, quantity, label) of every checked figure of one building."""
    yield "floor_area_m2", building.floor_area_m2, "floor_area_m2", ""
    if building.roof_area_m2 is not None:
        yield "roof_area_m2", building.roof_area_m2, "roof_area_m2", ""
    if building.residents:
        yield "residents", building.residents, "residents", ""
        per = building.floor_area_m2 / building.residents
        yield "residents", per, "floor_area_m2_per_resident", "floor area per resident"
        if building.electricity_kwh is not None:
            yield (
                "electricity_kwh",
                building.electricity_kwh / building.residents,
                "electricity_kwh_per_resident",
                "electricity_kwh per resident",
            )
    for field, quantity in _INTENSITIES.items():
        value = getattr(building, field)
        if value is not None:
            yield field, value / building.floor_area_m2, quantity, f"{field} per m2 of floor area"
    for (asset, field), quantity in _BUILDING_ASSETS.items():
        owner = getattr(building, asset)
        if owner is not None and getattr(owner, field) is not None:
            yield f"{asset}.{field}", float(getattr(owner, field)), quantity, ""


def _district_values(scenario: Any) -> Iterator[tuple[str, float, str]]:
    district = scenario.district
    for asset, (field, quantity) in _DISTRICT_ASSETS.items():
        for i, item in enumerate(getattr(district, asset)):
            yield f"district.{asset}[{i}].{field}", getattr(item, field), quantity
    for asset, field, quantity in (
        ("battery", "capacity_kwh", "battery_kwh"),
        ("battery", "power_kw", "battery_kw"),
        ("thermal_storage", "capacity_kwh", "thermal_storage_kwh"),
        ("heat_pump", "capacity_kw", "heat_kw"),
        ("chp", "electric_kw", "heat_kw"),
        ("electric_boiler", "power_kw", "heat_kw"),
    ):
        owner = getattr(district, asset)
        if owner is not None:
            yield f"district.{asset}.{field}", getattr(owner, field), quantity
    for i, item in enumerate(scenario.boundary.virtual_assets):
        quantity = {"pv": "pv_kwp", "wind": "wind_kw"}.get(item.kind, "heat_kw")
        yield f"boundary.virtual_assets[{i}].capacity_kw", item.capacity_kw, quantity
    for field in ("import_limit_kw", "export_limit_kw"):
        value = getattr(scenario.grid, field)
        if value is not None:
            yield f"grid.{field}", value, "grid_kw"
    tariff = scenario.tariff
    for field in (
        "import_eur_per_kwh",
        "export_eur_per_kwh",
        "district_heat_eur_per_kwh",
        "gas_eur_per_kwh",
    ):
        value = getattr(tariff, field)
        if value is not None:
            yield f"tariff.{field}", value, "price_eur_per_kwh"
    for i, window in enumerate(tariff.tou):
        yield f"tariff.tou[{i}].price_eur_per_kwh", window.price_eur_per_kwh, "price_eur_per_kwh"
    if scenario.site.elevation_m is not None:
        yield "site.elevation_m", scenario.site.elevation_m, "elevation_m"


def check_scenario(
    scenario: Any,
    *,
    source: str = "",
    csv_source: str = "",
    n_toml_buildings: int | None = None,
    csv_lines: Sequence[int] = (),
) -> None:
    """Check the magnitudes of a validated scenario; warn about unusual values.

    Parameters
    ----------
    scenario
        A validated :class:`~sparcs.scenario.models.Scenario`.
    source, csv_source
        The scenario file and its building file, for messages.
    n_toml_buildings, csv_lines
        Buildings from the scenario file come first; the others are CSV rows on these lines.

    Raises
    ------
    ScenarioError
        With every implausible figure (beyond any real building, or a likely unit mix-up).
    """
    n_toml = len(scenario.buildings) if n_toml_buildings is None else n_toml_buildings
    errors: list[Problem] = []
    for number, building in enumerate(scenario.buildings):
        in_csv = number >= n_toml
        row = number - n_toml
        for field, value, quantity, label in _building_values(building):
            if in_csv:
                line = csv_lines[row] if row < len(csv_lines) else row + 2
                location, file = f"row {line} (id {building.id!r}), column {field}", csv_source
            else:
                location, file = f"buildings[{number}].{field}", source
            found = scalar_problem(float(value), quantity, label=label or field)
            if found is None:
                continue
            message, is_error = found
            if is_error:
                errors.append(Problem(location, message, file))
            else:
                warn(str(Problem(location, message, file)))
    for location, value, quantity in _district_values(scenario):
        found = scalar_problem(float(value), quantity, label=location.rsplit(".", 1)[-1])
        if found is None:
            continue
        message, is_error = found
        if is_error:
            errors.append(Problem(location, message, source))
        else:
            warn(str(Problem(location, message, source)))
    if errors:
        raise ScenarioError(errors, source)


def require_buildings(scenario: Any, *, source: str = "") -> None:
    """Raise when the district has no building: a PED verdict needs a demand.

    Raises
    ------
    ScenarioError
        For a district without buildings (an empty district would be classed "autonomous").
    """
    if not scenario.buildings:
        msg = (
            "the district has no buildings; add [[buildings]] (id, use, floor_area_m2) or a "
            "buildings_file, since a PED balance without any demand has no meaning"
        )
        raise ScenarioError([Problem("buildings", msg, source)], source)
