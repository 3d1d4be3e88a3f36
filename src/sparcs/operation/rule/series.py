"""The profiles written into the rule simulation's flow arrays (kW -> kWh per step), shared
where they can be."""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING

import numpy as np

from sparcs._memory import put
from sparcs.errors import DataError

if TYPE_CHECKING:
    from sparcs.profiles.inputs import Inputs

__all__ = ["district_series", "shared_flows", "write_building_series"]

#: Input power series [kW] -> the flow they become [kWh per step].
_BUILDING_FLOWS = {
    "electricity_kw": "electricity_demand_kwh",
    "cooling_kw": "cooling_demand_kwh",
    "pv_kw": "pv_kwh",
    "wind_kw": "wind_kwh",
    "solar_thermal_kw": "solar_thermal_kwh",
    "ev_kw": "ev_charge_kwh",
}
_DISTRICT_FLOWS = {
    "pv_kw": "pv_kwh",
    "wind_kw": "wind_kwh",
    "solar_thermal_kw": "solar_thermal_kwh",
    "ev_kw": "ev_charge_kwh",
}


def _checked(
    values: np.ndarray, shape: tuple[int, ...], what: str, columns: np.ndarray | None = None
) -> np.ndarray:
    """``values`` as a float array of ``shape``, free of negative and missing values.

    Only the ``columns`` (a mask) are read when given: the others are known to be zero.
    """
    values = np.asarray(values, dtype=float)
    if values.shape != shape:
        msg = f"inputs {what} has shape {values.shape}, expected {shape} (time, building)"
        raise DataError(msg)
    where = True if columns is None else columns
    if values.size and not values.min(where=where, initial=np.inf) >= 0:
        lowest = values.min(where=where, initial=np.inf)
        msg = f"inputs {what} has negative or missing values (min {lowest:.4g})"
        raise DataError(msg)
    return values


def shared_flows(inputs: Inputs) -> dict[str, np.ndarray]:
    """The profile buffers that can be flows as they are: flow name -> (time, node) array.

    At hourly steps a series [kW] equals its flow [kWh per step]. A read-only series that is
    the first columns of a column-major (time, building + 1) buffer whose last column is zero
    (as :func:`~sparcs.profiles.build.build_inputs` makes them) is then the flow itself,
    district node included, unless the district has such a series of its own to write
    there. Sharing saves writing the flow, fresh memory the size of the series; both stay
    read-only, so neither can change under the other.
    """
    if inputs.dt_h != 1.0:
        return {}
    shape = (inputs.n_steps, inputs.n_buildings + 1)
    shared = {}
    for name, flow in _BUILDING_FLOWS.items():
        own = inputs.district.get(name)
        if own is not None and np.max(own, initial=0.0) > 0:
            continue
        buffer = _whole_buffer(inputs.building[name], shape)
        if buffer is not None:
            shared[flow] = buffer
    return shared


def _whole_buffer(values: np.ndarray, shape: tuple[int, int]) -> np.ndarray | None:
    """The read-only buffer of ``shape`` whose first columns ``values`` are, with its last
    column zero; None when ``values`` is anything else."""
    base = values.base
    if (
        not isinstance(base, np.ndarray)
        or base.shape != shape
        or base.dtype != np.float64
        or values.dtype != np.float64
        or values.flags.writeable
        or base.flags.writeable
        or not base.flags.f_contiguous
        or values.strides != base.strides
        or values.ctypes.data != base.ctypes.data
    ):
        return None
    return None if base[:, -1].any() else base


def write_building_series(
    inputs: Inputs, out: dict[str, np.ndarray], shared: Collection[str] = ()
) -> dict[str, np.ndarray]:
    """Write the buildings' demand and generation into ``out`` [kWh per step].

    Only the columns where a series is non-zero are written (see :mod:`._owners`); the
    flows in ``shared`` already are their series (:func:`shared_flows`) and are only checked.

    Returns
    -------
    dict
        Flow name -> mask of the columns that hold data; all-zero series are left out.

    Raises
    ------
    DataError
        When a series has the wrong shape or negative or missing values.
    """
    shape = (inputs.n_steps, inputs.n_buildings)
    given: dict[str, np.ndarray] = {}
    for name, flow in _BUILDING_FLOWS.items():
        # columns outside the series' support are zeros never written: reading them would
        # map memory for nothing
        support = inputs.support.get(name)
        values = _checked(inputs.building[name], shape, f"building[{name!r}]", support)
        if not values.size:
            continue
        # one reduction down the rows reads the array once, whatever its memory order
        cols = values.max(axis=0, where=True if support is None else support, initial=0.0) > 0
        if cols.any():
            if flow not in shared:
                put(out[flow], cols, values, inputs.dt_h)
            given[flow] = cols
    space = _checked(inputs.building["space_heat_kw"], shape, "building['space_heat_kw']")
    dhw = _checked(inputs.building["dhw_kw"], shape, "building['dhw_kw']")
    heat = out["heat_demand_kwh"]
    np.add(space, dhw, out=heat)
    heat *= inputs.dt_h
    given["heat_demand_kwh"] = np.ones(shape[1], dtype=bool)
    return given


def district_series(inputs: Inputs, out: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Write the district node's generation and EV charging into ``out`` [kWh per step].

    Returns the flow names that hold data, each with the mask of its one column.
    """
    given: dict[str, np.ndarray] = {}
    for name, flow in _DISTRICT_FLOWS.items():
        values = _checked(inputs.district[name], (inputs.n_steps,), f"district[{name!r}]")
        if values.max() > 0:
            out[flow][:, 0] = values * inputs.dt_h
            given[flow] = np.ones(1, dtype=bool)
    _checked(inputs.district["virtual_kw"], (inputs.n_steps,), "district['virtual_kw']")
    return given
