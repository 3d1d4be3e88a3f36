"""Measured readings as :class:`~sparcs.operation.flows.Flows`: the same KPIs as simulated runs.

Each meter fills one flow (its ``quantity``) at one node (its ``node``); meters of the same
flow and node add up. Every other flow is zero: not metered. Readings at a finer step than
the Flows' are summed per step (levels: the last value); a step with a missing part is
missing, never a smaller sum (an hour with a missing quarter is missing, as Datahub does).

Missing steps are never silently zero. ``fill`` says what to do:

``"none"`` (default)
    refuse (:class:`~sparcs.errors.DataError` naming the meters and counts): the KPIs
    would be incomplete;
``"zero"``
    count a missing step as 0 kWh;
``"linear"``
    interpolate in time between the meter's neighbouring steps (the edges take the
    nearest value).

Either fill is counted per meter in :attr:`MeasuredFlows.filled` and stated in the flows'
``notes``, which the KPI report carries.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from sparcs.errors import DataError
from sparcs.monitoring.ingest.meters import WEATHER_QUANTITIES
from sparcs.monitoring.step_grid import on_steps
from sparcs.operation.flows import DISTRICT_NODE, FLOW_NAMES, STATE_NAMES, Flows
from sparcs.operation.params import building_columns, capacities, district_columns
from sparcs.scenario import Scenario

__all__ = ["FILL_METHODS", "MeasuredFlows", "measured_flows"]

Fill = Literal["none", "zero", "linear"]
FILL_METHODS: tuple[str, ...] = ("none", "zero", "linear")


@dataclass(frozen=True)
class MeasuredFlows:
    """Flows built from readings, and what was filled.

    Attributes
    ----------
    flows
        The flows over the period.
    filled
        Meter id -> steps of the period filled by ``method`` (meters with none are absent).
    method
        The fill method used.
    """

    flows: Flows
    filled: dict[str, int]
    method: str

    @property
    def complete(self) -> bool:
        """True when no step was filled."""
        return not self.filled


def _fill(values: np.ndarray, method: str) -> np.ndarray:
    if method == "zero":
        zeros: np.ndarray = np.nan_to_num(values, nan=0.0)
        return zeros
    series = pd.Series(values)
    filled: np.ndarray = series.interpolate(limit_direction="both").fillna(0.0).to_numpy()
    return filled


def measured_flows(
    readings: pd.DataFrame,
    meters: pd.DataFrame,
    scenario: Scenario,
    *,
    time: pd.DatetimeIndex,
    fill: Fill = "none",
) -> MeasuredFlows:
    """Build Flows over ``time`` from stored readings (module docstring).

    Parameters
    ----------
    readings
        Columns meter, time (UTC), value [kWh per meter step], flags: ``Store.readings()``.
    meters
        Columns id, node, quantity: ``Store.meters()``.
    scenario
        The district: its buildings (the nodes, in order), floor areas, residents, fuels,
        installed sizes and time zone.
    time
        The Flows' steps (UTC, fixed step, period-beginning labels).
    fill
        ``"none"``, ``"zero"`` or ``"linear"`` (module docstring).

    Raises
    ------
    DataError
        A meter on a node the scenario does not have, or missing steps with ``fill="none"``.
    """
    if fill not in FILL_METHODS:
        msg = f"fill {fill!r} is not known; choose {', '.join(FILL_METHODS)}"
        raise DataError(msg)
    buildings = list(scenario.buildings)
    nodes = (*(b.id for b in buildings), DISTRICT_NODE)
    column = {node: i for i, node in enumerate(nodes)}
    step = pd.Timedelta(time[1] - time[0]) if len(time) > 1 else pd.Timedelta(scenario.timestep)
    data = {name: np.zeros((len(time), len(nodes))) for name in (*FLOW_NAMES, *STATE_NAMES)}
    filled: dict[str, int] = {}
    ids = [str(m) for m in meters["id"]]
    sums, lasts = on_steps(readings, ids, time, step)
    for row, (meter_id, node, quantity) in enumerate(
        meters[["id", "node", "quantity"]].itertuples(index=False)
    ):
        meter_id, node, quantity = str(meter_id), str(node), str(quantity)
        if quantity in WEATHER_QUANTITIES:  # weather meters feed sparcs.monitoring.weather
            continue
        if node not in column:
            msg = (
                f"meter {meter_id!r} is on node {node!r}, which scenario "
                f"{scenario.name!r} does not have; its nodes are {', '.join(nodes)}"
            )
            raise DataError(msg)
        values = (lasts if quantity in STATE_NAMES else sums)[row].copy()
        missing = int(np.isnan(values).sum())
        if missing:
            filled[meter_id] = missing
            if fill != "none":
                values = _fill(values, fill)
        target: np.ndarray = data[quantity]
        target[:, column[node]] += values
    if filled and fill == "none":
        listed = ", ".join(f"{m}: {n} step(s)" for m, n in sorted(filled.items())[:10])
        msg = (
            f"readings miss steps of the period ({listed}); the KPIs would be incomplete. "
            "Ingest the missing data, or fill them with fill='zero' or 'linear' (counted)"
        )
        raise DataError(msg)
    notes = tuple(
        f"measured: meter {m}: {n} missing step(s) filled ({fill})"
        for m, n in sorted(filled.items())
    )
    cols = building_columns(buildings)
    network = bool(
        scenario.district.solar_thermal
        or scenario.district.thermal_storage
        or scenario.district.heat_pump
        or scenario.district.chp
        or scenario.district.electric_boiler
    )
    dcols = district_columns(scenario.district, DISTRICT_NODE, heat_network=network)
    flows = Flows(
        time=time,
        dt_h=step / pd.Timedelta(hours=1),
        nodes=nodes,
        data=data,
        fuel=(*cols.fuel, *dcols.fuel),
        floor_area_m2=np.array([b.floor_area_m2 for b in buildings] + [0.0]),
        residents=np.array([b.residents or 0 for b in buildings] + [0], dtype=float),
        sharing=scenario.boundary.sharing,
        capacities=capacities(buildings, scenario.district, cols, dcols),
        notes=notes,
        timezone=scenario.timezone,
    )
    return MeasuredFlows(flows=flows, filled=filled, method=fill)
