"""Readings on the Flows steps, every meter at once: hand-computed sums, missing parts, the
last value of a level, and independence of the order and dtype the rows come in."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from sparcs.monitoring.step_grid import on_steps

HOURS = pd.date_range("2025-01-01", periods=3, freq="1h", tz="UTC")


def _readings(rows: list[tuple[str, str, float]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "meter": [m for m, _, _ in rows],
            "time": pd.to_datetime([t for _, t, _ in rows], utc=True, format="ISO8601"),
            "value": [v for _, _, v in rows],
        }
    )


def test_quarters_add_up_and_a_missing_quarter_makes_the_hour_missing() -> None:
    quarters = pd.date_range("2025-01-01", periods=12, freq="15min", tz="UTC")
    rows = [("q", str(t), 1.0 + i) for i, t in enumerate(quarters) if i != 6]  # 01:30 lost
    rows += [("h", "2025-01-01T02:00Z", 7.0), ("h", "2025-01-01T00:00Z", 5.0)]
    sums, lasts = on_steps(_readings(rows), ["q", "h", "none"], HOURS, pd.Timedelta("1h"))
    np.testing.assert_array_equal(sums[0], [1 + 2 + 3 + 4, np.nan, 9 + 10 + 11 + 12])
    np.testing.assert_array_equal(lasts[0], [4.0, np.nan, 12.0])
    np.testing.assert_array_equal(sums[1], [5.0, np.nan, 7.0])
    assert np.isnan(sums[2]).all() and np.isnan(lasts[2]).all()


def test_a_nan_reading_is_missing_and_times_off_the_steps_are_left_out() -> None:
    rows = [("m", "2025-01-01T00:00Z", np.nan), ("m", "2025-01-01T01:00Z", 2.0)]
    rows += [("m", "2024-12-31T23:00Z", 9.0), ("m", "2025-01-01T03:00Z", 9.0)]
    sums, _ = on_steps(_readings(rows), ["m"], HOURS, pd.Timedelta("1h"))
    np.testing.assert_array_equal(sums[0], [np.nan, 2.0, np.nan])


@settings(max_examples=40, deadline=None)
@given(
    values=st.lists(st.floats(0, 100), min_size=1, max_size=40),
    seed=st.integers(0, 2**16),
    categorical=st.booleans(),
)
def test_row_order_and_id_dtype_change_nothing(
    values: list[float], seed: int, categorical: bool
) -> None:
    rng = np.random.default_rng(seed)
    quarters = pd.date_range("2025-01-01", periods=12, freq="15min", tz="UTC")
    picks = rng.choice(12, size=len(values))
    frame = pd.DataFrame(
        {
            "meter": rng.choice(["x", "y", "z"], size=len(values)),
            "time": quarters[picks],
            "value": values,
        }
    ).drop_duplicates(["meter", "time"])
    ordered = frame.sort_values(["meter", "time"]).reset_index(drop=True)
    shuffled = frame.sample(frac=1.0, random_state=seed).reset_index(drop=True)
    if categorical:
        shuffled["meter"] = shuffled["meter"].astype("category")
    ids = ["x", "y", "z"]
    want = on_steps(ordered, ids, HOURS, pd.Timedelta("1h"))
    got = on_steps(shuffled, ids, HOURS, pd.Timedelta("1h"))
    for a, b in zip(want, got, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-12, equal_nan=True)
