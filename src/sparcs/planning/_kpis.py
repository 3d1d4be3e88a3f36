"""Annual KPIs of the sizing model as columns, so targets are bounds and objectives costs.

Columns ``kpi`` (one entry each, free, in thousands of the unit: :data:`KPI_SCALE`), defined
by equality rows ``Kdef``:

``pe``
    primary-energy balance PEE - PEI over a year [kWh_PE/a]
    (:func:`sparcs.operation.optimal.ped.pe_coefficients` with the scenario's factors and the
    step weights), plus the virtual assets' credit under a virtual boundary;
``co2``
    emissions of delivered energy, no export credit [kg CO2-eq/a] (the headline figure of
    :func:`sparcs.kpi.emissions.co2_emissions`);
``import``
    grid electricity imported [kWh/a];
``load``
    electrical load: appliances and chillers plus heat pumps, electric boilers and EV
    charging [kWh/a] (the load of :func:`sparcs.kpi.energy.self_sufficiency`);
``capex``
    investment in added sizes and retrofits [EUR].

A self-sufficiency target ``1 - import / load >= Y`` is the linear row
``import - (1 - Y) load <= 0`` (``SS``): exact, because the load is itself a linear
expression of the model's columns.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from sparcs.operation.optimal.ped import PedParams, pe_coefficients

if TYPE_CHECKING:
    from sparcs.carriers.factors import StepFactors
    from sparcs.lp.builder import Block, LpBuilder
    from sparcs.operation.optimal.problem import DispatchProblem
    from sparcs.planning.candidates import Sized

__all__ = ["KPI_NAMES", "KPI_SCALE", "KpiColumns", "add_kpis"]

KPI_NAMES = ("pe", "co2", "import", "load", "capex")
#: The KPI columns hold thousands of their unit (MWh_PE/a, t/a, MWh/a, kEUR): it keeps the
#: coefficients of the defining rows near those of the dispatch rows (numerically kinder).
KPI_SCALE = 1e-3
_LOAD_COLUMNS = ("hp", "eboiler", "ev_ch")


@dataclass(frozen=True)
class KpiColumns:
    """Positions of the KPI columns and of the self-sufficiency row.

    Attributes
    ----------
    col
        KPI name -> column index.
    ss_row
        Index of the row ``import - (1 - Y) load <= 0`` (free until a target is set).
    """

    col: dict[str, int]
    ss_row: int


def _add_terms(
    lp: LpBuilder, row: int, coefs: dict[str, np.ndarray], weight: np.ndarray, sign: float
) -> None:
    """``sign * sum coef * weight * column`` into ``row`` for the named (time[, unit]) blocks."""
    for name, coef in coefs.items():
        if name not in lp.cols:
            continue
        ids = lp.cols[name].ids()
        coef = np.asarray(coef, float)
        c = coef.T if coef.ndim == 2 else coef[None, :]
        lp.add_coef(np.full(ids.shape, row), ids, KPI_SCALE * sign * c * weight[None, :])


def _factor_params(
    p: DispatchProblem, table: dict[str, np.ndarray], export: np.ndarray, fuels: tuple[str, ...]
) -> PedParams:
    zeros = np.zeros(p.n_steps)
    fuel = np.column_stack([table[c] if c else zeros for c in fuels])
    return PedParams(
        import_pe=table["electricity"],
        export_pe=export,
        district_heat_pe=table["district_heat"],
        fuel_pe=fuel,
    )


def add_kpis(
    lp: LpBuilder,
    p: DispatchProblem,
    factors: StepFactors,
    weight: np.ndarray,
    *,
    fuels: tuple[str, ...],
    pe_credit: float,
    sizes: dict[str, Block],
    sized: dict[str, Sized],
    retro: Block | None,
    retro_capex: np.ndarray,
    extra_load: tuple[np.ndarray, np.ndarray] | None = None,
) -> KpiColumns:
    """KPI columns, their defining rows and the self-sufficiency row.

    Parameters
    ----------
    p
        The operation problem on the model's steps.
    factors
        Factors on the model's steps.
    weight
        Real steps each model step stands for, (time,) [-].
    fuels
        Fuel of each unit (``""`` for none).
    pe_credit
        Primary energy credited from outside (virtual assets), over a year [kWh_PE/a].
    sizes, sized
        Size columns by technology, and their existing sizes and investment per unit.
    retro, retro_capex
        Retrofit share columns and their investment (K * unit,) [EUR].
    extra_load
        More load columns and their kWh per kW over a year (weight x step length), e.g.
        the EV sessions laid out on typical days; None = none.
    """
    kpi = lp.add_cols("kpi", len(KPI_NAMES), 1, lower=-np.inf, upper=np.inf)
    col = {name: kpi.start + i for i, name in enumerate(KPI_NAMES)}
    rows = lp.add_rows("Kdef", len(KPI_NAMES), 1, lower=0.0, upper=0.0)
    row = {name: rows.start + i for i, name in enumerate(KPI_NAMES)}
    for name in KPI_NAMES:
        lp.add_coef(np.array([row[name]]), np.array([col[name]]), 1.0)
    lp.shift_rhs("Kdef", np.array([KPI_NAMES.index("pe")]), np.array([KPI_SCALE * pe_credit]))
    pe = _factor_params(p, factors.pef, factors.pef_export["electricity"], fuels)
    _add_terms(lp, row["pe"], pe_coefficients(p, pe), weight, -1.0)
    co2 = _factor_params(p, factors.co2_kg_per_kwh, np.zeros(p.n_steps), fuels)
    _add_terms(lp, row["co2"], pe_coefficients(p, co2), weight, +1.0)
    step = np.full(p.n_steps, p.dt_h)
    _add_terms(lp, row["import"], {"gi": step}, weight, -1.0)
    _add_terms(lp, row["load"], dict.fromkeys(_LOAD_COLUMNS, step), weight, -1.0)
    if extra_load is not None:
        ids, kwh_per_kw = extra_load
        lp.add_coef(np.full(ids.shape, row["load"]), ids, -KPI_SCALE * kwh_per_kw)
    fixed_load = float(np.sum(np.asarray(p.demand_el_kw).sum(axis=1) * p.dt_h * weight))
    lp.shift_rhs("Kdef", np.array([KPI_NAMES.index("load")]), np.array([KPI_SCALE * fixed_load]))
    _add_capex(lp, row["capex"], sizes, sized, retro, retro_capex)
    ss = lp.add_rows("SS", 1, 1, lower=-np.inf, upper=np.inf)
    lp.add_coef(
        np.array([ss.start, ss.start]),
        np.array([col["import"], col["load"]]),
        np.array([1.0, -1.0]),
    )
    return KpiColumns(col=col, ss_row=ss.start)


def _add_capex(
    lp: LpBuilder,
    row: int,
    sizes: dict[str, Block],
    sized: dict[str, Sized],
    retro: Block | None,
    retro_capex: np.ndarray,
) -> None:
    """``capex - sum capex_unit * (size - existing) - sum retrofit capex * share = 0``."""
    offset = 0.0
    for tech, block in sizes.items():
        ids = block.ids()[:, 0]
        capex, existing = sized[tech].capex, sized[tech].existing
        lp.add_coef(np.full(ids.size, row), ids, -KPI_SCALE * capex)
        offset += float(np.dot(capex, existing))
    if retro is not None:
        ids = retro.ids()[:, 0]
        lp.add_coef(np.full(ids.size, row), ids, -KPI_SCALE * retro_capex)
    index = np.array([KPI_NAMES.index("capex")])
    lp.shift_rhs("Kdef", index, np.array([-KPI_SCALE * offset]))
