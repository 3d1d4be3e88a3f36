"""One district of the network on the harmonised basis, reduced to what the table needs.

:func:`district_record` is the task a worker runs: load the scenario, switch it to the
harmonised factor set, run it, and keep the few numbers of :class:`DistrictRecord` (no flows
travel back to the driver).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sparcs.data import get_city
from sparcs.kpi import compute_kpis
from sparcs.network.degree_days import heating_degree_days
from sparcs.network.simulate import rule_run
from sparcs.scenario import Scenario, load_scenario

__all__ = ["CARRIERS", "HARMONISED", "DistrictRecord", "district_record", "harmonised"]

#: The factor set every district of a network table is computed with (docs/accounting.md:
#: "For comparing cities"): one set of default factors, so that differences come from the
#: districts, not from national factor choices.
HARMONISED = "eu-harmonised-2024"
#: Delivered carriers of the gap drivers, as the KPIs name their final energy.
CARRIERS = ("electricity", "district_heat", "gas", "oil", "biomass")


@dataclass(frozen=True)
class DistrictRecord:
    """A district's result on the harmonised basis.

    Attributes
    ----------
    district, city, source
        Scenario name, city key (``""`` when the site gives coordinates only) and file.
    national_set
        The factor set the scenario names or its city defaults to (replaced here).
    factor_set
        The factor set of these numbers: :data:`HARMONISED`.
    ped_class, ghg_net_zero
        The verdict.
    peb, pei, pee
        Annual primary-energy balance, import and export credit [kWh_PE/a].
    co2_net
        Net emissions [kg CO2-eq/a].
    final_energy
        Delivered energy [kWh/a].
    final_by_carrier
        Delivered energy per carrier of :data:`CARRIERS` [kWh/a].
    local_renewable
        Renewable generation in the district [kWh/a].
    self_sufficiency
        Share of the use met locally [%].
    floor_area_m2, residents
        Sums over the buildings (residents 0 when not given).
    hdd
        Degree days G20/15 of the weather year [K d].
    heating_share
        Space heat's share of the useful demand (electricity, space heat, hot water,
        cooling) [-]: the weather-dependent share of the climate correction.
    """

    district: str
    city: str
    source: str
    national_set: str
    factor_set: str
    ped_class: str
    ghg_net_zero: bool
    peb: float
    pei: float
    pee: float
    co2_net: float
    final_energy: float
    final_by_carrier: dict[str, float]
    local_renewable: float
    self_sufficiency: float
    floor_area_m2: float
    residents: float
    hdd: float
    heating_share: float


def harmonised(scenario: Scenario) -> Scenario:
    """``scenario`` on the harmonised factor set: national set, hourly factors and k_exp dropped.

    Parameters
    ----------
    scenario
        A validated scenario.

    Returns
    -------
    Scenario
        The same district with ``[factors] set = "eu-harmonised-2024"`` and the set's own
        k_exp and district-heat allocation.
    """
    factors = scenario.factors.model_copy(
        update={"set": HARMONISED, "hourly_file": None, "k_exp": None, "dh_allocation": None}
    )
    return scenario.model_copy(update={"factors": factors})


def district_record(path: Path) -> DistrictRecord:
    """Run one scenario file on the harmonised basis and reduce it to its record.

    Parameters
    ----------
    path
        A scenario file.

    Returns
    -------
    DistrictRecord
        The district's numbers for the network table; a baseline the scenario names is run
        on the harmonised set as well.

    Raises
    ------
    ScenarioError
        When the file is invalid.
    """
    scenario = load_scenario(path)
    national = scenario.factor_set_name
    # the baseline is run here, on the harmonised set too: a reduction measured against a
    # baseline on national factors would mix two methods
    chosen = harmonised(scenario).model_copy(update={"baseline": None})
    result = rule_run(chosen)
    kpis, weather = result.kpis, result.inputs.weather
    if scenario.baseline is not None:
        base = harmonised(load_scenario(scenario.baseline)).model_copy(update={"baseline": None})
        before = rule_run(base)
        kpis = compute_kpis(result.flows, chosen, baseline=before.flows, baseline_scenario=base)
    demand = result.inputs.annual_kwh
    useful = sum(float(demand[name].sum()) for name in demand)
    heat = float(demand["space_heat"].sum()) if "space_heat" in demand else 0.0
    city = scenario.site.city or ""
    return DistrictRecord(
        district=scenario.name,
        city=get_city(city).name if city else "",
        source=str(path),
        national_set=national,
        factor_set=kpis.factor_set,
        ped_class=kpis.verdict.ped_class,
        ghg_net_zero=kpis.verdict.ghg_net_zero,
        peb=kpis["peb"].value,
        pei=kpis["pei"].value,
        pee=kpis["pee"].value,
        co2_net=kpis["co2_net"].value,
        final_energy=kpis["final_energy"].value,
        final_by_carrier={c: kpis[f"final_energy_{c}"].value for c in CARRIERS},
        local_renewable=kpis["local_renewable_generation"].value,
        self_sufficiency=kpis["self_sufficiency"].value,
        floor_area_m2=float(sum(b.floor_area_m2 for b in scenario.buildings)),
        residents=float(sum(b.residents or 0 for b in scenario.buildings)),
        hdd=heating_degree_days(weather.data["temp_air"], scenario.timezone),
        heating_share=heat / useful if useful > 0 else 0.0,
    )
