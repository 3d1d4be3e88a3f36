"""History steps summed per meter: the fast path on the epoch's grid adds what the general one
does (same cells, same floats, same counts), on and off the grid, inside and outside."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from sparcs.live.state import _per_step

STEP = 900 * 10**9  # a quarter hour [ns]
ALIGNED = 1_735_689_600 * 10**9  # 2025-01-01T00:00Z, on every step's grid


def _reference(
    times: np.ndarray, values: np.ndarray, first: int, n: int, which: np.ndarray, groups: int
) -> tuple[np.ndarray, np.ndarray]:
    floored = times - np.mod(times, STEP)
    index = (floored - first) // STEP
    inside = (index >= 0) & (index < n) & (floored == first + index * STEP)
    cell = which[inside] * n + index[inside]
    total = np.bincount(cell, values[inside], minlength=groups * n).reshape(groups, n)
    return total, np.bincount(cell, minlength=groups * n).reshape(groups, n)


@settings(max_examples=200, deadline=None)
@given(
    n=st.integers(1, 30),
    groups=st.integers(1, 4),
    shift_s=st.sampled_from([0, 7, 450]),
    on_grid=st.booleans(),
    seed=st.integers(0, 2**32 - 1),
)
def test_the_fast_path_sums_what_the_general_one_does(
    n: int, groups: int, shift_s: int, on_grid: bool, seed: int
) -> None:
    rng = np.random.default_rng(seed)
    first = ALIGNED + shift_s * 10**9
    if on_grid:
        times = first + rng.integers(0, n, size=200) * STEP
    else:
        times = first + rng.integers(-3 * STEP, (n + 3) * STEP, size=200)
    values = rng.normal(size=200)
    which = rng.integers(0, groups, size=200)
    total, count = _per_step(times, values, first, STEP, n, which, groups)
    ref_total, ref_count = _reference(times, values, first, n, which, groups)
    np.testing.assert_array_equal(total, ref_total)
    np.testing.assert_array_equal(count, ref_count)
