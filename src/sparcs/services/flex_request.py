"""Flexibility requests: "cut the district's import by 200 kW from 17:00 to 19:00 tomorrow".

:func:`flexibility_request` answers such a request (from a grid operator or an aggregator
such as Leipzig's virtual power plant, domain.md §1.1) with the re-dispatch that delivers it,
the kW delivered per hour and what it costs:

1. a horizon around the window (``margin_h`` hours before and after it, within the inputs)
   is optimised for cost with perfect foresight
   (:func:`sparcs.operation.optimal.solve_optimal`): the **baseline**;
2. the same horizon again with the district's grid import limited, in the window's steps,
   to the baseline import minus ``reduce_kw`` (never below zero). The limit is **elastic**:
   import above it costs ``penalty_eur_per_kwh`` more, so a cut the district cannot make in
   full is delivered in part instead of failing;
3. delivered = baseline import - new import, per hour; extra cost = the difference of the
   net energy cost (:func:`sparcs.kpi.economics.net_energy_cost`) of the two dispatches,
   without the penalty.

Step 2 uses :func:`~sparcs.operation.optimal.solve_optimal`'s :data:`LIMIT_ARGUMENT` (a
time-varying grid import cap) and :data:`PENALTY_ARGUMENT` (its price per kWh above the cap).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from sparcs.errors import ScenarioError, SolverError
from sparcs.profiles.inputs import slice_inputs
from sparcs.services._window import hour_index, local_start, parse_local_time

if TYPE_CHECKING:
    from sparcs.carriers.tariffs import TariffPrices
    from sparcs.operation.flows import Flows
    from sparcs.operation.optimal import OptimizationResult, SolverOptions
    from sparcs.profiles.inputs import Inputs
    from sparcs.scenario.models import Scenario

__all__ = [
    "LIMIT_ARGUMENT",
    "PENALTY_ARGUMENT",
    "FlexResponse",
    "flexibility_request",
    "slice_inputs",
    "solve_with_import_limit",
]

#: Argument of ``solve_optimal`` for the district's grid import limit per step, shape
#: (time,) [kW], ``inf`` where there is none.
LIMIT_ARGUMENT = "grid_import_limit_kw"
#: Argument of ``solve_optimal`` for the cost of import above that limit [EUR/kWh] (a slack
#: column in the objective, so the limit is elastic).
PENALTY_ARGUMENT = "import_limit_penalty_eur_per_kwh"
_COLUMNS = (
    "local_time",
    "baseline_import_kw",
    "limit_kw",
    "import_kw",
    "requested_kw",
    "delivered_kw",
    "shortfall_kw",
)


@dataclass(frozen=True)
class FlexResponse:
    """The answer to a flexibility request.

    Attributes
    ----------
    frame
        Index ``time`` (UTC, start of each hour of the window); columns ``local_time``,
        ``baseline_import_kw``, ``limit_kw`` (baseline - request, >= 0), ``import_kw`` (after
        re-dispatch), ``requested_kw`` (the cut asked for, at most the baseline import),
        ``delivered_kw`` and ``shortfall_kw`` (requested - delivered, >= 0) [kW, hourly means].
    reduce_kw
        The cut asked for [kW].
    timezone
        IANA zone of ``local_time``.
    baseline_cost_eur, cost_eur
        Net energy cost of the horizon before and after the re-dispatch [EUR].
    baseline, flows
        Flows of the horizon before and after the re-dispatch [kWh per step].
    notes
        How the answer was made.
    """

    frame: pd.DataFrame
    reduce_kw: float
    timezone: str
    baseline_cost_eur: float
    cost_eur: float
    baseline: Flows
    flows: Flows
    notes: tuple[str, ...] = ()

    @property
    def time(self) -> pd.DatetimeIndex:
        """Start of each hour of the window (UTC)."""
        return hour_index(self.frame, "flexibility response")

    @property
    def extra_cost_eur(self) -> float:
        """What delivering the cut costs [EUR] (negative: it saves money)."""
        return self.cost_eur - self.baseline_cost_eur

    @property
    def delivered_kwh(self) -> float:
        """Energy not imported in the window [kWh]."""
        return float(self.frame["delivered_kw"].sum())

    @property
    def fully_delivered(self) -> bool:
        """True when every hour delivered its requested cut (to 1 W)."""
        return bool((self.frame["shortfall_kw"] <= 1e-3).all())

    def to_json(self, path: str | Path | None = None) -> str:
        """The answer as JSON text (no flows); also written to ``path`` when given."""
        local = pd.DatetimeIndex(self.frame["local_time"])
        values = self.frame[list(_COLUMNS[1:])].to_numpy(dtype=float)
        hours = [
            {
                "time": t.isoformat(),
                "local_time": when.isoformat(),
                **{c: float(v) for c, v in zip(_COLUMNS[1:], row, strict=True)},
            }
            for t, when, row in zip(self.time, local, values, strict=True)
        ]
        data: dict[str, Any] = {
            "reduce_kw": self.reduce_kw,
            "timezone": self.timezone,
            "delivered_kwh": self.delivered_kwh,
            "fully_delivered": self.fully_delivered,
            "baseline_cost_eur": self.baseline_cost_eur,
            "cost_eur": self.cost_eur,
            "extra_cost_eur": self.extra_cost_eur,
            "notes": list(self.notes),
            "hours": hours,
        }
        text = json.dumps(data, indent=1)
        if path is not None:
            Path(path).write_text(text, encoding="utf-8")
        return text


def solve_with_import_limit(
    scenario: Scenario,
    inputs: Inputs,
    limit_kw: np.ndarray,
    *,
    penalty_eur_per_kwh: float,
    options: SolverOptions | None = None,
) -> OptimizationResult:
    """Cost-optimal dispatch with an elastic grid import limit per step.

    Parameters
    ----------
    limit_kw
        District grid import limit per step of ``inputs``, shape (time,) [kW]; ``inf`` = none.
    penalty_eur_per_kwh
        Cost of each kWh imported above the limit [EUR/kWh].

    """
    from sparcs.operation.optimal import solve_optimal

    return solve_optimal(
        scenario,
        inputs,
        objective="cost",
        options=options,
        grid_import_limit_kw=np.asarray(limit_kw, dtype=float),
        import_limit_penalty_eur_per_kwh=penalty_eur_per_kwh,
    )


def _horizon(
    inputs: Inputs,
    timezone: str,
    start: str | pd.Timestamp,
    end: str | pd.Timestamp,
    margin_h: float,
) -> tuple[int, int, int, int]:
    """Step positions of the window and of the horizon around it."""
    first = parse_local_time(start, timezone)
    last = parse_local_time(end, timezone, what="end")
    hours = (last - first) / pd.Timedelta(hours=1)
    if hours < 1 or hours != int(hours):
        msg = f"end ({end}) must be whole hours after start ({start})"
        raise ScenarioError(msg)
    local_start(first, timezone, inputs.time, int(hours))
    w0 = int(inputs.time.get_indexer(pd.DatetimeIndex([first]))[0])
    if w0 < 0:  # on the hour and inside the run, but between two steps longer than an hour
        msg = f"start ({start}) is not the start of a step of the run ({inputs.dt_h:g} h steps)"
        raise ScenarioError(msg)
    w1 = w0 + round(hours / inputs.dt_h)
    margin = round(margin_h / inputs.dt_h)
    return w0, w1, max(0, w0 - margin), min(inputs.n_steps, w1 + margin)


def _hourly(values: np.ndarray, dt_h: float) -> np.ndarray:
    per_hour = max(1, round(1.0 / dt_h))
    result: np.ndarray = values.reshape(-1, per_hour).mean(axis=1)
    return result


def _flows(result: OptimizationResult) -> Flows:
    """The flows of a solved result."""
    result.raise_for_status()
    if result.flows is None:
        msg = "the optimisation returned no flows"
        raise SolverError(msg)
    return result.flows


def _district_cost(flows: Flows, prices: TariffPrices) -> float:
    """Net energy cost of the district [EUR] (``net_energy_cost`` by district is a float)."""
    from sparcs.kpi.economics import net_energy_cost

    cost = net_energy_cost(flows, by="district", prices=prices)
    if isinstance(cost, pd.Series):
        msg = "net_energy_cost by district returned a Series instead of one figure"
        raise TypeError(msg)
    return float(cost)


def _response_frame(
    base: Flows, cut: Flows, window: np.ndarray, limit_kw: np.ndarray, timezone: str
) -> pd.DataFrame:
    """Hourly table of the window: baseline, limit, new import, requested, delivered [kW]."""
    dt = base.dt_h
    base_h, new_h = (_hourly(f.total("grid_import_kwh")[window] / dt, dt) for f in (base, cut))
    limit_h = _hourly(limit_kw[window], dt)
    requested, delivered = base_h - limit_h, base_h - new_h
    index = pd.DatetimeIndex(base.time[window][:: max(1, round(1.0 / dt))], name="time")
    frame = pd.DataFrame(
        {
            "local_time": index.tz_convert(timezone),
            "baseline_import_kw": base_h,
            "limit_kw": limit_h,
            "import_kw": new_h,
            "requested_kw": requested,
            "delivered_kw": delivered,
            "shortfall_kw": np.maximum(requested - delivered, 0.0),
        },
        index=index,
    )
    return frame[list(_COLUMNS)]


def flexibility_request(
    scenario: Scenario,
    inputs: Inputs,
    *,
    start: str | pd.Timestamp,
    end: str | pd.Timestamp,
    reduce_kw: float,
    margin_h: float = 24.0,
    penalty_eur_per_kwh: float = 10.0,
    options: SolverOptions | None = None,
) -> FlexResponse:
    """Re-dispatch the district to cut its grid import by ``reduce_kw`` from ``start`` to ``end``.

    Parameters
    ----------
    scenario, inputs
        The district and its profiles (a year or any period holding the window).
    start, end
        The window; without an offset, local time of the scenario. Whole hours.
    reduce_kw
        The cut of grid import asked for in every hour of the window [kW].
    margin_h
        Hours optimised before and after the window (to charge stores, shift loads) [h].
        The horizon starts from the scenario's initial storage levels.
    penalty_eur_per_kwh
        Cost of import above the limit [EUR/kWh]: above any price at which a cut is bought.
    options
        Solver settings.

    Returns
    -------
    FlexResponse

    Raises
    ------
    ScenarioError
        A bad window or a non-positive ``reduce_kw``.
    SolverError, InfeasibleError
        The optimisation failed, or the optimal API lacks the import limit (see the module).
    """
    from sparcs.carriers.tariffs import tariff_prices
    from sparcs.operation.optimal import solve_optimal

    if not reduce_kw > 0:
        msg = f"reduce_kw = {reduce_kw}; ask for a positive cut [kW]"
        raise ScenarioError(msg)
    w0, w1, h0, h1 = _horizon(inputs, scenario.timezone, start, end, margin_h)
    sub = slice_inputs(inputs, h0, h1)
    base = _flows(solve_optimal(scenario, sub, objective="cost", options=options))
    window = np.zeros(sub.n_steps, dtype=bool)
    window[w0 - h0 : w1 - h0] = True
    base_kw = base.total("grid_import_kwh") / sub.dt_h
    limit = np.where(window, np.maximum(base_kw - reduce_kw, 0.0), np.inf)
    cut = _flows(
        solve_with_import_limit(
            scenario, sub, limit, options=options, penalty_eur_per_kwh=penalty_eur_per_kwh
        )
    )
    prices = tariff_prices(scenario, sub.time)
    notes = (
        f"optimised {sub.n_steps * sub.dt_h:g} h from {sub.time[0].isoformat()} with "
        "perfect foresight, from the scenario's initial storage levels",
        "baseline: the cost-optimal dispatch of that horizon, not the rule-based run",
        f"import above the limit costs {penalty_eur_per_kwh:g} EUR/kWh more (elastic limit)",
    )
    return FlexResponse(
        frame=_response_frame(base, cut, window, limit, scenario.timezone),
        reduce_kw=float(reduce_kw),
        timezone=scenario.timezone,
        baseline_cost_eur=_district_cost(base, prices),
        cost_eur=_district_cost(cut, prices),
        baseline=base,
        flows=cut,
        notes=notes,
    )
