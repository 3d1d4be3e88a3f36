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
``ghg``
    net emissions: ``co2`` minus the export credit and the virtual assets' credit
    [kg CO2-eq/a] (the balance of the verdict's net-zero GHG condition,
    :func:`sparcs.kpi.ped.ped_class`);
``import``
    grid electricity imported [kWh/a];
``load``
    electrical load: appliances and chillers plus heat pumps, electric boilers and EV
    charging [kWh/a] (the load of :func:`sparcs.kpi.energy.self_sufficiency`);
``capex``
    investment in added sizes and retrofits [EUR].

**Export is credited as the KPIs credit it** (docs/accounting.md, section 3): the PE balance
is the dispatch LP's own PED row (:func:`sparcs.operation.optimal.ped.add_ped`, made an
equality with the ``pe`` column), so with a CHP unit or heat fed into the network the export
splits into renewable (``ger``, ``hxr``) and CHP parts (``gec``, ``hxc``), each bounded by
what the step made and credited at its own factor; without them every exported kWh earns
the export factor, as in the KPIs. The net GHG row credits the same split columns at the
CO2 factors. The split columns earn a token reward per kWh_PE credited
(:data:`CREDIT_REWARD`) so that they take the largest credit the step's output justifies even
when no target binds them.

A self-sufficiency target ``1 - import / load >= Y`` is the linear row
``import - (1 - Y) load <= 0`` (``SS``): exact, because the load is itself a linear
expression of the model's columns.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np

from sparcs.operation.optimal.ped import PedParams, add_ped, chp_output_pe, pe_coefficients

if TYPE_CHECKING:
    from sparcs.carriers.factors import StepFactors
    from sparcs.lp.builder import Block, LpBuilder
    from sparcs.operation.optimal.problem import DispatchProblem
    from sparcs.planning.candidates import Sized

__all__ = ["CREDIT_COLUMNS", "CREDIT_REWARD", "KPI_NAMES", "KPI_SCALE", "KpiColumns", "add_kpis"]

KPI_NAMES = ("pe", "co2", "import", "load", "capex", "ghg")
#: Split columns of the export credit (:func:`sparcs.operation.optimal.ped.add_ped`).
CREDIT_COLUMNS = ("ger", "gec", "hxr", "hxc")
#: Reward per kWh_PE credited by a split column [EUR/kWh_PE]: a token that makes the credit as
#: large as the step's output allows (the split with the largest credit), far below any price,
#: so the plan does not change; the operating cost read back leaves it out.
CREDIT_REWARD = 1e-6
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
    pe_row
        Index of the PED row that defines ``pe``: an equality at ``-pe_credit`` [kWh_PE/a]
        (:func:`~sparcs.operation.optimal.ped.add_ped` makes it ``>=``; the model pins its
        upper bound once the arrays are made).
    pe_rhs
        Right-hand side of that row [kWh_PE/a].
    """

    col: dict[str, int]
    ss_row: int
    pe_row: int
    pe_rhs: float


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
    ghg_credit: float = 0.0,
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
    ghg_credit
        Emissions credited from outside (virtual assets), over a year [kg CO2-eq/a].
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
    pe_row = _pe_balance(lp, p, factors, weight, fuels, pe_credit, col["pe"], row["pe"])
    co2 = _factor_params(p, factors.co2_kg_per_kwh, np.zeros(p.n_steps), fuels)
    gross = pe_coefficients(p, co2)
    _add_terms(lp, row["co2"], gross, weight, +1.0)
    _add_terms(lp, row["ghg"], gross, weight, +1.0)
    _add_ghg_credit(lp, p, factors, weight, fuels, row["ghg"])
    lp.shift_rhs("Kdef", np.array([KPI_NAMES.index("ghg")]), np.array([-KPI_SCALE * ghg_credit]))
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
    return KpiColumns(col=col, ss_row=ss.start, pe_row=pe_row, pe_rhs=-pe_credit)


def _weighted(table: dict[str, np.ndarray], weight: np.ndarray) -> dict[str, np.ndarray]:
    return {k: np.asarray(v, float) * weight for k, v in table.items()}


def _pe_balance(
    lp: LpBuilder,
    p: DispatchProblem,
    factors: StepFactors,
    weight: np.ndarray,
    fuels: tuple[str, ...],
    pe_credit: float,
    pe_col: int,
    kdef_row: int,
) -> int:
    """The PE balance as the dispatch LP's PED row (export split included), tied to ``pe``.

    The row reads ``sum coef x - pe / KPI_SCALE >= -pe_credit`` with the factors times the
    step weights; its upper bound is pinned to the same value by the model (an equality).
    The ``Kdef`` row of ``pe`` is left as ``0 = 0`` (no entry but the column's own 1 is
    removed by giving the column a zero there).
    """
    pef = _weighted(factors.pef, weight)
    export = _weighted(factors.pef_export, weight)
    zeros = np.zeros(p.n_steps)
    ped = PedParams(
        import_pe=pef["electricity"],
        export_pe=export["electricity"],
        district_heat_pe=pef["district_heat"],
        district_heat_export_pe=export["district_heat"],
        fuel_pe=np.column_stack([pef[c] if c else zeros for c in fuels]),
        credit_kwh=np.array([pe_credit]),
    )
    add_ped(lp, replace(p, ped=ped))
    row = int(lp.rows["PED"].start)
    lp.add_coef(np.array([row]), np.array([pe_col]), -1.0 / KPI_SCALE)
    lp.add_coef(np.array([kdef_row]), np.array([pe_col]), -1.0)  # cancels the Kdef entry
    return row


def _add_ghg_credit(
    lp: LpBuilder,
    p: DispatchProblem,
    factors: StepFactors,
    weight: np.ndarray,
    fuels: tuple[str, ...],
    row: int,
) -> None:
    """Export credit at the CO2 factors into the ``ghg`` row: the columns the PE balance
    credits (``ge``, or its split ``ger``/``gec``; ``hxr``/``hxc``), each at its factor."""
    dt = p.dt_h
    exp = {k: np.asarray(v, float) for k, v in factors.co2_export_kg_per_kwh.items()}
    co2 = _factor_params(p, factors.co2_kg_per_kwh, exp["electricity"], fuels)
    chp = chp_output_pe(p, co2)
    credit: dict[str, np.ndarray] = {}
    if "ger" in lp.cols:
        credit["ger"] = exp["electricity"] * dt
        if chp is not None:
            credit["gec"] = chp * dt
    else:
        credit["ge"] = exp["electricity"] * dt
    if "hxr" in lp.cols:
        credit["hxr"] = exp["district_heat"] * dt
        if chp is not None:
            credit["hxc"] = chp * dt
    _add_terms(lp, row, credit, weight, +1.0)


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
