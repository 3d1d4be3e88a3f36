"""Replication screening: a lighthouse district moved to a fellow city.

The district is run there, and the screening says what it lacks.

The district keeps its buildings, their measures and assets (sizes as given; heat pumps without
a size are sized again by the same rule, to the new climate's peak); it takes the target city's
climate (synthetic year from its normals), its national factor set, its default tariff and its
time zone. Files of the origin (weather, tariff, hourly factors, baseline) are dropped.

When the district is not PED there, the screening estimates the PV that would close the gap:
each extra kWp yields the district's own specific yield in the new climate, and each kWh of it
avoids or earns at least ``k_exp x f_P,nren,exp`` of the city's set (self-consumed PV avoids
import at f_P,nren, exported PV earns k_exp x f_P,nren,exp; the smaller bounds the gain), so
``kWp = gap / (yield x k_exp x f_P,nren,exp)`` is an upper bound of the PV needed. It is set
against the PV room left on the roofs (0.2 kWp per m2 of ``roof_area_m2``, less the kWp
already there). A screening, not a plan; with ``adjust`` the planner runs where the district
is not PED there and says which measures make it positive, at what cost, or why none on site
can (:mod:`.adjust`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from sparcs.data import get_city, get_factor_set
from sparcs.network.adjust import Adjustment, plan_adjustments
from sparcs.network.simulate import rule_run
from sparcs.scenario import Scenario, load_scenario

__all__ = [
    "KWP_PER_M2_ROOF",
    "PED_CLASSES",
    "ReplicationRecord",
    "replicate_district",
    "replicated",
    "replication_table",
]

#: PV density on a usable roof [kWp/m2] (modules of ~20 % efficiency with spacing).
KWP_PER_M2_ROOF = 0.2
#: The verdicts that make a district positive.
PED_CLASSES = ("PEDautonomous", "PEDdynamic", "PEDvirtual")


@dataclass(frozen=True)
class ReplicationRecord:
    """A district replicated to a city.

    Attributes
    ----------
    district, origin, city
        Scenario name, the origin city and the target city (names).
    factor_set
        The target city's factor set used.
    ped_class
        The verdict in the target city.
    peb, peb_per_m2
        Primary-energy balance [kWh_PE/a] and per m2 [kWh_PE/(m2 a)].
    floor_area_m2
        The district's floor area [m2].
    co2_net
        Net emissions [kg CO2-eq/a].
    net_energy_cost
        Energy cost less export revenue [EUR/a], at the target city's default tariff.
    pv_kwp, pv_yield
        PV installed [kWp] and its specific yield in the target climate [kWh/kWp/a] (NaN
        without PV).
    extra_pv_kwp
        Upper bound of the PV that would close the gap [kWp]; 0 when PED already.
    roof_room_kwp
        PV room left on the roofs [kWp].
    advice
        One sentence: PED reached, PV enough on the roofs, or more than PV needed.
    adjustment
        What the planner adds where the district is not PED; None when not asked or PED.
    """

    district: str
    origin: str
    city: str
    factor_set: str
    ped_class: str
    peb: float
    peb_per_m2: float
    floor_area_m2: float
    co2_net: float
    net_energy_cost: float
    pv_kwp: float
    pv_yield: float
    extra_pv_kwp: float
    roof_room_kwp: float
    advice: str
    adjustment: Adjustment | None = None


def replicated(scenario: Scenario, city: str) -> Scenario:
    """``scenario`` moved to ``city``: its climate, factors, tariff and zone; origin files dropped.

    Parameters
    ----------
    scenario
        The lighthouse district.
    city
        Embedded city key of the target, e.g. ``"kladno"``.

    Returns
    -------
    Scenario
        The same buildings and assets in the target city.

    Raises
    ------
    ScenarioError
        When the city is not embedded.
    """
    get_city(city)
    site = scenario.site.model_copy(
        update={
            "city": city,
            "latitude": None,
            "longitude": None,
            "elevation_m": None,
            "timezone": None,
            "country": None,
        }
    )
    weather = scenario.weather.model_copy(
        update={"source": "synthetic", "file": None, "format": None}
    )
    factors = scenario.factors.model_copy(
        update={"set": None, "hourly_file": None, "dh_allocation": None}
    )
    tariff = type(scenario.tariff)()
    return scenario.model_copy(
        update={
            "site": site,
            "weather": weather,
            "factors": factors,
            "tariff": tariff,
            "baseline": None,
            "name": f"{scenario.name} in {get_city(city).name}",
        }
    )


def _advice(ped_class: str, extra: float, room: float, yield_kwh: float) -> str:
    if ped_class in PED_CLASSES:
        return f"reaches {ped_class} as it is"
    if not yield_kwh > 0:
        return "no PV to scale: add PV (and check roof area) before screening again"
    if extra <= room:
        return (
            f"about {extra:,.0f} kWp more PV would close the gap; "
            f"the roofs have room for {room:,.0f} kWp"
        )
    return (
        f"about {extra:,.0f} kWp more PV would be needed but the roofs hold {room:,.0f} kWp: "
        "add retrofits, heat pumps or storage, or a virtual/functional plant (run sparcs plan)"
    )


def replicate_district(point: tuple[Path, str], *, adjust: bool = False) -> ReplicationRecord:
    """Run a scenario file replicated to a city and screen it (the worker's task).

    Parameters
    ----------
    point
        ``(scenario file, target city key)``.
    adjust
        Where the district is not PED there, run the planner with the PED target
        (:func:`~sparcs.network.adjust.plan_adjustments`).

    Returns
    -------
    ReplicationRecord
        The verdict there, the PV screening and, with ``adjust``, the planner's measures.
    """
    path, city = point
    origin = load_scenario(path)
    target = replicated(origin, city)
    result = rule_run(target)
    kpis = result.kpis
    area = sum(b.floor_area_m2 for b in target.buildings)
    pv_kwp = float(
        sum(b.pv.kwp for b in target.buildings if b.pv) + sum(p.kwp for p in target.district.pv)
    )
    pv_kwh = float(result.flows.total("pv_kwh").sum())
    yield_kwh = pv_kwh / pv_kwp if pv_kwp > 0 else float("nan")
    factors = get_factor_set(kpis.factor_set)
    k_exp = target.factors.k_exp if target.factors.k_exp is not None else factors.k_exp
    credit = k_exp * min(factors["electricity"].f_p_nren, factors["electricity"].f_p_nren_exp)
    gap = max(0.0, -kpis["peb"].value)
    extra = gap / (yield_kwh * credit) if gap > 0 and yield_kwh > 0 and credit > 0 else 0.0
    roof = sum((b.roof_area_m2 or 0.0) for b in target.buildings) * KWP_PER_M2_ROOF
    room = max(0.0, roof - pv_kwp)
    ped_class = kpis.verdict.ped_class
    adjustment = plan_adjustments(target) if adjust and ped_class not in PED_CLASSES else None
    return ReplicationRecord(
        district=origin.name,
        origin=get_city(origin.site.city).name if origin.site.city else "",
        city=get_city(city).name,
        factor_set=kpis.factor_set,
        ped_class=kpis.verdict.ped_class,
        peb=kpis["peb"].value,
        peb_per_m2=kpis["peb"].value / area if area > 0 else float("nan"),
        floor_area_m2=float(area),
        co2_net=kpis["co2_net"].value,
        net_energy_cost=kpis["net_energy_cost"].value,
        pv_kwp=pv_kwp,
        pv_yield=yield_kwh,
        extra_pv_kwp=extra,
        roof_room_kwp=room,
        advice=_advice(ped_class, extra, room, yield_kwh),
        adjustment=adjustment,
    )


def replication_table(records: list[ReplicationRecord]) -> pd.DataFrame:
    """One row per city: the screening, then the planner's adjustment (``plan_*`` columns).

    Parameters
    ----------
    records
        Replication records, in the order of the rows.

    Returns
    -------
    pandas.DataFrame
        The record's fields, then ``plan_status``, ``plan_measures``, ``plan_capex_eur``,
        ``plan_annual_cost_change_eur`` [EUR/a] and ``plan_peb_per_m2`` [kWh_PE/(m2 a)]
        (empty or NaN where the planner did not run).
    """
    rows = []
    for r in records:
        row = {name: getattr(r, name) for name in r.__dataclass_fields__ if name != "adjustment"}
        a = r.adjustment
        row |= {
            "plan_status": a.status if a else "",
            "plan_measures": a.message if a else "",
            "plan_capex_eur": a.capex_eur if a else math.nan,
            "plan_annual_cost_change_eur": a.annual_cost_change_eur if a else math.nan,
            "plan_peb_per_m2": (
                a.peb_after / r.floor_area_m2 if a and r.floor_area_m2 > 0 else math.nan
            ),
        }
        rows.append(row)
    return pd.DataFrame(rows)
