"""``compute_kpis``: every KPI of a run, the PED class and the report tables.

The same code runs on simulated and on measured flows. Settings come from the scenario: the
factor set and optional hourly file, the tariff, the boundary (kind, virtual assets,
system scope) and the time zone of the calendar months, peaks and tariff windows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sparcs.carriers.factors import StepFactors, scenario_factors
from sparcs.carriers.tariffs import tariff_prices
from sparcs.errors import DataError
from sparcs.kpi._base import district_value, reuse_arrays
from sparcs.kpi.baseline import (
    co2_reduction,
    final_energy_reduction,
    peak_import_reduction,
    res_share_increase,
    target_checks,
)
from sparcs.kpi.catalogue import KPI_CATALOGUE
from sparcs.kpi.functional import functional_supply
from sparcs.kpi.grid import peak_import_time
from sparcs.kpi.ped_class import PrePedConvention
from sparcs.kpi.renewables import res_share
from sparcs.kpi.report import Kpi, KpiReport, TargetCheck
from sparcs.kpi.scope import exclude_mobility
from sparcs.kpi.tables import building_table, district_values, mobility_values, monthly_table
from sparcs.kpi.verdict import ped_verdict

if TYPE_CHECKING:
    from sparcs.operation.flows import Flows
    from sparcs.scenario.models import Scenario

__all__ = ["compute_kpis"]


def _scoped(flows: Flows, scenario: Scenario) -> Flows:
    return flows if scenario.boundary.include_mobility else exclude_mobility(flows)


def _baseline(
    scoped: Flows,
    baseline: Flows,
    scenario: Scenario,
    baseline_scenario: Scenario | None,
    factors: StepFactors,
) -> tuple[Flows, StepFactors, dict[str, float], tuple[TargetCheck, ...]]:
    """Baseline flows in scope, their annual factors, the reductions and the target checks."""
    base_scenario = baseline_scenario or scenario
    base = _scoped(baseline, base_scenario)
    base_f = scenario_factors(base_scenario, baseline.time, hourly=False)
    values = {
        "final_energy_reduction": district_value(final_energy_reduction(scoped, baseline=base)),
        "co2_reduction": district_value(
            co2_reduction(scoped, baseline=base, factors=factors, baseline_factors=base_f)
        ),
        "peak_import_reduction": district_value(peak_import_reduction(scoped, baseline=base)),
        "res_share_increase": district_value(
            res_share_increase(scoped, baseline=base, factors=factors, baseline_factors=base_f)
        ),
    }
    targets = target_checks(
        values,
        res_share_pct=100.0 * district_value(res_share(scoped, factors=factors)),
        baseline_res_share_pct=100.0 * district_value(res_share(base, factors=base_f)),
    )
    return base, base_f, values, targets


def _kpis(values: dict[str, float], notes: dict[str, str]) -> tuple[Kpi, ...]:
    """KPIs in catalogue order, with label, unit, group, description and note."""
    return tuple(
        Kpi(
            key=key,
            label=info.label,
            value=values[key],
            unit=info.unit,
            group=info.group,
            description=info.description,
            note=notes.get(key, ""),
        )
        for key, info in KPI_CATALOGUE.items()
        if key in values
    )


def _meta(
    flows: Flows,
    scenario: Scenario,
    factors: StepFactors,
    source: str,
    convention: PrePedConvention,
) -> dict[str, Any]:
    end = flows.time[-1] + (flows.time[1] - flows.time[0])
    fs = factors.factor_set
    return {
        "period_start": flows.time[0].isoformat(),
        "period_end": end.isoformat(),
        "n_steps": len(flows.time),
        "dt_h": flows.dt_h,
        "timezone": scenario.timezone,
        "factor_source": factors.source,
        "hourly_factors": factors.hourly,
        "dh_allocation": factors.dh_allocation,
        "grid_renewable_share": factors.grid_renewable_share,
        "dh_renewable_share": factors.dh_renewable_share,
        "pef_kind": f"f_P,{fs.pef_kind} (PED balance); f_P,tot for pei_tot, pe_ren and rer",
        "co2_scope": fs.co2_scope,
        "k_exp": factors.k_exp,
        "export_credit": fs.export_credit,
        "factor_method": fs.method,
        "factor_updated": fs.updated,
        "boundary": scenario.boundary.kind,
        "sharing": flows.sharing,
        "include_mobility": scenario.boundary.include_mobility,
        "tariff_kind": scenario.tariff.kind,
        "tariff_source": source,
        "pre_ped_convention": convention.text,
        "pre_ped_min_cover": convention.min_cover,
        "pre_ped_min_reduction": convention.min_reduction,
        "functional_plants": [p.name for p in scenario.boundary.functional_plants],
        "flow_notes": list(getattr(flows, "notes", ())),
        "assumptions": [
            "headline CO2 is without export credit; co2_net subtracts it (physical: never the "
            "virtual assets; co2_net_virtual does for a virtual boundary)",
            "only renewable surplus counts: exported electricity is CHP output first, credited at "
            "its fuel's non-renewable primary energy and CO2 (no surplus); the rest at k_exp times "
            "the export factors",
            "the PED class is the energy level; ped.ghg_net_zero states the GHG condition",
            "hours_net_import and months_net_import count physical import per carrier",
            "oil and biomass are priced at the tariff's gas price",
            "building KPIs use the own meter: grid plus community exchange counts as import",
            "district heat counts in the RES share at the factor set's dh_renewable_share",
            "baseline reductions use annual factor sets and are not weather-normalised",
        ],
    }


def compute_kpis(
    flows: Flows,
    scenario: Scenario,
    *,
    baseline: Flows | None = None,
    baseline_scenario: Scenario | None = None,
) -> KpiReport:
    """Compute every KPI of a run, the PED class with its reason, and the report tables.

    Parameters
    ----------
    flows
        Energy flows of the run, simulated or measured [kWh per step].
    scenario
        The scenario: factor set and hourly file, tariff, boundary and time zone.
    baseline
        Flows of the reference system for reductions, SPARCS targets and the pre-PED
        reduction criterion; a period of the same length.
    baseline_scenario
        Scenario of the baseline (its factor set and system scope); default ``scenario``.

    Returns
    -------
    KpiReport
        District KPIs in catalogue order (fractions in %), the PED verdict, one row per
        building, one row per local month, the factor set and the settings in ``meta``.

    Raises
    ------
    ScenarioError
        A price that is needed but not known (custom site), or an invalid setting.
    DataError
        An hourly factor or price file that does not cover the period; a baseline of
        another length; inconsistent fuel data; flows in another time zone than the scenario.

    References
    ----------
    domain.md §3 and §4.3; the source of each KPI is in :data:`~sparcs.kpi.KPI_CATALOGUE`.
    """
    _check_zone(flows, scenario, "flows")
    if baseline is not None:
        _check_zone(baseline, baseline_scenario or scenario, "baseline flows")
    kind = scenario.boundary.kind
    virtual = kind == "virtual"
    with reuse_arrays():
        scoped = _scoped(flows, scenario)
        factors = scenario_factors(scenario, flows.time)
        prices = tariff_prices(scenario, flows.time)
        functional = functional_supply(scenario, flows.time, flows.dt_h)
        values = district_values(
            scoped, factors=factors, prices=prices, virtual=virtual, functional=functional
        )
        values |= mobility_values(flows)
        base = base_f = None
        targets: tuple[TargetCheck, ...] = ()
        if baseline is not None:
            base, base_f, reductions, targets = _baseline(
                scoped, baseline, scenario, baseline_scenario, factors
            )
            values |= reductions
        rules = scenario.boundary.pre_ped
        convention = PrePedConvention(
            name=rules.name, min_cover=rules.min_cover, min_reduction=rules.min_reduction
        )
        verdict = ped_verdict(
            scoped,
            factors=factors,
            boundary=kind,
            baseline=base,
            baseline_factors=base_f,
            convention=convention,
            functional=functional,
        )
        when = peak_import_time(scoped)
        kpis = _kpis(values, {"peak_import": f"at {when} local time" if when else "no import"})
        per_building = building_table(scoped, factors=factors)
        monthly = monthly_table(scoped, factors=factors, virtual=virtual, functional=functional)
        meta = _meta(flows, scenario, factors, prices.source, convention)
    return KpiReport(
        kpis=kpis,
        verdict=verdict,
        per_building=per_building,
        monthly=monthly,
        factor_set=factors.name,
        meta=meta,
        targets=targets,
    )


def _check_zone(flows: Flows, scenario: Scenario, what: str) -> None:
    """Local months and peak times come from the flows' zone: it must be the scenario's."""
    if flows.timezone != scenario.timezone:
        msg = (
            f"{what} are in time zone {flows.timezone!r} but scenario {scenario.name!r} is in "
            f"{scenario.timezone!r}; build the flows with timezone={scenario.timezone!r}"
        )
        raise DataError(msg)
