"""Canonical direct sparse build of the reference LP (spec section 4), solved by highspy.

Columns in blocks ``pv, hp, bc, bd, bs, tc, td, ts, cin, cout`` (each ``N*T``, index
``b*T + t``), then ``gi`` (T), ``ge`` (T). Rows in blocks (E), (H), (B), (S) (each ``N*T``),
then (D) (T). The constraint matrix is assembled column-wise straight into CSC arrays with
row indices sorted inside each column.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from dispatch.common import HIGHS_OPTIONS, HighsClock, Stopwatch, ToolResult, note_build
from dispatch.generator import DispatchData

__all__ = ["CanonicalLp", "build", "expected_size", "pass_to_highs", "solve"]

IntArray = NDArray[np.int32]
FloatArray = NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class CanonicalLp:
    """The LP in HiGHS's column-wise form.

    ``min c'x  s.t.  row_lo <= A x <= row_up, lo <= x <= up``.
    """

    cost: FloatArray
    col_lower: FloatArray
    col_upper: FloatArray
    row_lower: FloatArray
    row_upper: FloatArray
    start: IntArray  # CSC column starts, length num_col + 1
    index: IntArray  # row indices
    value: FloatArray

    @property
    def num_col(self) -> int:
        """Number of columns."""
        return int(self.cost.size)

    @property
    def num_row(self) -> int:
        """Number of rows."""
        return int(self.row_lower.size)

    @property
    def num_nz(self) -> int:
        """Number of structural nonzeros."""
        return int(self.value.size)


def expected_size(n_buildings: int, n_hours: int) -> tuple[int, int, int]:
    """Columns, rows and nonzeros of the canonical build (spec section 4)."""
    nt, t = n_buildings * n_hours, n_hours
    return 10 * nt + 2 * t, 4 * nt + t, 19 * nt + 2 * t


def _pair(
    first: IntArray, second: IntArray, v_first: FloatArray | float, v_second: FloatArray | float
) -> tuple[IntArray, FloatArray]:
    """Two entries per column, row indices sorted within each column; flattened column-major."""
    n = first.size
    idx = np.empty((n, 2), dtype=np.int32)
    val = np.empty((n, 2))
    idx[:, 0], idx[:, 1] = first, second
    val[:, 0], val[:, 1] = v_first, v_second
    swap = idx[:, 0] > idx[:, 1]
    if swap.any():
        idx[swap] = idx[swap][:, ::-1]
        val[swap] = val[swap][:, ::-1]
    return idx.ravel(), val.ravel()


def build(data: DispatchData) -> CanonicalLp:
    """Assemble the canonical LP from the generated arrays (no Python loop over b or t)."""
    n, t = data.n_buildings, data.n_hours
    nt = n * t
    i = np.arange(nt, dtype=np.int32)  # b*T + t
    hour = (i % t).astype(np.int32)
    nxt = (i - hour + (hour + 1) % t).astype(np.int32)  # index of (b, t+1 mod T)
    row_e, row_h, row_b, row_s = i, i + nt, i + 2 * nt, i + 3 * nt
    row_d = (4 * nt + hour).astype(np.int32)
    keep_bat = 1.0 - data.bat_loss_per_h
    keep_tank = 1.0 - data.tank_loss_per_h

    blocks: list[tuple[IntArray, FloatArray]] = [
        (row_e, np.ones(nt)),  # pv
        _pair(row_e, row_h, -1.0, data.cop.ravel()),  # hp
        _pair(row_e, row_b, -1.0, -data.bat_eta_charge),  # bc
        _pair(row_e, row_b, 1.0, 1.0 / data.bat_eta_discharge),  # bd
        _pair(row_b, row_b[nxt], 1.0, -keep_bat),  # bs: own row, and as prev in the next hour
        _pair(row_h, row_s, -1.0, -1.0),  # tc
        _pair(row_h, row_s, 1.0, 1.0),  # td
        _pair(row_s, row_s[nxt], 1.0, -keep_tank),  # ts
        _pair(row_e, row_d, 1.0, -1.0),  # cin
        _pair(row_e, row_d, -1.0, 1.0),  # cout
    ]
    hours = np.arange(t, dtype=np.int32) + 4 * nt
    index = np.concatenate([b[0] for b in blocks] + [hours, hours])
    value = np.concatenate([b[1] for b in blocks] + [np.ones(t), -np.ones(t)])
    counts = np.concatenate(
        [np.ones(nt, np.int32), np.full(9 * nt, 2, np.int32), np.ones(2 * t, np.int32)]
    )
    start = np.zeros(counts.size + 1, dtype=np.int32)
    np.cumsum(counts, out=start[1:])

    def per_building(x: FloatArray) -> FloatArray:
        return np.repeat(x, t)

    col_upper = np.concatenate(
        [
            data.pv_avail.ravel(),
            per_building(data.hp_max),
            per_building(data.bat_charge),
            per_building(data.bat_discharge),
            per_building(data.bat_capacity),
            per_building(data.tank_charge),
            per_building(data.tank_discharge),
            per_building(data.tank_capacity),
            per_building(data.connection),
            per_building(data.connection),
            np.full(2 * t, data.grid),
        ]
    )
    cost = np.zeros(10 * nt + 2 * t)
    cost[10 * nt : 10 * nt + t] = data.cost_import
    cost[10 * nt + t :] = -data.export_price
    rhs = np.concatenate([data.demand_el.ravel(), data.demand_heat.ravel(), np.zeros(2 * nt + t)])
    return CanonicalLp(
        cost=cost,
        col_lower=np.zeros_like(cost),
        col_upper=col_upper,
        row_lower=rhs,
        row_upper=rhs.copy(),
        start=start,
        index=index,
        value=value,
    )


def pass_to_highs(h: Any, lp: CanonicalLp) -> None:
    """Hand the canonical LP to a ``highspy.Highs`` in one call (numpy arrays, no copies in Python).

    This ``passModel`` overload needs an integrality array; all zeros (continuous) makes HiGHS
    log "No semi-integer/integer variables in model with non-empty integrality" and solve the
    LP as an LP (same iterations as any other hand-over).
    """
    import highspy

    status = h.passModel(
        lp.num_col, lp.num_row, lp.num_nz,
        int(highspy.MatrixFormat.kColwise), int(highspy.ObjSense.kMinimize), 0.0,
        lp.cost, lp.col_lower, lp.col_upper, lp.row_lower, lp.row_upper,
        lp.start, lp.index, lp.value, np.zeros(lp.num_col, dtype=np.int32),
    )  # fmt: skip
    if status != highspy.HighsStatus.kOk:
        raise RuntimeError(f"HiGHS rejected the canonical LP: {status}")


def solve(data: DispatchData) -> ToolResult:
    """Build the canonical LP, pass it to highspy in-process and solve it."""
    import highspy

    clock = HighsClock()
    watch = Stopwatch()
    lp = build(data)
    expected = expected_size(data.n_buildings, data.n_hours)
    assert (lp.num_col, lp.num_row, lp.num_nz) == expected, (lp.num_col, lp.num_row, lp.num_nz)
    build_s = watch.lap()
    note_build(build_s)
    with clock.watch():
        h = highspy.Highs()
        for key, val in HIGHS_OPTIONS.items():
            h.setOptionValue(key, val)
        pass_to_highs(h, lp)
        h.run()
        status = h.modelStatusToString(h.getModelStatus())
        objective = float(h.getInfo().objective_function_value)
        x = np.asarray(h.getSolution().col_value)
    solve_s = watch.lap()
    assert x.size == lp.num_col
    return ToolResult(
        tool="direct",
        objective=objective,
        build_s=build_s,
        solve_s=solve_s,
        highs_s=clock.seconds(),
        iterations=clock.iterations(),
        status=status,
        extra={"columns": lp.num_col, "rows": lp.num_row, "nonzeros": lp.num_nz},
    )
