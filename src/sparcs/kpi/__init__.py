"""KPIs of a district run: energy, PED balance and class, emissions, grid, storage, mobility, cost.

Every KPI is a plain function with one signature (house style HS-12): the
:class:`~sparcs.operation.flows.Flows` first, then keyword-only ``by`` (``"district"`` or
``"building"``) and, where they matter, ``factors`` (:class:`StepFactors`) or ``prices``
(:class:`TariffPrices`). :func:`compute_kpis` runs them all and returns a :class:`KpiReport`.
"""

from sparcs.kpi._base import district_value
from sparcs.kpi.baseline import (
    SPARCS_TARGETS,
    co2_reduction,
    final_energy_reduction,
    peak_import_reduction,
    res_share_increase,
    target_checks,
)
from sparcs.kpi.catalogue import KPI_CATALOGUE, KpiInfo
from sparcs.kpi.compute import compute_kpis
from sparcs.kpi.economics import energy_cost, export_revenue, net_energy_cost
from sparcs.kpi.emissions import co2_emissions
from sparcs.kpi.energy import (
    electricity_use,
    final_energy,
    local_generation,
    self_consumption,
    self_sufficiency,
)
from sparcs.kpi.functional import FunctionalSupply, functional_supply
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
    primary_energy_balance,
    primary_energy_export,
    primary_energy_import,
)
from sparcs.kpi.ped_class import (
    PRE_PED_MIN_COVER,
    PRE_PED_MIN_REDUCTION,
    SPARCS_PRE_PED,
    BalanceSummary,
    PrePedConvention,
    classify_ped,
)
from sparcs.kpi.primary import (
    primary_energy_total,
    renewable_energy_ratio,
    renewable_primary_energy,
)
from sparcs.kpi.renewables import curtailment, curtailment_share, decentralised_share, res_share
from sparcs.kpi.report import PED_CLASSES, Kpi, KpiReport, PedVerdict, TargetCheck
from sparcs.kpi.scope import exclude_mobility
from sparcs.kpi.storage import storage_cycles, storage_losses
from sparcs.kpi.verdict import balance_summary, ped_verdict

__all__ = [
    "BalanceSummary",
    "FunctionalSupply",
    "KPI_CATALOGUE",
    "Kpi",
    "KpiInfo",
    "KpiReport",
    "PED_CLASSES",
    "PRE_PED_MIN_COVER",
    "PRE_PED_MIN_REDUCTION",
    "PedVerdict",
    "PrePedConvention",
    "SPARCS_PRE_PED",
    "SPARCS_TARGETS",
    "TargetCheck",
    "balance_summary",
    "classify_ped",
    "co2_emissions",
    "co2_reduction",
    "compute_kpis",
    "curtailment",
    "curtailment_share",
    "decentralised_share",
    "district_value",
    "electricity_use",
    "energy_cost",
    "ev_charge_points",
    "ev_energy",
    "ev_renewable_share",
    "exclude_mobility",
    "export_revenue",
    "final_energy",
    "final_energy_reduction",
    "functional_supply",
    "grid_interaction_index",
    "load_cover_factor",
    "local_generation",
    "net_energy_cost",
    "net_import_hours",
    "net_import_months",
    "peak_import",
    "peak_import_reduction",
    "peak_import_time",
    "ped_verdict",
    "primary_energy_balance",
    "primary_energy_export",
    "primary_energy_import",
    "primary_energy_total",
    "renewable_energy_ratio",
    "renewable_primary_energy",
    "res_share",
    "res_share_increase",
    "self_consumption",
    "self_sufficiency",
    "storage_cycles",
    "storage_losses",
    "supply_cover_factor",
    "target_checks",
    "v2g_energy",
    "virtual_net_import_hours",
    "virtual_net_import_months",
]
