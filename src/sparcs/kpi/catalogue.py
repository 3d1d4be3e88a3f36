"""The KPI catalogue: key, label, unit, group and a one-line definition with its source.

One table drives the report, the docs and the API schema (house style HS-07). Keys are those
of :class:`~sparcs.kpi.report.Kpi`; fractions are reported in %. "Period" is the period of the
flows, normally one year.
"""

from __future__ import annotations

from sparcs.kpi.catalogue_balance import BALANCE_KPIS
from sparcs.kpi.kpi_info import _GAB, _LUTH, _SALOM, _SCIS, KpiInfo

__all__ = ["KPI_CATALOGUE", "KpiInfo"]


def _fe(carrier: str, what: str) -> KpiInfo:
    return KpiInfo(
        f"Final energy: {carrier}",
        "kWh",
        "energy",
        f"{what} delivered across the boundary over the period ({_SCIS}; SECAP FET0).",
    )


KPI_CATALOGUE: dict[str, KpiInfo] = {
    # energy
    "final_energy": KpiInfo(
        "Final energy",
        "kWh",
        "energy",
        "Energy delivered across the boundary over the period: grid electricity, "
        f"district heat and fuels ({_SCIS}; SECAP FET0).",
    ),
    "final_energy_electricity": _fe("electricity", "Grid electricity"),
    "final_energy_district_heat": _fe("district heat", "District heat"),
    "final_energy_gas": _fe("gas", "Gas burned in boilers and CHP"),
    "final_energy_oil": _fe("oil", "Oil burned in boilers and CHP"),
    "final_energy_biomass": _fe("biomass", "Biomass burned in boilers and CHP"),
    "final_energy_per_m2": KpiInfo(
        "Final energy per floor area",
        "kWh/m2",
        "energy",
        f"Final energy divided by conditioned floor area ({_SCIS}).",
    ),
    "final_energy_per_resident": KpiInfo(
        "Final energy per resident",
        "kWh/resident",
        "energy",
        f"Final energy divided by residents ({_SCIS}); empty without residents.",
    ),
    "electricity_use": KpiInfo(
        "Electricity use",
        "kWh",
        "energy",
        "Electrical load: appliances, heat pumps, electric boilers, chillers and "
        f"EV charging ({_LUTH}).",
    ),
    "electricity_export": KpiInfo(
        "Electricity export",
        "kWh",
        "energy",
        f"Electricity exported across the boundary ({_GAB}, step 5).",
    ),
    "heat_export": KpiInfo(
        "Heat export",
        "kWh",
        "energy",
        "Heat fed into the external district-heating network, metered where it "
        f"leaves the district, before the network's losses ({_GAB}, step 5).",
    ),
    "virtual_heat": KpiInfo(
        "Virtual heat delivered",
        "kWh",
        "energy",
        "Heat of the virtual solar-thermal shares delivered through the "
        "district-heating network (after its losses); virtual boundary only, in no "
        "physical count (Energies 15(12) 4491, 2022).",
    ),
    "local_generation": KpiInfo(
        "Local generation",
        "kWh",
        "energy",
        "Electricity from PV, wind and CHP inside the boundary, after curtailment (SCIS RES0).",
    ),
    "local_renewable_generation": KpiInfo(
        "Local renewable generation",
        "kWh",
        "energy",
        "Electricity from PV and wind inside the boundary, after curtailment (SCIS RES0).",
    ),
    "self_consumption": KpiInfo(
        "Self-consumption",
        "%",
        "energy",
        f"Share of local generation used inside the boundary, 1 - export/generation ({_LUTH}).",
    ),
    "self_sufficiency": KpiInfo(
        "Self-sufficiency",
        "%",
        "energy",
        f"Share of the electrical load not imported, 1 - import/load ({_LUTH}).",
    ),
    "res_share": KpiInfo(
        "RES share",
        "%",
        "energy",
        "Renewable share of gross final energy: local PV/wind used, solar heat, ambient "
        "heat of heat pumps, biomass, and the renewable shares of grid electricity and "
        f"district heat ({_SCIS}; RED II Annex VII).",
    ),
    "decentralised_share": KpiInfo(
        "Decentralised electricity share",
        "%",
        "energy",
        "Local generation divided by electricity use (ISO 37120 indicator 7.4).",
    ),
    "curtailment": KpiInfo(
        "Curtailment",
        "kWh",
        "energy",
        "Renewable electricity curtailed (JPI Urban Europe PED programme).",
    ),
    "curtailment_share": KpiInfo(
        "Curtailment share",
        "%",
        "energy",
        "Curtailed share of PV and wind potential (JPI Urban Europe PED programme).",
    ),
    **BALANCE_KPIS,
    # grid
    "peak_import": KpiInfo(
        "Peak import",
        "kW",
        "grid",
        "Highest import power at the boundary, max energy per step / step length "
        "(SCIS grid KPIs); its local time is in the note.",
    ),
    "load_cover_factor": KpiInfo(
        "Load cover factor",
        "%",
        "grid",
        f"Share of load met by local generation in the same step ({_SALOM}).",
    ),
    "supply_cover_factor": KpiInfo(
        "Supply cover factor",
        "%",
        "grid",
        f"Share of local generation used by the load in the same step ({_SALOM}).",
    ),
    "grid_interaction_index": KpiInfo(
        "Grid interaction index",
        "-",
        "grid",
        f"std(net export) / max|net export| over the steps ({_SALOM}).",
    ),
    # storage
    "battery_cycles": KpiInfo(
        "Battery equivalent full cycles",
        "cycles",
        "storage",
        "Energy discharged / capacity (storage utilisation, domain.md §4.3 #18).",
    ),
    "battery_losses": KpiInfo(
        "Battery losses",
        "kWh",
        "storage",
        "Charged minus discharged minus change of stored energy (storage balance).",
    ),
    "tes_cycles": KpiInfo(
        "Heat-store equivalent full cycles",
        "cycles",
        "storage",
        "Heat discharged / capacity (storage utilisation, domain.md §4.3 #18).",
    ),
    "tes_losses": KpiInfo(
        "Heat-store losses",
        "kWh",
        "storage",
        "Charged minus discharged minus change of stored heat, incl. standing losses.",
    ),
    # mobility
    "ev_energy": KpiInfo(
        "EV charging", "kWh", "mobility", "Energy charged into EVs (SCIS mobility; CITYkeys)."
    ),
    "ev_renewable_share": KpiInfo(
        "EV renewable share",
        "%",
        "mobility",
        "Share of EV charging met by local PV/wind in the same step, pro rata (SCIS mobility).",
    ),
    "v2g_energy": KpiInfo(
        "V2G energy", "kWh", "mobility", "Energy discharged from vehicles (SCIS mobility)."
    ),
    "ev_charge_points": KpiInfo(
        "EV charge points", "#", "mobility", "Number of charge points (SCIS mobility; CITYkeys)."
    ),
    # economics
    "energy_cost": KpiInfo(
        "Energy cost",
        "EUR",
        "economics",
        f"Import x price per step + district heat and fuel x price + capacity "
        f"charges ({_SCIS}, E1).",
    ),
    "capacity_cost": KpiInfo(
        "Capacity charges",
        "EUR",
        "economics",
        "Peak mean power of a step per local month or year (grid import, "
        "district heat bought) x price per kW; part of the energy cost "
        "(StromNEV §17/§19; Finnish power tariffs).",
    ),
    "export_revenue": KpiInfo(
        "Export revenue",
        "EUR",
        "economics",
        "Exported electricity x feed-in price, plus heat fed into the "
        f"district-heating network x its price ({_SCIS}, economic KPIs).",
    ),
    "net_energy_cost": KpiInfo(
        "Net energy cost",
        "EUR",
        "economics",
        f"Energy cost minus export revenue ({_SCIS}, economic KPIs).",
    ),
    "storage_end_value": KpiInfo(
        "Storage end value",
        "EUR",
        "economics",
        "Stored energy at the end minus at the start, at the mean import "
        "price (battery) or the district-heat price (heat store).",
    ),
    "net_energy_cost_adjusted": KpiInfo(
        "Net cost, storage-adjusted",
        "EUR",
        "economics",
        "Net energy cost minus the storage end value: compares "
        "strategies that end with other storage levels fairly.",
    ),
    # baseline
    "final_energy_reduction": KpiInfo(
        "Final energy reduction",
        "%",
        "baseline",
        f"(baseline - actual) / baseline final energy, not weather-normalised "
        f"({_SCIS}; SPARCS target -53 %).",
    ),
    "co2_reduction": KpiInfo(
        "GHG reduction",
        "%",
        "baseline",
        "(baseline - actual) / baseline headline emissions, annual factors "
        "(SCIS; SPARCS target -64 %).",
    ),
    "peak_import_reduction": KpiInfo(
        "Peak import reduction",
        "%",
        "baseline",
        "(baseline - actual) / baseline peak import (SCIS grid KPIs).",
    ),
    "res_share_increase": KpiInfo(
        "RES share increase",
        "%",
        "baseline",
        "(actual - baseline) / baseline RES share (SPARCS target +65 %).",
    ),
}
