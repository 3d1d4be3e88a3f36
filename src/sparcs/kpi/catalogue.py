"""The KPI catalogue: key, label, unit, group and a one-line definition with its source.

One table drives the report, the docs and the API schema (house style HS-07). Keys are those
of :class:`~sparcs.kpi.report.Kpi`; fractions are reported in %. "Period" is the period of the
flows, normally one year.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["KPI_CATALOGUE", "KpiInfo"]


@dataclass(frozen=True)
class KpiInfo:
    """Label, unit, group and one-line description (with source) of a KPI."""

    label: str
    unit: str
    group: str
    description: str


_SCIS = "SCIS KPI Guide v2.0 (2017)"
_GAB = "Gabaldón Moreno et al., Sustainability 13(2) 710 (2021)"
_SALOM = "Salom et al., Applied Energy 136, 119-131 (2014)"
_LUTH = "Luthander et al., Applied Energy 142, 80-94 (2015)"
_ISO = "EN ISO 52000-1:2017 §9.6"


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
    # ped
    "pei": KpiInfo(
        "Primary energy imported (PEI)",
        "kWh_PE",
        "ped",
        "Delivered energy times the non-renewable factor f_P,nren, summed over carriers "
        f"({_GAB}, step 6; {_ISO}).",
    ),
    "pee": KpiInfo(
        "Primary energy exported (PEE)",
        "kWh_PE",
        "ped",
        "Renewable export (electricity, and heat fed into the district-heating network "
        "after its losses) times k_exp times the export f_P,nren, plus exported CHP "
        f"output at the f_P,nren of its fuel (only renewable surplus counts; {_GAB}, "
        f"step 6; {_ISO}.6 steps A and B).",
    ),
    "pee_chp": KpiInfo(
        "PE of exported CHP output",
        "kWh_PE",
        "ped",
        "Exported CHP electricity and heat (CHP first) at the f_P,nren of its fuel, "
        "split between power and heat by the energy method; nets the fuel out, no "
        f"surplus ({_ISO}.6 step A).",
    ),
    "pee_heat": KpiInfo(
        "PE of renewable heat export",
        "kWh_PE",
        "ped",
        "Renewable heat fed into the district-heating network (solar heat, ambient "
        "part of heat-pump heat) times (1 - network loss) times k_exp times the "
        f"district-heat export f_P,nren ({_ISO}.6 step B).",
    ),
    "pee_functional": KpiInfo(
        "PE of functional plants",
        "kWh_PE",
        "ped",
        "Output of the named plants outside the area counted inside the "
        "functional boundary, at the factor of the carrier it replaces "
        "(domain.md §2.3).",
    ),
    "peb": KpiInfo(
        "PED balance (PEB)",
        "kWh_PE",
        "ped",
        "PEE - PEI on non-renewable primary energy inside the boundary; PED if >= 0 "
        f"({_GAB}, step 7).",
    ),
    "peb_per_m2": KpiInfo(
        "PED balance per floor area",
        "kWh_PE/m2",
        "ped",
        f"PEB divided by conditioned floor area ({_GAB}).",
    ),
    "pee_virtual": KpiInfo(
        "PE exported by virtual assets",
        "kWh_PE",
        "ped",
        "Output of remote assets, counted only for a virtual boundary: electricity "
        "at the electricity export factor, heat delivered (after network losses) at "
        "the district-heat factor (Energies 15(12) 4491, 2022).",
    ),
    "peb_virtual": KpiInfo(
        "PED balance with virtual assets",
        "kWh_PE",
        "ped",
        "PEB counting virtual assets' output as export (Energies 15(12) 4491, 2022).",
    ),
    "hours_net_import": KpiInfo(
        "Hours with net import (physical)",
        "h",
        "ped",
        "Hours in which any carrier crosses the boundary inward more than outward "
        "(electricity import above export, district heat, fuel); physical, never "
        "virtual energy (Energies 14(16) 4864, 2021).",
    ),
    "months_net_import": KpiInfo(
        "Months with net import (physical)",
        "#",
        "ped",
        "Local calendar months in which any carrier is imported net; physical, "
        "never virtual energy (Energies 14(16) 4864, 2021).",
    ),
    "hours_net_import_virtual": KpiInfo(
        "Hours with net import (virtual, PE)",
        "h",
        "ped",
        "Hours whose non-renewable primary-energy import exceeds the export "
        "counting the virtual assets, netted across carriers (a virtual "
        "view; Energies 15(12) 4491, 2022).",
    ),
    "months_net_import_virtual": KpiInfo(
        "Months with net import (virtual, PE)",
        "#",
        "ped",
        "Local months with a negative primary-energy balance counting the "
        "virtual assets, netted across carriers (a virtual view).",
    ),
    "pei_tot": KpiInfo(
        "Total primary energy delivered",
        "kWh_PE",
        "ped",
        "Delivered energy times the total factor f_P,tot, summed over carriers "
        f"({_ISO}; EN 17423).",
    ),
    "pe_ren": KpiInfo(
        "Renewable primary energy used",
        "kWh_PE",
        "ped",
        "Delivered energy times f_P,tot - f_P,nren, plus on-site renewables used (PV and "
        f"wind self-consumed, solar heat, ambient heat) at f_P,ren = 1 ({_ISO}).",
    ),
    "rer": KpiInfo(
        "Renewable energy ratio (RER)",
        "%",
        "ped",
        "E_P,ren / (E_P,nren + E_P,ren) of the energy used inside the boundary "
        f"({_ISO}.7; EN 17423).",
    ),
    "peb_annual_factors": KpiInfo(
        "PED balance, annual factors",
        "kWh_PE",
        "ped",
        f"PEB with the factor set's annual PEFs, to compare with the hourly one ({_GAB}).",
    ),
    # emissions
    "co2": KpiInfo(
        "GHG emissions",
        "kg CO2-eq",
        "emissions",
        f"Headline: delivered energy times emission factors, without export credit ({_SCIS}).",
    ),
    "co2_per_m2": KpiInfo(
        "GHG emissions per floor area",
        "kg CO2-eq/m2",
        "emissions",
        f"Headline emissions divided by conditioned floor area ({_SCIS}).",
    ),
    "co2_per_resident": KpiInfo(
        "GHG emissions per resident",
        "kg CO2-eq/resident",
        "emissions",
        f"Headline emissions divided by residents ({_SCIS}).",
    ),
    "co2_net": KpiInfo(
        "GHG emissions, net of export credit (physical)",
        "kg CO2-eq",
        "emissions",
        "Emissions minus renewable export times k_exp times the export factor (symmetric "
        "unless the set is labelled asymmetric-regulatory) minus CHP export at its fuel's "
        f"CO2; never subtracts virtual assets ({_ISO}.6; {_SCIS}).",
    ),
    "co2_net_per_m2": KpiInfo(
        "Net GHG emissions per floor area",
        "kg CO2-eq/m2",
        "emissions",
        "Net emissions (physical) divided by conditioned floor area.",
    ),
    "co2_net_per_resident": KpiInfo(
        "Net GHG emissions per resident",
        "kg CO2-eq/resident",
        "emissions",
        "Net emissions (physical) divided by residents.",
    ),
    "co2_net_virtual": KpiInfo(
        "GHG emissions, net incl. virtual assets",
        "kg CO2-eq",
        "emissions",
        "co2_net minus the virtual assets' output times the electricity export "
        "factor (virtual heat: the district-heat factor); virtual boundary "
        "only (Energies 15(12) 4491, 2022).",
    ),
    "co2_net_virtual_per_m2": KpiInfo(
        "Net GHG incl. virtual assets per floor area",
        "kg CO2-eq/m2",
        "emissions",
        "co2_net_virtual divided by conditioned floor area.",
    ),
    "co2_net_virtual_per_resident": KpiInfo(
        "Net GHG incl. virtual assets per resident",
        "kg CO2-eq/resident",
        "emissions",
        "co2_net_virtual divided by residents.",
    ),
    "co2_annual_factors": KpiInfo(
        "GHG emissions, annual factors",
        "kg CO2-eq",
        "emissions",
        f"Headline emissions with the set's annual factors instead of hourly ones ({_SCIS}).",
    ),
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
