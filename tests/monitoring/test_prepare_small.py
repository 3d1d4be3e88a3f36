"""A live step's few rows are looked up in a dict, a file's in pandas: the same batch either way."""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from sparcs.monitoring.ingest import MeterSpec
from sparcs.monitoring.ingest.prepare import prepare
from sparcs.monitoring.ingest.raw import RawReadings

METERS = {
    m: MeterSpec(id=m, node="b1", quantity="electricity_demand_kwh", unit="kWh")
    for m in ("a", "b", "c")
}
NOW = pd.Timestamp("2026-01-01T00:00Z")
prepare_module = sys.modules["sparcs.monitoring.ingest.prepare"]


@settings(max_examples=30, deadline=None)
@given(
    rows=st.lists(
        st.tuples(st.sampled_from(sorted(METERS)), st.integers(0, 7), st.floats(-5, 5)),
        min_size=1,
        max_size=40,
    )
)
def test_a_small_batch_is_prepared_as_a_large_one_is(rows: list) -> None:
    meter = np.array([m for m, _, _ in rows], dtype=object)
    time = np.array(
        [pd.Timestamp("2025-01-01T00:00Z").value + k * 900_000_000_000 for _, k, _ in rows]
    )
    raw = RawReadings(
        source="t",
        meter=meter,
        time=time,
        value=np.array([v for _, _, v in rows], dtype=float),
        missing=np.zeros(len(rows), dtype=bool),
        line=lambda position: position + 1,
    )
    small = prepare(raw, METERS, now=NOW)
    before = prepare_module._SMALL_BATCH
    prepare_module._SMALL_BATCH = 0  # every batch through pandas (no fixture: hypothesis)
    try:
        large = prepare(raw, METERS, now=NOW)
    finally:
        prepare_module._SMALL_BATCH = before
    assert small.meter.equals(large.meter)
    for name in ("time", "value", "flags"):
        np.testing.assert_array_equal(getattr(small, name), getattr(large, name))
    assert (small.duplicates, small.gaps) == (large.duplicates, large.gaps)
    for ours, theirs in zip(small.conflicts, large.conflicts, strict=True):
        np.testing.assert_array_equal(ours, theirs)
