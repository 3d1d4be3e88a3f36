"""The measures catalogue (``data/measures.toml``): retrofit packages and sizing rules."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from typing import Any

from sparcs.data import data_path
from sparcs.errors import ScenarioError

__all__ = ["RetrofitPackage", "SizingRules", "retrofit_packages", "sizing_rules"]


@cache
def _catalogue() -> dict[str, Any]:
    return tomllib.loads(data_path("measures.toml").read_text(encoding="utf-8"))


@dataclass(frozen=True)
class RetrofitPackage:
    """A retrofit package: what it saves and which cost entry prices it.

    Attributes
    ----------
    name
        Key, e.g. ``"deep"``.
    label
        Words for reports.
    space_heat_reduction
        Share of the space-heat demand the package saves [-].
    cost
        Technology key in ``costs.toml`` (priced per m2 of floor area).
    source
        Provenance; ``[est]`` marks estimates.
    """

    name: str
    label: str
    space_heat_reduction: float
    cost: str
    source: str = ""


@dataclass(frozen=True)
class SizingRules:
    """Bounds of the sizes the planner may choose (``[sizing]`` of the catalogue).

    Attributes
    ----------
    pv_kwp_per_m2_roof
        PV power per m2 of usable roof [kWp/m2].
    roof_share_of_floor
        Use -> usable roof area per m2 of floor area, when a building gives none [-].
    battery_days_of_electricity
        Largest battery, in days of the building's mean appliance electricity [d].
    battery_max_c_rate
        Largest battery power per kWh of capacity [1/h].
    thermal_storage_days_of_heat
        Largest tank, in days of the building's mean heat demand [d].
    heat_pump_peak_factor
        Largest heat pump, as a multiple of the building's peak heat demand [-].
    ev_max_power_kw
        Largest power per EV charge point [kW].
    """

    pv_kwp_per_m2_roof: float
    roof_share_of_floor: dict[str, float]
    battery_days_of_electricity: float
    battery_max_c_rate: float
    thermal_storage_days_of_heat: float
    heat_pump_peak_factor: float
    ev_max_power_kw: float


def retrofit_packages(names: tuple[str, ...] | None = None) -> tuple[RetrofitPackage, ...]:
    """The retrofit packages of the catalogue (all, or those named).

    Parameters
    ----------
    names
        Package names of ``data/measures.toml`` ``[retrofit]``; None = all of them.

    Returns
    -------
    tuple of RetrofitPackage
        Each package's share of the space-heat demand saved [-], the ``costs.toml`` entry
        that prices it (per m2 of floor area) and its source, in the order asked for.

    Raises
    ------
    ScenarioError
        When a name is not in the catalogue.

    Examples
    --------
    >>> [p.name for p in retrofit_packages()]
    ['light', 'deep', 'heat_pump_ready']
    """
    table = _catalogue()["retrofit"]
    chosen = tuple(table) if names is None else names
    unknown = [n for n in chosen if n not in table]
    if unknown:
        msg = (
            f"unknown retrofit package(s) {', '.join(unknown)}; the catalogue has "
            f"{', '.join(table)}"
        )
        raise ScenarioError(msg)
    return tuple(
        RetrofitPackage(
            name=n,
            label=table[n]["label"],
            space_heat_reduction=float(table[n]["space_heat_reduction"]),
            cost=table[n]["cost"],
            source=table[n]["source"],
        )
        for n in chosen
    )


def sizing_rules() -> SizingRules:
    """The sizing rules of the catalogue (``data/measures.toml`` ``[sizing]``).

    Returns
    -------
    SizingRules
        PV per m2 of roof [kWp/m2], roof share of floor per use [-], the largest battery
        [days of electricity] and its C-rate [1/h], the largest tank [days of heat], heat
        pumps up to the peak heat times a factor [-] and the largest EV charge point [kW].
    """
    s = _catalogue()["sizing"]
    limits = s["limits"]
    return SizingRules(
        pv_kwp_per_m2_roof=float(s["pv_kwp_per_m2_roof"]),
        roof_share_of_floor={k: float(v) for k, v in s["roof_share_of_floor"].items()},
        battery_days_of_electricity=float(limits["battery_days_of_electricity"]),
        battery_max_c_rate=float(limits["battery_max_c_rate"]),
        thermal_storage_days_of_heat=float(limits["thermal_storage_days_of_heat"]),
        heat_pump_peak_factor=float(limits["heat_pump_peak_factor"]),
        ev_max_power_kw=float(limits["ev_max_power_kw"]),
    )
