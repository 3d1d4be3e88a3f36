"""Primary-energy and CO2 factors resolved to one value per step and carrier.

A named factor set (:func:`sparcs.data.get_factor_set`) gives one annual value per carrier:
the non-renewable and total primary-energy factors f_P,nren and f_P,tot and the CO2 factor
(EN ISO 52000-1; docs/accounting.md). ``pef`` here is always f_P,nren, the factor of the PED
balance. The export arrays carry the set's (or the scenario's) ``k_exp`` already: an exported
kWh is credited at ``k_exp`` times the avoided-grid factor (EN ISO 52000-1 §9.6.6.2, step B),
so every reader (KPIs, the dispatch LP, planning) applies the same credit. Likewise the
district-heat export arrays carry the network's losses: a kWh of heat fed into the network
displaces a kWh generated there, worth (1 - loss) kWh delivered, so it is credited at
``k_exp (1 - loss) f_exp`` (``dh_export_loss``; docs/accounting.md, section 3).
An optional hourly file replaces the **electricity** factors by a time series (domain.md §3.2,
§5.11): columns ``time`` (ISO 8601 with offset) and ``co2_kg_per_kwh``, optionally ``pef``,
``co2_export_kg_per_kwh`` and ``pef_export``. Without the export columns the hourly series
applies to exported electricity too (an exported kWh displaces the grid mix of its hour);
without ``pef`` the set's annual PEFs stay in force. Other carriers keep the set's values.

Instead of a file, ``[factors] hourly_grid_co2 = true`` uses the **embedded** hourly grid
intensity of the scenario's country (:func:`sparcs.data.hourly_grid_co2`; CZ, DE, FI, GR, PT,
2019, mapped to the scenario year by weekday and hour). Only its **shape** is used: the
series is scaled so that its plain (not demand-weighted) mean over the calendar year equals
the factor set's annual electricity CO2 factor, and the export credit gets the same shape
scaled to the set's export factor. The named set stays the reference for the annual level
(the embedded 2019 level is production-based and dated, see ``data/grid_co2/SOURCES.md``);
the hourly series adds only *when* a kWh is cleaner or dirtier. PEFs stay annual. The hourly
file and the embedded series are read in :mod:`sparcs.carriers.hourly_factors`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

import numpy as np
import pandas as pd

from sparcs.carriers.hourly_factors import (
    HOURLY_COLUMNS,
    apply_hourly,
    embedded_grid_co2,
    read_hourly_factors,
)
from sparcs.data import (
    CARRIERS,
    GRID_CO2_COUNTRIES,
    FactorSet,
    get_city,
    get_factor_set,
)
from sparcs.errors import DataError, ScenarioError
from sparcs.timeseries import check_index

if TYPE_CHECKING:
    from sparcs.scenario.models import Scenario


class _Stepped(Protocol):
    """Anything on steps, e.g. :class:`~sparcs.operation.flows.Flows` (a layer above)."""

    @property
    def time(self) -> pd.DatetimeIndex: ...


__all__ = [
    "HOURLY_COLUMNS",
    "StepFactors",
    "embedded_grid_co2",
    "hourly_co2_factors",
    "read_hourly_factors",
    "scenario_country",
    "scenario_factors",
    "step_factors",
]

_FIELDS = (
    "pef",
    "pef_export",
    "co2_kg_per_kwh",
    "co2_export_kg_per_kwh",
    "pef_tot",
    "pef_tot_export",
)
#: CarrierFactors attribute of each StepFactors field, and whether k_exp weights it.
_SOURCE = {
    "pef": ("f_p_nren", False),
    "pef_export": ("f_p_nren_exp", True),
    "co2_kg_per_kwh": ("co2_kg_per_kwh", False),
    "co2_export_kg_per_kwh": ("co2_exp_kg_per_kwh", True),
    "pef_tot": ("f_p_tot", False),
    "pef_tot_export": ("f_p_tot_exp", True),
}


@dataclass(frozen=True)
class StepFactors:
    """Factors per carrier and step, ready for the KPI functions.

    Attributes
    ----------
    name
        Name of the factor set.
    time
        The steps the arrays are aligned to (UTC).
    pef, pef_export
        Carrier -> non-renewable primary-energy factor f_P,nren of delivered / exported energy
        per step, shape (time,) [kWh_PE/kWh]; the export one times ``k_exp``.
    co2_kg_per_kwh, co2_export_kg_per_kwh
        Carrier -> emission factor of delivered energy / credit of exported energy per step,
        shape (time,) [kg CO2-eq/kWh]; the export one times ``k_exp``.
    pef_tot, pef_tot_export
        Carrier -> total primary-energy factor f_P,tot of delivered / exported energy per
        step (export times ``k_exp``) [kWh_PE/kWh].
    k_exp
        Weighting of the export credit in force, EN ISO 52000-1 §9.6.6.2 [-].
    dh_export_loss
        Share of heat fed into the district-heating network lost before delivery [-]; the
        district-heat export arrays are multiplied by ``1 - dh_export_loss``.
    grid_renewable_share
        Renewable share of delivered grid electricity [-].
    dh_renewable_share
        Renewable share of delivered district heat [-].
    dh_allocation
        District-heating allocation method the heat factors rest on (domain.md §6).
    factor_set
        The annual factor set behind the arrays.
    hourly
        True when electricity factors come from an hourly file or the embedded hourly grid CO2.
    source
        Where the values come from.
    """

    name: str
    time: pd.DatetimeIndex
    pef: dict[str, np.ndarray]
    pef_export: dict[str, np.ndarray]
    co2_kg_per_kwh: dict[str, np.ndarray]
    co2_export_kg_per_kwh: dict[str, np.ndarray]
    grid_renewable_share: float
    dh_allocation: str
    factor_set: FactorSet
    hourly: bool = False
    source: str = ""
    dh_renewable_share: float = 0.0
    pef_tot: dict[str, np.ndarray] = field(default_factory=dict)
    pef_tot_export: dict[str, np.ndarray] = field(default_factory=dict)
    k_exp: float = 1.0
    dh_export_loss: float = 0.0

    def annual(self) -> StepFactors:
        """The same factor set without the hourly file (annual values on every step)."""
        if not self.hourly:
            return self
        return step_factors(
            self.factor_set,
            self.time,
            dh_allocation=self.dh_allocation,
            k_exp=self.k_exp,
            dh_export_loss=self.dh_export_loss,
        )

    def check_aligned(self, flows: _Stepped) -> None:
        """Raise :class:`~sparcs.errors.DataError` unless the factors share the flows' steps."""
        if len(self.time) != len(flows.time) or not self.time.equals(flows.time):
            msg = (
                f"factors {self.name!r} are resolved for {len(self.time)} steps from "
                f"{self.time[0].isoformat()}, the flows have {len(flows.time)} steps from "
                f"{flows.time[0].isoformat()}; resolve them with step_factors(..., flows.time)"
            )
            raise DataError(msg)


def step_factors(
    factor_set: FactorSet | str,
    time: pd.DatetimeIndex,
    *,
    hourly: pd.DataFrame | None = None,
    dh_allocation: str | None = None,
    grid_co2_country: str | None = None,
    k_exp: float | None = None,
    dh_export_loss: float = 0.0,
) -> StepFactors:
    """Resolve a factor set, and optionally hourly electricity factors, to per-step arrays.

    Parameters
    ----------
    factor_set
        A :class:`~sparcs.data.FactorSet` or the name of an embedded one.
    time
        Steps of the flows (UTC).
    hourly
        Output of :func:`read_hourly_factors`; aligned to ``time`` (mean of rows inside a
        step, forward fill otherwise).
    dh_allocation
        Label overriding the set's district-heating allocation method.
    grid_co2_country
        Use the embedded hourly grid CO2 of this country for electricity, scaled to the set's
        annual factors (:func:`embedded_grid_co2`); not together with ``hourly``.
    k_exp
        Weighting of the export credit (EN ISO 52000-1 §9.6.6.2) [-]; None = the set's.
    dh_export_loss
        Share of heat fed into the district-heating network lost before delivery [-]: the
        district-heat export factors are multiplied by ``1 - dh_export_loss``.

    Returns
    -------
    StepFactors

    Raises
    ------
    DataError
        When the hourly series does not cover ``time``.
    ScenarioError
        When both hourly sources are given, or the country has no embedded series.

    References
    ----------
    Gabaldón Moreno et al., *Sustainability* 13(2) 710 (2021), step 6 (annual PEFs);
    *Energies* 14(16) 4864 (2021) (hourly PEFs).
    """
    check_index(time, what="factor steps")
    fs = get_factor_set(factor_set) if isinstance(factor_set, str) else factor_set
    n = len(time)
    k = fs.k_exp if k_exp is None else float(k_exp)
    if not 0.0 <= k <= 1.0:
        msg = f"k_exp = {k!r} must lie in [0, 1] (EN ISO 52000-1 §9.6.6.2)"
        raise ScenarioError(msg)
    if not 0.0 <= dh_export_loss < 1.0:
        msg = f"dh_export_loss = {dh_export_loss!r} must lie in [0, 1)"
        raise ScenarioError(msg)
    arrays: dict[str, dict[str, np.ndarray]] = {
        name: {c: np.full(n, float(getattr(fs[c], attr)) * (k if exp else 1.0)) for c in CARRIERS}
        for name, (attr, exp) in _SOURCE.items()
    }
    for name, (_, exp) in _SOURCE.items():
        if exp:
            arrays[name]["district_heat"] = arrays[name]["district_heat"] * (1.0 - dh_export_loss)
    source = (
        f"factor set {fs.name} ({fs.description}; f_P,nren/f_P,tot; CO2 {fs.co2_scope}; "
        f"k_exp {k:g}; {fs.export_credit} export credit; reviewed {fs.updated})"
    )
    if dh_export_loss:
        source += f"; exported heat after {100 * dh_export_loss:g} % network losses"
    if hourly is not None and grid_co2_country is not None:
        msg = "give either an hourly factor file or grid_co2_country, not both"
        raise ScenarioError(msg)
    if hourly is not None:
        apply_hourly(arrays, hourly, time, k)
        source += "; hourly electricity factors from file"
    if grid_co2_country is not None:
        el = "electricity"
        co2, co2_exp = embedded_grid_co2(fs, grid_co2_country, time)
        arrays["co2_kg_per_kwh"][el], arrays["co2_export_kg_per_kwh"][el] = co2, k * co2_exp
        source += (
            f"; hourly electricity CO2 shape of {grid_co2_country.upper()} 2019 (ENTSO-E "
            "Transparency Platform; factors: Tranberg et al. 2019), scaled to the set's "
            "annual values"
        )
    return StepFactors(
        name=fs.name,
        time=time,
        pef=arrays["pef"],
        pef_export=arrays["pef_export"],
        co2_kg_per_kwh=arrays["co2_kg_per_kwh"],
        co2_export_kg_per_kwh=arrays["co2_export_kg_per_kwh"],
        pef_tot=arrays["pef_tot"],
        pef_tot_export=arrays["pef_tot_export"],
        k_exp=k,
        dh_export_loss=float(dh_export_loss),
        grid_renewable_share=fs.grid_renewable_share,
        dh_renewable_share=fs.dh_renewable_share,
        dh_allocation=dh_allocation or fs.dh_allocation,
        factor_set=fs,
        hourly=hourly is not None or grid_co2_country is not None,
        source=source,
    )


def scenario_country(scenario: Scenario) -> str:
    """ISO country code of the scenario's site: ``site.country``, else the city's, else the set's.

    Parameters
    ----------
    scenario
        Scenario whose ``site.country``, ``site.city`` and ``factor_set_name`` are read.

    Returns
    -------
    str
        Upper-case ISO 3166-1 alpha-2 country code.
    """
    if scenario.site.country:
        return scenario.site.country.upper()
    if scenario.site.city is not None:
        return get_city(scenario.site.city).country
    return get_factor_set(scenario.factor_set_name).country


def scenario_factors(
    scenario: Scenario, time: pd.DatetimeIndex, *, hourly: bool = True
) -> StepFactors:
    """Resolve the factors of ``scenario`` to the steps ``time``.

    Parameters
    ----------
    scenario
        Uses ``scenario.factor_set_name``, ``factors.hourly_file``, ``factors.hourly_grid_co2``
        (with :func:`scenario_country`), ``factors.dh_allocation``, ``factors.k_exp`` and the
        network loss of ``district.heat_export``.
    time
        Steps of the flows (UTC).
    hourly
        Use the hourly file or the embedded hourly grid CO2 when the scenario asks for them;
        False gives the annual set only.

    Returns
    -------
    StepFactors
        Primary-energy and CO2 factors per step of ``time``, with export factors and sources.
    """
    frame = None
    if hourly and scenario.factors.hourly_file is not None:
        frame = read_hourly_factors(scenario.factors.hourly_file)
    country = scenario_country(scenario) if hourly and scenario.factors.hourly_grid_co2 else None
    export = scenario.district.heat_export
    return step_factors(
        scenario.factor_set_name,
        time,
        hourly=frame,
        dh_allocation=scenario.factors.dh_allocation,
        grid_co2_country=country,
        k_exp=scenario.factors.k_exp,
        dh_export_loss=export.network_loss
        if export is not None and scenario.district.exports_heat
        else 0.0,
    )


def hourly_co2_factors(scenario: Scenario, time: pd.DatetimeIndex) -> StepFactors:
    """Factors of ``scenario`` with hourly electricity CO2 wherever there is some.

    The scenario's own hourly factors when it asks for them (a file or the embedded series);
    otherwise the embedded series of its country (:func:`scenario_country`) scaled to its
    factor set; for a country without one (IS, UA) the annual set (``hourly`` is then False).
    For time-resolved signals, where annual factors carry no information.

    Parameters
    ----------
    scenario
        Scenario whose factors are resolved (as in :func:`scenario_factors`).
    time
        Steps of the flows (UTC).

    Returns
    -------
    StepFactors
        Factors per step of ``time``; ``hourly`` tells whether the grid CO2 varies by hour.
    """
    factors = scenario_factors(scenario, time)
    country = scenario_country(scenario)
    if factors.hourly or country not in GRID_CO2_COUNTRIES:
        return factors
    return step_factors(
        factors.factor_set,
        time,
        grid_co2_country=country,
        dh_allocation=factors.dh_allocation,
        k_exp=factors.k_exp,
        dh_export_loss=factors.dh_export_loss,
    )
