"""Objectives: what the dispatch minimises, as per-kWh coefficients of the LP columns.

Each objective prices the energy that crosses the district boundary, per step:

``cost``
    import price x import - export price x export + district-heat price x bought heat +
    fuel price x fuel - heat-export price x heat fed into the network [EUR], plus the
    tariff's capacity charges on the peaks of each charge period (:mod:`.capacity`, built
    by the adapter); the same terms as
    :func:`sparcs.kpi.economics.net_energy_cost`.
``co2``
    emissions of delivered energy, no export credit [kg CO2-eq]
    (:func:`sparcs.kpi.emissions.co2_emissions`, the headline figure).
``co2_net``
    ``co2`` minus a credit for exported electricity at the export factor [kg CO2-eq].
``import``
    electricity imported from the grid [kWh].
``pe``
    non-renewable primary energy imported minus exported, i.e. ``-PEB`` [kWh_PE]
    (:mod:`sparcs.kpi.ped`).
``peak``
    the highest grid import over the period [kW].

A mapping ``{"cost": 1.0, "co2": 0.08}`` minimises the weighted sum (here cost plus
80 EUR/t CO2). Battery wear (``cycle_cost_eur_per_kwh``) is added to ``cost``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from sparcs.errors import ScenarioError
from sparcs.lp.builder import per_step
from sparcs.operation.optimal.capacity import capacity_value
from sparcs.operation.optimal.durations import one_length

if TYPE_CHECKING:
    import pandas as pd

    from sparcs.operation.optimal.problem import DispatchProblem
    from sparcs.scenario.models import Scenario

__all__ = ["OBJECTIVES", "Costs", "objective_costs", "objective_value", "objective_weights"]

OBJECTIVES = ("cost", "co2", "co2_net", "import", "pe", "peak")


@dataclass(frozen=True)
class Costs:
    """Objective coefficients per kWh of each carrier, ready for a DispatchProblem.

    Attributes
    ----------
    import_cost, export_price
        Per kWh imported / credited per kWh exported, (time,).
    fuel_cost
        Per kWh of fuel burnt, (time, unit).
    dh_cost
        Per kWh of district heat bought, (time,).
    peak_cost
        Per kW of the highest grid import.
    """

    import_cost: np.ndarray
    export_price: np.ndarray
    fuel_cost: np.ndarray
    dh_cost: np.ndarray
    peak_cost: float = 0.0


def objective_weights(objective: str | Mapping[str, float]) -> dict[str, float]:
    """The objective as weights per named objective.

    Raises
    ------
    ScenarioError
        For an unknown name or a negative weight.
    """
    weights = {objective: 1.0} if isinstance(objective, str) else dict(objective)
    unknown = sorted(set(weights) - set(OBJECTIVES))
    if unknown or not weights:
        msg = f"unknown objective {unknown or objective!r}; choose from {', '.join(OBJECTIVES)}"
        raise ScenarioError(msg)
    if any(w < 0 for w in weights.values()):
        msg = f"objective weights must be non-negative, got {weights}"
        raise ScenarioError(msg)
    return weights


def _need(value: float | None, field: str) -> float:
    if value is None:
        msg = (
            f"the 'cost' objective needs tariff.{field}: the site has no embedded city whose "
            "default tariff applies; set it in the scenario's [tariff] table"
        )
        raise ScenarioError(msg)
    return float(value)


def _single(
    name: str,
    scenario: Scenario,
    time: pd.DatetimeIndex,
    fuels: tuple[str, ...],
    district_heat: bool,
) -> Costs:
    """Coefficients of one named objective."""
    from sparcs.carriers.factors import scenario_factors
    from sparcs.carriers.tariffs import tariff_prices

    t, n = len(time), len(fuels)
    zeros_t = np.zeros(t)
    if name in ("import", "peak"):
        one = np.ones(t) if name == "import" else zeros_t
        return Costs(one, zeros_t, np.zeros((t, n)), zeros_t, 1.0 if name == "peak" else 0.0)
    if name == "cost":
        prices = tariff_prices(scenario, time)
        if prices.import_eur_per_kwh is None:
            _need(None, "import_eur_per_kwh")
        fuel = _need(prices.fuel_eur_per_kwh, "gas_eur_per_kwh") if any(fuels) else 0.0
        heat = (
            _need(prices.district_heat_eur_per_kwh, "district_heat_eur_per_kwh")
            if district_heat
            else 0.0
        )
        export = np.full(t, _need(prices.export_eur_per_kwh, "export_eur_per_kwh"))
        # The LP may import and export in the same step (no binaries): where import is cheaper
        # than export (negative day-ahead prices), buying to sell back would pay without limit.
        # Such steps price import at the export price, so the LP gains nothing from the loop;
        # the KPIs price the realised flows at the real tariff.
        imports = np.maximum(np.asarray(prices.import_eur_per_kwh, dtype=float), export)
        return Costs(
            imports,
            export,
            np.full((t, n), fuel) * np.array([bool(f) for f in fuels]),
            np.full(t, heat),
        )
    f = scenario_factors(scenario, time)
    table = f.co2_kg_per_kwh if name.startswith("co2") else f.pef
    export = {
        "co2": zeros_t,
        "co2_net": f.co2_export_kg_per_kwh["electricity"],
        "pe": f.pef_export["electricity"],
    }[name]
    per_fuel = [table[c] if c else zeros_t for c in fuels]
    fuel_cost = np.column_stack(per_fuel) if n else np.zeros((t, 0))
    return Costs(
        np.asarray(table["electricity"]),
        np.asarray(export),
        fuel_cost,
        np.asarray(table["district_heat"]),
    )


def objective_costs(
    scenario: Scenario,
    time: pd.DatetimeIndex,
    fuels: tuple[str, ...],
    objective: str | Mapping[str, float],
    *,
    district_heat: bool = False,
) -> Costs:
    """Weighted objective coefficients for a scenario's units.

    Parameters
    ----------
    scenario
        Tariff and factor set.
    time
        The steps (UTC).
    fuels
        Fuel burnt by each unit (``""`` for none).
    objective
        A name of :data:`OBJECTIVES` or a mapping name -> weight.
    district_heat
        Whether some unit buys district heat (its price is then required).

    Raises
    ------
    ScenarioError
        When a price the objective needs is unknown, or the objective is not known.
    """
    weights = objective_weights(objective)
    parts = [
        (w, _single(name, scenario, time, fuels, district_heat))
        for name, w in weights.items()
        if w > 0
    ]
    if not parts:
        msg = "every objective weight is zero; give at least one positive weight"
        raise ScenarioError(msg)
    return Costs(
        *(
            sum(w * getattr(c, attr) for w, c in parts)
            for attr in ("import_cost", "export_price", "fuel_cost", "dh_cost", "peak_cost")
        )
    )


def objective_value(p: DispatchProblem, solution: Mapping[str, np.ndarray]) -> float:
    """The objective of ``p`` evaluated on ``solution`` (e.g. realised flows) [EUR or unit].

    The same coefficients the LP columns carry, summed over steps; the peak term uses the
    largest grid import of the solution.
    """
    one_length(p, "the objective's value of a solution")
    dt, t, n = p.dt_h, p.n_steps, p.n_units
    value = dt * float(
        np.dot(p.import_cost, solution["gi"]) - np.dot(p.export_price, solution["ge"])
    )
    if p.boiler is not None and "boiler" in solution:
        cost = per_step(p.boiler.fuel_cost, t, n) * p.boiler.fuel_per_heat()
        value += dt * float(np.sum(cost * solution["boiler"]))
    if p.chp is not None and "chp" in solution:
        cost = per_step(p.chp.fuel_cost, t, n) * np.asarray(p.chp.fuel_per_heat)
        value += dt * float(np.sum(cost * solution["chp"]))
    if p.district_heat is not None and "dh" in solution:
        dh = p.district_heat
        value += dt * float(np.sum(dh.cost_tn(t, n) * dh.priced(n) * solution["dh"]))
    if p.heat_export is not None and "hx" in solution:
        revenue = p.heat_export.price_t(t)[:, None] * solution["hx"]
        value -= dt * float(np.sum(revenue))
    for store, name in ((p.battery, "bd"), (p.tank, "td")):
        if store.discharge_cost is not None and name in solution:
            value += dt * float(np.sum(np.asarray(store.discharge_cost) * solution[name]))
    if p.peak_cost > 0:
        value += p.peak_cost * max(float(np.max(solution["gi"], initial=0.0)), p.peak_floor_kw)
    return value + capacity_value(p, solution)
