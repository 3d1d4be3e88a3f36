"""The data of a dispatch LP: arrays only, no solver and no scenario.

:class:`DispatchProblem` holds everything the LP needs, shaped (time, unit) for series and
(unit,) for sizes. With its required fields only, it describes exactly the reference
district dispatch problem (dispatch-benchmark.md §4); the optional fields add constraint
families (heat supply options, smart EV charging, building thermal mass, a PED balance, a
peak charge) and default to "absent", so the reference LP is unchanged.

Units: power [kW], energy [kWh], money [EUR], step length ``dt_h`` [h]. A power column over
one step is an energy of ``power * dt_h``; costs are given per kWh and multiplied by ``dt_h``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Literal

import numpy as np
import pandas as pd

from sparcs.errors import DataError
from sparcs.operation.optimal.boiler import BoilerParams
from sparcs.operation.optimal.capacity import CapacityParams
from sparcs.operation.optimal.chp import CHPParams
from sparcs.operation.optimal.district_heat import DistrictHeatParams
from sparcs.operation.optimal.electric_boiler import ElectricBoilerParams
from sparcs.operation.optimal.ev import EVParams
from sparcs.operation.optimal.heat_export import HeatExportParams
from sparcs.operation.optimal.ped import PedParams
from sparcs.operation.optimal.thermal_mass import ThermalMassParams

__all__ = ["DispatchProblem", "Labels", "StorageParams", "take_steps"]

Metering = Literal["district", "building"]


@dataclass(frozen=True)
class StorageParams:
    """A store per unit (battery or hot-water tank); every array is shaped (unit,).

    Attributes
    ----------
    capacity_kwh
        Usable energy capacity [kWh]; 0 = no store.
    charge_kw, discharge_kw
        Charge and discharge power limits, outside the store [kW].
    eta_charge, eta_discharge
        Charge and discharge efficiencies [-].
    loss_per_h
        Standing loss, share of the content per hour [1/h]; compounded as
        ``(1 - loss_per_h) ** dt_h`` per step.
    min_kwh
        Lowest energy content [kWh]; None = 0.
    initial_kwh
        Content before the first step when the problem is not cyclic [kWh]; None = 0.
    final_min_kwh
        Lowest content at the end of the last step [kWh]; None = no condition.
    discharge_cost
        Wear cost per kWh discharged [EUR/kWh]; None = 0.
    """

    capacity_kwh: np.ndarray
    charge_kw: np.ndarray
    discharge_kw: np.ndarray
    eta_charge: np.ndarray
    eta_discharge: np.ndarray
    loss_per_h: np.ndarray
    min_kwh: np.ndarray | None = None
    initial_kwh: np.ndarray | None = None
    final_min_kwh: np.ndarray | None = None
    discharge_cost: np.ndarray | None = None

    @property
    def present(self) -> bool:
        """True when some unit has a store."""
        return bool(np.any(np.asarray(self.capacity_kwh) > 0))


@dataclass(frozen=True)
class Labels:
    """Names used in messages: step labels (UTC) and unit descriptions (``building 'B3'``)."""

    time: pd.DatetimeIndex | None = None
    units: tuple[str, ...] = ()

    def step(self, t: int) -> str:
        """Start of step ``t`` (UTC, ISO 8601); one past the last step is the period's end."""
        time = self.time
        if time is None or len(time) == 0 or t > len(time) or (t == len(time) and len(time) < 2):
            return f"step {t}"
        return (time[t] if t < len(time) else time[-1] + (time[-1] - time[-2])).isoformat()

    def unit(self, b: int) -> str:
        """Name of unit ``b`` for a sentence, e.g. ``building 'B3'``."""
        return self.units[b] if b < len(self.units) else f"unit {b}"


_SERIES = ("demand_el_kw", "demand_heat_kw", "pv_avail_kw", "cop")


@dataclass(frozen=True)
class DispatchProblem:
    """The arrays of a district dispatch LP.

    Attributes
    ----------
    dt_h
        Step length [h].
    demand_el_kw, demand_heat_kw
        Inflexible electricity and heat demand per step and unit, (time, unit) [kW].
    pv_avail_kw
        Renewable power available (PV, wind), (time, unit) [kW]; curtailment is allowed.
    cop
        Heat-pump COP, (time, unit) [-].
    hp_max_el_kw
        Heat-pump electric input limit, (unit,) or (time, unit) [kW].
    battery, tank
        Batteries and hot-water tanks (:class:`StorageParams`).
    connection_kw
        Limit of each unit's connection to the district node, each direction, (unit,) [kW].
    grid_import_kw, grid_export_kw
        Limits of the district's grid connection [kW] (``inf`` = none).
    import_cost, export_price
        Cost of imported and price of exported electricity per step, (time,) [EUR/kWh]
        (or any weighted objective coefficient per kWh, see :mod:`.objective`).
    cyclic
        Storage levels before the first step equal those after the last step; otherwise
        they start from ``initial_kwh``.
    metering
        ``"district"``: one meter at the district connection prices the net exchange (the
        reference LP). ``"building"``: each unit's exchange is metered on its own, so grid
        import and export are the sums of the units' imports and exports.
    electric_boiler, boiler, chp, district_heat
        Heat supply options besides the heat pump; None = absent.
    solar_heat_kw
        Solar-thermal heat available, (time, unit) [kW]; None = absent. Unused heat is dumped.
    ev
        Smart EV charging (:class:`~.ev.EVParams`); None = absent.
    thermal_mass
        Building thermal mass with a comfort band (:class:`~.thermal_mass.ThermalMassParams`).
    ped
        Primary-energy balance constraint (:class:`~.ped.PedParams`); None = absent.
    peak_cost
        Cost per kW of the highest grid import over the period [EUR/kW]; 0 = no peak column.
    peak_floor_kw
        Lower bound of the peak column [kW] (the peak already reached, in rolling horizon).
    capacity, dh_capacity
        Capacity charges: a priced peak column per charge period of the grid import and of
        the district heat bought (:class:`~.capacity.CapacityParams`); None = absent.
    import_cap_kw
        Time-varying cap on the district's grid import, (time,) [kW] (``inf`` = no cap), e.g.
        a flexibility request; None = absent.
    import_cap_penalty
        Cost of importing above ``import_cap_kw`` [EUR/kWh]; 0 makes the cap hard (no slack).
    terminal_step
        Step at whose end the stores' ``final_min_kwh`` applies; None = the last step (a
        rolling-horizon window padded past the period's end sets the period's last step).
    labels
        Step and unit names for messages.
    heat_export
        Heat fed into the district-heating network (:class:`~.heat_export.HeatExportParams`);
        None = absent.
    step_h
        Duration of each step, (time,) [h]; None = every step lasts ``dt_h`` (then the LP is
        exactly that of a scalar step). Steps of their own length (a receding horizon with a
        coarser tail, :mod:`.blocking`) weight every energy, cost and standing loss by it.
    """

    dt_h: float
    demand_el_kw: np.ndarray
    demand_heat_kw: np.ndarray
    pv_avail_kw: np.ndarray
    cop: np.ndarray
    hp_max_el_kw: np.ndarray
    battery: StorageParams
    tank: StorageParams
    connection_kw: np.ndarray
    grid_import_kw: float
    grid_export_kw: float
    import_cost: np.ndarray
    export_price: np.ndarray
    cyclic: bool = True
    metering: Metering = "district"
    electric_boiler: ElectricBoilerParams | None = None
    boiler: BoilerParams | None = None
    chp: CHPParams | None = None
    district_heat: DistrictHeatParams | None = None
    solar_heat_kw: np.ndarray | None = None
    ev: EVParams | None = None
    thermal_mass: ThermalMassParams | None = None
    ped: PedParams | None = None
    peak_cost: float = 0.0
    peak_floor_kw: float = 0.0
    capacity: CapacityParams | None = None
    dh_capacity: CapacityParams | None = None
    import_cap_kw: np.ndarray | None = None
    import_cap_penalty: float = 0.0
    terminal_step: int | None = None
    labels: Labels = field(default_factory=Labels)
    heat_export: HeatExportParams | None = None
    step_h: np.ndarray | None = None

    def __post_init__(self) -> None:
        shape = np.shape(self.demand_el_kw)
        if len(shape) != 2:
            msg = f"demand_el_kw must be shaped (time, unit), got {shape}"
            raise DataError(msg)
        for name in (*_SERIES, "solar_heat_kw"):
            value = getattr(self, name)
            if value is not None and np.shape(value) != shape:
                msg = f"{name} has shape {np.shape(value)}, expected {shape} (time, unit)"
                raise DataError(msg)
            if value is not None and not np.all(np.isfinite(value)):
                msg = f"{name} has missing or infinite values"
                raise DataError(msg)
        for name in ("import_cost", "export_price"):
            if np.shape(getattr(self, name)) != shape[:1]:
                msg = f"{name} has shape {np.shape(getattr(self, name))}, expected ({shape[0]},)"
                raise DataError(msg)
        self._check_sizes(shape)
        if self.import_cap_kw is not None and np.shape(self.import_cap_kw) != shape[:1]:
            msg = f"import_cap_kw has shape {np.shape(self.import_cap_kw)}, expected ({shape[0]},)"
            raise DataError(msg)
        if self.metering not in ("district", "building"):
            msg = f"metering must be 'district' or 'building', got {self.metering!r}"
            raise DataError(msg)
        if not self.dt_h > 0:
            msg = f"dt_h must be positive, got {self.dt_h}"
            raise DataError(msg)
        if self.step_h is not None and (
            np.shape(self.step_h) != shape[:1] or not np.all(np.asarray(self.step_h) > 0)
        ):
            msg = f"step_h must be {shape[0]} positive durations [h], got {self.step_h}"
            raise DataError(msg)

    def _check_sizes(self, shape: tuple[int, ...]) -> None:
        """Per-unit arrays must have one value per unit (the heat-pump limit may vary in time)."""
        n = shape[1]
        sized = {"connection_kw": self.connection_kw}
        for kind in ("battery", "tank"):
            store = getattr(self, kind)
            sized |= {
                f"{kind}.{f}": getattr(store, f)
                for f in (
                    "capacity_kwh",
                    "charge_kw",
                    "discharge_kw",
                    "eta_charge",
                    "eta_discharge",
                    "loss_per_h",
                )
            }
        for name, value in sized.items():
            if np.shape(value) != (n,):
                msg = f"{name} has shape {np.shape(value)}, expected ({n},) (one value per unit)"
                raise DataError(msg)
        if np.shape(self.hp_max_el_kw) not in ((n,), shape):
            msg = (
                f"hp_max_el_kw has shape {np.shape(self.hp_max_el_kw)}, expected ({n},) or {shape}"
            )
            raise DataError(msg)

    @property
    def n_steps(self) -> int:
        """Number of steps T."""
        return int(np.shape(self.demand_el_kw)[0])

    @property
    def n_units(self) -> int:
        """Number of units N (buildings, and the district node where modelled)."""
        return int(np.shape(self.demand_el_kw)[1])

    @property
    def dt_t(self) -> float | np.ndarray:
        """Duration of each step [h]: the scalar ``dt_h``, or ``step_h`` (time,) when set."""
        return self.dt_h if self.step_h is None else np.asarray(self.step_h, dtype=float)

    @property
    def dt_tn(self) -> float | np.ndarray:
        """:attr:`dt_t` shaped to multiply a (time, unit) array: scalar or (time, 1) [h]."""
        return self.dt_h if self.step_h is None else np.asarray(self.step_h, dtype=float)[:, None]

    def hp_max(self) -> np.ndarray:
        """Heat-pump electric input limit as (time, unit) [kW]."""
        return np.broadcast_to(
            np.asarray(self.hp_max_el_kw, dtype=float), (self.n_steps, self.n_units)
        )


def _take_rows(value: np.ndarray | None, idx: np.ndarray, n_steps: int) -> np.ndarray | None:
    """Rows ``idx`` of a per-step array (first axis of length ``n_steps``); others as given."""
    if value is None:
        return None
    arr = np.asarray(value)
    return arr[idx] if arr.ndim >= 1 and arr.shape[0] == n_steps and arr.ndim != 0 else arr


def take_steps(problem: DispatchProblem, idx: np.ndarray) -> DispatchProblem:
    """The problem on the steps ``idx`` of ``problem`` (a window, possibly padded).

    Series are taken at ``idx``; sizes stay. Optional families take their own series
    (EV sessions cut at the window's end get a pro-rata energy requirement). Storage starts
    from its ``initial_kwh`` and the result is not cyclic.
    """
    n = problem.n_steps
    idx = np.asarray(idx, dtype=int)
    # new values by field name (their types differ); dataclasses.replace checks the names
    changes: dict[str, Any] = {
        name: np.asarray(getattr(problem, name))[idx]
        for name in (*_SERIES, "import_cost", "export_price")
    }
    hp = np.asarray(problem.hp_max_el_kw)
    changes["hp_max_el_kw"] = hp[idx] if hp.ndim == 2 else hp
    changes["solar_heat_kw"] = _take_rows(problem.solar_heat_kw, idx, n)
    changes["step_h"] = _take_rows(problem.step_h, idx, n)
    if problem.ped is not None:
        msg = (
            "a primary-energy balance constraint spans the whole period; a window of it "
            "cannot enforce it (solve the period at once, or drop the constraint)"
        )
        raise DataError(msg)
    for name in (
        "boiler",
        "chp",
        "district_heat",
        "ev",
        "thermal_mass",
        "capacity",
        "dh_capacity",
        "heat_export",
    ):
        params = getattr(problem, name)
        changes[name] = None if params is None else params.take(idx, n)
    changes["labels"] = replace(problem.labels, time=_take_times(problem.labels.time, idx, n))
    changes["terminal_step"] = _terminal(problem, idx)
    return replace(problem, cyclic=False, **changes)


def _take_times(time: pd.DatetimeIndex | None, idx: np.ndarray, n: int) -> pd.DatetimeIndex | None:
    """The labels of the steps ``idx`` of ``n`` (past the last: the last one's)."""
    if time is None:
        return None
    first, last = (int(idx[0]), int(idx[-1])) if idx.size else (0, -1)
    if 0 <= first <= last < n and last - first + 1 == idx.size and np.all(np.diff(idx) == 1):
        # a run of steps: sliced (pandas takes ~0.05 ms more to pick them one by one, a few
        # times a live cycle)
        return time[first : last + 1]
    return pd.DatetimeIndex(time[np.minimum(idx, n - 1)])


def _terminal(problem: DispatchProblem, idx: np.ndarray) -> int | None:
    """Position in ``idx`` of the problem's terminal step, if the window reaches it."""
    last = problem.n_steps - 1 if problem.terminal_step is None else problem.terminal_step
    contiguous = int(np.argmin(idx == idx[0] + np.arange(idx.size))) or idx.size
    position = last - int(idx[0])
    return position if 0 <= position < contiguous and position < idx.size - 1 else None
