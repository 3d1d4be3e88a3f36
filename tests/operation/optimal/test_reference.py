"""The reference district dispatch LP (dispatch-benchmark.md): data, size and objective."""

from __future__ import annotations

import numpy as np
import pytest
from dispatch_cases import reference_problem
from reference_data import reference_data

from sparcs.operation.optimal import (
    SolverOptions,
    SolverStatus,
    TerminationCondition,
    solve_dispatch,
)
from sparcs.operation.optimal.model import assemble
from sparcs.operation.optimal.objective import objective_value

# dispatch-benchmark.md §6 (seed 42, co2_price 80)
CHECKSUMS = {(1, 168): "c2817314b0775e42", (1, 8760): "a8af32f81d2bfda6"}
OBJECTIVES = {(1, 168): 146.592639226, (1, 8760): 2839.17929110}
SIZES = {(1, 168): (2016, 840, 3528), (1, 8760): (105120, 43800, 183960)}
OPTIONS = SolverOptions(threads=1, solver="choose")


@pytest.mark.parametrize("n, t", sorted(CHECKSUMS))
def test_data_checksum(n: int, t: int) -> None:
    data = reference_data(n, t)
    assert data.checksum() == CHECKSUMS[(n, t)]
    assert data.grid_kw == pytest.approx(4.88)


@pytest.mark.parametrize("n, t", sorted(SIZES))
def test_canonical_size(n: int, t: int) -> None:
    layout, arrays = assemble(reference_problem(reference_data(n, t)))
    assert (arrays.col_cost.size, arrays.row_lower.size, arrays.matrix.nnz) == SIZES[(n, t)]
    assert list(layout.cols.blocks) == [
        "pv",
        "hp",
        "bc",
        "bd",
        "bs",
        "tc",
        "td",
        "ts",
        "cin",
        "cout",
        "gi",
        "ge",
    ]
    assert list(layout.rows.blocks) == ["E", "H", "B", "S", "D"]


@pytest.mark.parametrize("n, t", sorted(OBJECTIVES))
def test_reference_objective(n: int, t: int) -> None:
    problem = reference_problem(reference_data(n, t))
    result = solve_dispatch(problem, options=OPTIONS)
    assert result.status is SolverStatus.OK
    assert result.termination is TerminationCondition.OPTIMAL
    assert result.is_ok
    assert result.objective == pytest.approx(OBJECTIVES[(n, t)], rel=1e-6)
    assert result.timings["build_s"] >= 0 and result.timings["solve_s"] > 0
    assert "Optimal" in result.log


def test_reference_solution_keeps_every_constraint() -> None:
    data = reference_data(1, 168)
    problem = reference_problem(data)
    result = solve_dispatch(problem, options=OPTIONS)
    s = result.solution
    assert s["gi"].shape == (168,) and s["pv"].shape == (168, 1)
    electricity = s["pv"] + s["bd"] - s["bc"] - s["hp"] + s["cin"] - s["cout"]
    np.testing.assert_allclose(electricity, data.demand_el, atol=1e-7)
    heat = data.cop * s["hp"] + s["td"] - s["tc"]
    np.testing.assert_allclose(heat, data.demand_heat, atol=1e-7)
    level = 0.9999 * np.roll(s["bs"], 1, axis=0) + 0.95 * s["bc"] - s["bd"] / 0.95
    np.testing.assert_allclose(s["bs"], level, atol=1e-7)  # cyclic: row 0 links to the end
    assert (s["gi"] <= data.grid_kw + 1e-7).all() and (s["bs"] <= data.e_bat + 1e-7).all()
    assert objective_value(problem, s) == pytest.approx(result.objective, rel=1e-9)
