"""Value of operation: what the live schedules achieved against the rules, on measured days.

The counterfactual is the rule strategy run on what the meters measured: the buildings'
electricity and heat demand and PV of the period replace the scenario's profiles (a series
without a meter keeps the profile, stated), and the rule simulation operates the same assets.
Both sides go through the same KPIs (:func:`sparcs.kpi.compute_kpis`) as the meters see them:
the operated side is the measured flows (:func:`sparcs.monitoring.measured.measured_flows`),
the rule side keeps only the flows a meter measures
(:func:`sparcs.monitoring.plan_vs_actual.metered_view`); the grid connection must be metered.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sparcs.errors import DataError
from sparcs.kpi import compute_kpis
from sparcs.live.horizon import with_series
from sparcs.live.state import measured_table
from sparcs.monitoring.measured import measured_flows
from sparcs.monitoring.plan_vs_actual import metered_view
from sparcs.operation.rule import simulate
from sparcs.profiles.inputs import Inputs, slice_inputs
from sparcs.scenario import Scenario
from sparcs.store import Store

__all__ = ["COMPARED", "OperationValue", "value_of_operation"]

#: KPIs compared: key → (label, better when lower).
COMPARED: dict[str, tuple[str, bool]] = {
    "net_energy_cost": ("net energy cost [EUR]", True),
    "co2_net": ("net GHG [kg CO2-eq]", True),
    "peak_import": ("import peak [kW]", True),
    "peb": ("primary-energy balance [kWh]", False),
}


@dataclass(frozen=True)
class OperationValue:
    """Operated (measured) against the rule counterfactual over one period.

    Attributes
    ----------
    start, end
        The period (UTC), end excluded.
    table
        One row per KPI of :data:`COMPARED`: ``kpi``, ``label``, ``operated``, ``rule``,
        ``gain`` (rule minus operated where lower is better, operated minus rule otherwise:
        positive means live operation did better).
    notes
        Stand-ins used (series without a meter).
    """

    start: pd.Timestamp
    end: pd.Timestamp
    table: pd.DataFrame
    notes: tuple[str, ...]


def value_of_operation(
    store: Store, scenario: Scenario, inputs: Inputs, start: pd.Timestamp, end: pd.Timestamp
) -> OperationValue:
    """Compare what was operated with the rule strategy on the measured days.

    Parameters
    ----------
    store
        The open store with the period's readings.
    scenario
        The district.
    inputs
        The scenario's profiles over a period containing [start, end).
    start, end
        The period (time-zone aware), end excluded.

    Returns
    -------
    OperationValue
        The KPI table and the stand-ins.

    Raises
    ------
    DataError
        A period outside ``inputs``, or one without grid readings.
    """
    first = int(inputs.time.searchsorted(start.tz_convert("UTC")))
    stop = int(inputs.time.searchsorted(end.tz_convert("UTC")))
    if stop <= first:
        msg = (
            f"the period {start.isoformat()} to {end.isoformat()} "
            "has no step of the scenario's year"
        )
        raise DataError(msg)
    period = slice_inputs(inputs, first, stop)
    step = pd.Timedelta(hours=inputs.dt_h)
    meters = store.meters()
    grid = meters[meters["quantity"].isin(("grid_import_kwh", "grid_export_kwh"))]
    if grid.empty:
        msg = "no grid meter in the store: the value of operation needs the grid connection metered"
        raise DataError(msg)
    readings = store.readings(list(meters["id"]), start=period.time[0], end=period.time[-1] + step)
    operated = measured_flows(readings, meters, scenario, time=period.time, fill="linear").flows
    table = measured_table(store, scenario, period.time[0], period.time[-1] + step, step)
    wide = table.pivot_table(index="time", columns="series", values="value_kwh", aggfunc="sum")
    wide = wide.reindex(period.time).interpolate(limit_direction="both")
    series = {}
    for column in wide.columns:
        node, quantity = str(column).rsplit("/", 1)
        series[(quantity, node)] = wide[column].to_numpy(dtype=float)
    metered = {(q, n) for q, n in series}
    notes = [
        f"{building} {quantity}: not metered; the scenario's profile stands in"
        for building in period.building_ids
        for quantity in ("electricity_demand_kwh", "heat_demand_kwh", "pv_kwh")
        if (quantity, building) not in metered
    ]
    rule = simulate(scenario, with_series(period, series))
    # the rules seen as the meters see them: a flow no meter measures counts on neither side
    pairs = list(zip(meters["quantity"], meters["node"], strict=True))
    seen = metered_view(rule, pairs)
    ours, theirs = compute_kpis(operated, scenario), compute_kpis(seen, scenario)
    rows = []
    for key, (label, lower_better) in COMPARED.items():
        a, b = float(ours[key].value), float(theirs[key].value)
        rows.append(
            {
                "kpi": key,
                "label": label,
                "operated": a,
                "rule": b,
                "gain": (b - a) if lower_better else (a - b),
            }
        )
    frame = pd.DataFrame(rows)
    frame[["operated", "rule", "gain"]] = frame[["operated", "rule", "gain"]].astype(np.float64)
    return OperationValue(period.time[0], period.time[-1] + step, frame, tuple(notes))
