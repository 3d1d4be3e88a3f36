"""The catalogue entries of the balance KPIs: PED balance, net import, primary energy, CO2.

Part of :data:`sparcs.kpi.catalogue.KPI_CATALOGUE` (same order); split off by concept.
"""

from __future__ import annotations

from sparcs.kpi.kpi_info import _GAB, _ISO, _SCIS, KpiInfo

__all__ = ["BALANCE_KPIS"]

BALANCE_KPIS: dict[str, KpiInfo] = {
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
}
