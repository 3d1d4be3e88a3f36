"""The tables of a KPI report: district values, one row per building, one row per month.

Every value comes from the KPI functions of this package; this module only arranges them and
turns fractions into %.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

from sparcs.kpi._base import (
    DELIVERED,
    FUELS,
    LOADS,
    delivered_steps,
    district_value,
    generation_steps,
    month_groups,
    node_total,
    step_total,
    steps,
)
from sparcs.kpi._export import heat_export_split
from sparcs.kpi.economics import capacity_cost, energy_cost, export_revenue, storage_end_value
from sparcs.kpi.emissions import co2_emissions, co2_steps
from sparcs.kpi.energy import (
    electricity_use,
    final_energy,
    local_generation,
    self_consumption,
    self_sufficiency,
)
from sparcs.kpi.grid import (
    grid_interaction_index,
    load_cover_factor,
    peak_import,
    peak_import_time,
    supply_cover_factor,
)
from sparcs.kpi.mobility import ev_charge_points, ev_energy, ev_renewable_share, v2g_energy
from sparcs.kpi.net_import import (
    net_import_hours,
    net_import_months,
    virtual_net_import_hours,
    virtual_net_import_months,
)
from sparcs.kpi.ped import (
    chp_export_pe,
    pe_steps,
    primary_energy_balance,
    primary_energy_export,
    primary_energy_import,
)
from sparcs.kpi.primary import (
    primary_energy_total,
    renewable_energy_ratio,
    renewable_primary_energy,
)
from sparcs.kpi.renewables import curtailment, curtailment_share, decentralised_share, res_share
from sparcs.kpi.storage import storage_cycles, storage_losses

if TYPE_CHECKING:
    from sparcs.carriers.factors import StepFactors
    from sparcs.carriers.tariffs import TariffPrices
    from sparcs.kpi._export import FunctionalSupply
    from sparcs.operation.flows import Flows

__all__ = ["building_table", "district_values", "mobility_values", "monthly_table"]

PCT = 100.0
#: What a KPI function returns: a float (district) or one value per building.
_Value = float | pd.Series


def _energy(flows: Flows, factors: StepFactors) -> dict[str, _Value]:
    values: dict[str, _Value] = {"final_energy": final_energy(flows)}
    values |= {f"final_energy_{c}": final_energy(flows, carrier=c) for c in DELIVERED}
    values |= {
        "final_energy_per_m2": final_energy(flows, per="m2"),
        "final_energy_per_resident": final_energy(flows, per="resident"),
        "electricity_use": electricity_use(flows),
        "electricity_export": float(step_total(flows, "grid_export_kwh").sum()),
        "heat_export": float(step_total(flows, "dh_export_kwh").sum()),
        "local_generation": local_generation(flows),
        "local_renewable_generation": local_generation(flows, renewable=True),
        "self_consumption": PCT * self_consumption(flows),
        "self_sufficiency": PCT * self_sufficiency(flows),
        "res_share": PCT * res_share(flows, factors=factors),
        "decentralised_share": PCT * decentralised_share(flows),
        "curtailment": curtailment(flows),
        "curtailment_share": PCT * curtailment_share(flows),
    }
    return values


def _ped(
    flows: Flows, factors: StepFactors, virtual: bool, functional: FunctionalSupply | None = None
) -> dict[str, _Value]:
    pei_t, pee_t = pe_steps(flows, factors, functional=functional)
    _, pee_all = pe_steps(flows, factors, include_virtual=True, functional=functional)
    pei, pee = float(pei_t.sum()), float(pee_t.sum())
    area = float(np.asarray(flows.floor_area_m2, dtype=float).sum())
    values: dict[str, _Value] = {
        "pei": pei,
        "pee": pee,
        "pee_chp": float(chp_export_pe(flows, factors).sum()),
        "pee_heat": float(
            (heat_export_split(flows)[1] * factors.pef_export["district_heat"]).sum()
        ),
        "peb": pee - pei,
        "peb_per_m2": (pee - pei) / area if area > 0 else float("nan"),
        "pee_virtual": float(pee_all.sum()) - pee,
        "peb_virtual": float(pee_all.sum()) - pei,
        "hours_net_import": net_import_hours(flows, functional=functional),
        "months_net_import": float(net_import_months(flows, functional=functional)),
        "pei_tot": primary_energy_total(flows, factors=factors),
        "pe_ren": renewable_primary_energy(flows, factors=factors),
        "rer": PCT * renewable_energy_ratio(flows, factors=factors),
    }
    if functional is not None:
        values["pee_functional"] = float(
            functional.credit(factors.pef_export["electricity"], factors.pef["district_heat"]).sum()
        )
    if virtual:
        values["virtual_heat"] = float(step_total(flows, "virtual_heat_kwh").sum())
        values["hours_net_import_virtual"] = virtual_net_import_hours(flows, factors=factors)
        values["months_net_import_virtual"] = float(
            virtual_net_import_months(flows, factors=factors)
        )
    if factors.hourly:
        values["peb_annual_factors"] = primary_energy_balance(flows, factors=factors.annual())
    return values


def _emissions(
    flows: Flows, factors: StepFactors, virtual: bool, functional: FunctionalSupply | None = None
) -> dict[str, _Value]:
    values: dict[str, _Value] = {}
    area = float(np.asarray(flows.floor_area_m2, dtype=float).sum())
    residents = float(np.asarray(flows.residents, dtype=float).sum())
    keys = [("co2", False, False), ("co2_net", True, False)]
    if virtual:
        keys.append(("co2_net_virtual", True, True))
    for key, credit, with_virtual in keys:
        total = float(
            co2_steps(
                flows,
                factors,
                export_credit=credit,
                include_virtual=with_virtual,
                functional=functional if credit else None,
            ).sum()
        )
        values[key] = total
        values[f"{key}_per_m2"] = total / area if area > 0 else float("nan")
        values[f"{key}_per_resident"] = total / residents if residents > 0 else float("nan")
    if factors.hourly:
        values["co2_annual_factors"] = co2_emissions(flows, factors=factors.annual())
    return values


def district_values(
    flows: Flows,
    *,
    factors: StepFactors,
    prices: TariffPrices,
    virtual: bool,
    functional: FunctionalSupply | None = None,
) -> dict[str, float]:
    """District KPI values by catalogue key (fractions in %), without mobility and baseline."""
    values = _energy(flows, factors) | _ped(flows, factors, virtual, functional)
    values |= _emissions(flows, factors, virtual, functional)
    values |= {
        "peak_import": peak_import(flows),
        "load_cover_factor": PCT * load_cover_factor(flows),
        "supply_cover_factor": PCT * supply_cover_factor(flows),
        "grid_interaction_index": grid_interaction_index(flows),
        "battery_cycles": storage_cycles(flows, store="battery"),
        "battery_losses": storage_losses(flows, store="battery"),
        "tes_cycles": storage_cycles(flows, store="tes"),
        "tes_losses": storage_losses(flows, store="tes"),
    }
    cost = energy_cost(flows, prices=prices)
    revenue = export_revenue(flows, prices=prices)
    end_value = storage_end_value(flows, prices=prices)
    values |= {
        "energy_cost": cost,
        "capacity_cost": capacity_cost(flows, prices=prices),
        "export_revenue": revenue,
        "net_energy_cost": cost - revenue,
        "storage_end_value": end_value,
        "net_energy_cost_adjusted": cost - revenue - end_value,
    }
    return {k: district_value(v) for k, v in values.items()}


def mobility_values(flows: Flows) -> dict[str, float]:
    """E-mobility KPI values (fractions in %), on flows that still carry EV charging."""
    return {
        "ev_energy": district_value(ev_energy(flows)),
        "ev_renewable_share": PCT * district_value(ev_renewable_share(flows)),
        "v2g_energy": district_value(v2g_energy(flows)),
        "ev_charge_points": district_value(ev_charge_points(flows)),
    }


def building_table(flows: Flows, *, factors: StepFactors) -> pd.DataFrame:
    """One row per building, one column per KPI (own-meter view); units in ``attrs["units"]``."""
    b: Literal["building"] = "building"
    fuel = sum(final_energy(flows, by=b, carrier=f) for f in FUELS)
    columns: dict[str, tuple[object, str]] = {
        "floor_area_m2": (flows.floor_area_m2[:-1], "m2"),
        "residents": (flows.residents[:-1], "-"),
        "final_energy": (final_energy(flows, by=b), "kWh"),
        "final_energy_per_m2": (final_energy(flows, by=b, per="m2"), "kWh/m2"),
        "final_energy_electricity": (final_energy(flows, by=b, carrier="electricity"), "kWh"),
        "final_energy_district_heat": (final_energy(flows, by=b, carrier="district_heat"), "kWh"),
        "final_energy_fuel": (fuel, "kWh"),
        "electricity_use": (electricity_use(flows, by=b), "kWh"),
        "pv": (node_total(flows, "pv_kwh")[: len(flows.building_ids)], "kWh"),
        "local_generation": (local_generation(flows, by=b), "kWh"),
        "self_consumption": (PCT * self_consumption(flows, by=b), "%"),
        "self_sufficiency": (PCT * self_sufficiency(flows, by=b), "%"),
        "res_share": (PCT * res_share(flows, by=b, factors=factors), "%"),
        "co2": (co2_emissions(flows, by=b, factors=factors), "kg CO2-eq"),
        "co2_per_m2": (co2_emissions(flows, by=b, factors=factors, per="m2"), "kg CO2-eq/m2"),
        "pei": (primary_energy_import(flows, by=b, factors=factors), "kWh_PE"),
        "pee": (primary_energy_export(flows, by=b, factors=factors), "kWh_PE"),
        "peb": (primary_energy_balance(flows, by=b, factors=factors), "kWh_PE"),
        "peak_import": (peak_import(flows, by=b), "kW"),
        "peak_import_time": (peak_import_time(flows, by=b), "local time"),
        "ev_energy": (ev_energy(flows, by=b), "kWh"),
        "battery_cycles": (storage_cycles(flows, by=b), "cycles"),
    }
    index = pd.Index(list(flows.building_ids), name="building")
    table = pd.DataFrame(
        {
            k: np.asarray(v, dtype=object if k == "peak_import_time" else float)
            for k, (v, _) in columns.items()
        },
        index=index,
    )
    table.attrs["units"] = {k: unit for k, (_, unit) in columns.items()}
    return table


def monthly_table(
    flows: Flows, *, factors: StepFactors, virtual: bool, functional: FunctionalSupply | None = None
) -> pd.DataFrame:
    """One row per local calendar month: energy per carrier [kWh], the PE balance [kWh_PE]
    and emissions [kg CO2-eq], with the factors in force (hourly ones where given).
    ``co2_<carrier>`` split ``co2`` by delivered carrier and ``co2_credit`` is what the
    export, virtual and functional credits take off it (``co2 - co2_credit = co2_net``).
    ``net_import`` is the sign of the month's primary-energy balance (with the virtual assets
    for a virtual boundary), not the physical count of ``months_net_import``."""
    labels, group = month_groups(flows)
    delivered = delivered_steps(flows)
    pei, pee = pe_steps(flows, factors, functional=functional)
    _, pee_all = pe_steps(flows, factors, include_virtual=True, functional=functional)
    series = {
        "electricity_import": (delivered["electricity"], "kWh"),
        "electricity_export": (step_total(flows, "grid_export_kwh"), "kWh"),
        "district_heat": (delivered["district_heat"], "kWh"),
        "fuel": (sum(delivered[f] for f in FUELS), "kWh"),
        "local_generation": (generation_steps(flows), "kWh"),
        "electricity_use": (steps(flows, LOADS), "kWh"),
        "pei": (pei, "kWh_PE"),
        "pee": (pee, "kWh_PE"),
        "pee_virtual": (pee_all - pee, "kWh_PE"),
        "peb": (pee - pei, "kWh_PE"),
        "co2": (co2_steps(flows, factors), "kg CO2-eq"),
        "co2_net": (
            co2_steps(
                flows, factors, export_credit=True, include_virtual=virtual, functional=functional
            ),
            "kg CO2-eq",
        ),
    }
    # the gross emissions per carrier (they add up to co2) and every credit taken off them
    # (co2 - co2_credit = co2_net), so a report draws them without a factor of its own
    series |= {
        f"co2_{carrier}": (delivered[carrier] * factors.co2_kg_per_kwh[carrier], "kg CO2-eq")
        for carrier in DELIVERED
    }
    series["co2_credit"] = (series["co2"][0] - series["co2_net"][0], "kg CO2-eq")
    table = pd.DataFrame(
        {
            k: np.bincount(group, weights=np.asarray(v, dtype=float), minlength=len(labels))
            for k, (v, _) in series.items()
        },
        index=pd.Index(labels, name="month"),
    )
    balance = table["peb"] + (table["pee_virtual"] if virtual else 0.0)
    table["net_import"] = balance < -1e-9 * np.maximum(table["pei"], table["pee"])
    table.attrs["units"] = {k: unit for k, (_, unit) in series.items()} | {"net_import": "bool"}
    return table
