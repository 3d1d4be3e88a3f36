"""Checks and notes on the buildings' heat supply in the rule simulation: heat demand without
a heating system, heat pumps sized to the peak demand, back-up heaters that ran and boilers
driven above their capacity."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sparcs.errors import InfeasibleError
from sparcs.operation.params import TOP_ELECTRIC, Columns

if TYPE_CHECKING:
    from sparcs.operation.rule.passes import NodeResult
    from sparcs.profiles.inputs import Inputs

__all__ = ["check_no_heating", "heat_notes", "size_heat_pumps"]


def check_no_heating(cols: Columns, heat: np.ndarray, inputs: Inputs) -> None:
    """Buildings with ``heating = 'none'`` must have no heat demand."""
    for i in np.flatnonzero(np.array([h == "none" for h in cols.heating], dtype=bool)):
        column = heat[:, i]
        if column.max() > 1e-9:
            t = int(np.argmax(column))
            msg = (
                f"building {cols.ids[i]!r} has heating = 'none' but a heat demand of "
                f"{column.sum():.4g} kWh (e.g. {column[t] / inputs.dt_h:.3g} kW at "
                f"{inputs.time[t].isoformat()}); give it a heating system or zero space-heat "
                "and hot-water demand (hot_water = false, space_heat_kwh = 0)"
            )
            raise InfeasibleError(msg)


def size_heat_pumps(cols: Columns, heat: np.ndarray, dt_h: float, notes: list[str]) -> Columns:
    """Size heat pumps without a table to the peak heat demand [kW]."""
    unsized = np.flatnonzero(np.isnan(cols.hp_heat_kw))
    if not unsized.size:
        return cols
    peak = np.zeros(len(cols))
    if heat.shape[0]:
        # a reduction over every column allocates no (time x column) copy, unlike a gather
        peak[unsized] = heat.max(axis=0)[unsized] / dt_h
    names = [cols.ids[i] for i in unsized]
    shown = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
    notes.append(
        f"heat pumps sized to the peak heat demand (no heat_pump table) in {len(names)} "
        f"building(s): {shown}"
    )
    return cols.with_heat_pumps(peak)


def heat_notes(cols: Columns, result: NodeResult, dt_h: float, notes: list[str]) -> None:
    """Note back-up heaters that ran and boilers driven above their capacity."""
    backup = np.flatnonzero(
        (cols.hp_heat_kw > 0) & (cols.top == TOP_ELECTRIC) & (result.top_total_kwh > 1e-6)
    )
    if backup.size:
        names = ", ".join(cols.ids[i] for i in backup[:5])
        notes.append(
            f"electric back-up heaters covered {result.top_total_kwh[backup].sum():.4g} kWh of "
            f"heat in {backup.size} building(s) whose heat pump is smaller than the need: {names}"
        )
    over = np.flatnonzero(result.top_peak_kwh > cols.top_capacity_kw * dt_h * (1 + 1e-9) + 1e-9)
    for i in over[:5]:
        notes.append(
            f"building {cols.ids[i]!r}: the boiler delivered up to "
            f"{result.top_peak_kwh[i] / dt_h:.3g} kW, above its capacity of "
            f"{cols.top_capacity_kw[i]:g} kW; the demand was met anyway"
            " (raise boiler.capacity_kw or leave it empty to size it to the peak)"
        )
