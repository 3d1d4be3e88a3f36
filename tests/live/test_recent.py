"""Readings held between cycles: the measured state is the same as read afresh, step by step."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sparcs.live.recent import RecentReadings, _Series
from sparcs.live.state import MAX_FILLED_SHARE, measured_state, measured_table
from sparcs.monitoring.ingest import MeterSpec
from sparcs.operation.flows import DISTRICT_NODE
from sparcs.scenario import Scenario
from sparcs.store import Store, ingest_text, open_store
from sparcs.testing import synthetic_district

STEP = pd.Timedelta("1h")
T0 = pd.Timestamp("2025-03-01T00:00Z")

METERS = {
    # one series from two meters: hourly, and quarter-hourly (four parts to a complete step)
    "a-el": MeterSpec(id="a-el", node="b00000", quantity="electricity_demand_kwh", unit="kWh"),
    "a-el-sub": MeterSpec(
        id="a-el-sub", node="b00000", quantity="electricity_demand_kwh", unit="kWh"
    ),
    "a-pv": MeterSpec(id="a-pv", node="b00000", quantity="pv_kwh", unit="kWh"),
    "b-heat": MeterSpec(id="b-heat", node="b00001", quantity="heat_demand_kwh", unit="kWh"),
    "b-soc": MeterSpec(id="b-soc", node="b00001", quantity="battery_soc_kwh", unit="kWh"),
    "grid": MeterSpec(id="grid", node=DISTRICT_NODE, quantity="grid_import_kwh", unit="kWh"),
    "other": MeterSpec(id="other", node="elsewhere", quantity="pv_kwh", unit="kWh"),
}


def _reference(
    store: Store, scenario: Scenario, time: pd.DatetimeIndex, now: pd.Timestamp
) -> tuple[dict[tuple[str, str], np.ndarray], list[str], pd.Timestamp | None, np.ndarray, dict]:
    """The measured state as the store-scanning version computed it (pandas, before 2026-12)."""
    table = measured_table(store, scenario, time[0], time[-1] + STEP, STEP)
    last = pd.Timestamp(table["time"].max()) if len(table) else None
    wide = table.pivot_table(index="time", columns="series", values="value_kwh", aggfunc="sum")
    wide = wide.reindex(time)
    missing = wide.isna().sum(axis=0) / len(time)
    filled = wide.interpolate(limit_direction="both")
    history, notes = {}, []
    for series in wide.columns:
        node, quantity = str(series).rsplit("/", 1)
        if missing[series] > MAX_FILLED_SHARE:
            notes.append(
                f"{node} {quantity}: {missing[series]:.0%} of the last {len(time)} steps "
                "missing; the scenario's profile stands in for its forecast"
            )
            continue
        history[(quantity, node)] = filled[series].to_numpy(dtype=float)
    grid = store.readings(["grid"], start=time[0], end=time[-1] + STEP)
    grid = grid[np.isfinite(grid["value"])]
    per_step = grid["value"].groupby(grid["time"].dt.floor(STEP)).sum().reindex(time)
    soc = store.readings(["b-soc"], start=now - pd.Timedelta(days=2), end=now + pd.Timedelta("1s"))
    soc = soc[np.isfinite(soc["value"])]
    levels = (
        {}
        if soc.empty
        else {("battery_soc_kwh", "b00001"): (float(soc["value"].iloc[-1]), soc["time"].iloc[-1])}
    )
    return history, notes, last, per_step.to_numpy(dtype=float), levels


def _rows(rng: np.random.Generator, first: int, last: int) -> str:
    """A CSV of readings of hours [first, last): gaps, missing values, a sub-hourly meter."""
    lines = ["time,meter,value"]
    for h in range(first, last):
        t = T0 + h * STEP
        for meter in ("a-el", "a-pv", "b-heat", "grid", "other"):
            if rng.random() < (0.35 if meter == "a-pv" else 0.08):
                continue  # not sent
            value = "" if rng.random() < 0.03 else f"{rng.uniform(0, 9):.3f}"
            lines.append(f"{t.isoformat()},{meter},{value}")
        for quarter in range(4):
            if rng.random() < 0.9:  # a quarter missing now and then: the hour is incomplete
                q = t + quarter * pd.Timedelta("15min")
                lines.append(f"{q.isoformat()},a-el-sub,{rng.uniform(0, 2):.3f}")
        if rng.random() < 0.5:
            lines.append(f"{t.isoformat()},b-soc,{rng.uniform(0, 50):.3f}")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("seed", [0, 1])
def test_held_readings_give_the_state_read_afresh(tmp_path: Path, seed: int) -> None:
    rng = np.random.default_rng(seed)
    scenario = synthetic_district(2, seed=1, timestep="1h")
    recent = RecentReadings()
    late_at = {5, 9}  # cycles at which readings of earlier hours arrive late
    with open_store(tmp_path / "r.duckdb") as store:
        store.put_meters(METERS.values())
        ingest_text(store, _rows(rng, 0, 24 * 10), METERS, source="first days")
        for k in range(14):
            now = T0 + (24 * 10 + k * 3) * STEP
            # what the meters sent since the last cycle, and at times old readings
            ingest_text(
                store, _rows(rng, 24 * 10 + (k - 1) * 3, 24 * 10 + k * 3), METERS, source=f"c{k}"
            )
            if k in late_at:
                text = _rows(rng, 24 * 7, 24 * 7 + 30).replace("a-el,", "a-el-sub,")
                ingest_text(store, text, METERS, source=f"late {k}")
            time = pd.date_range(now - pd.Timedelta(days=7), periods=24 * 7, freq=STEP)
            history, notes, last, grid, levels = _reference(store, scenario, time, now)
            for state in (
                measured_state(store, scenario, time, now, recent),  # held across cycles
                measured_state(store, scenario, time, now),  # read afresh
            ):
                assert state.history.keys() == history.keys()
                for key, values in history.items():
                    np.testing.assert_allclose(state.history[key], values, rtol=1e-12)
                assert list(state.notes) == notes
                assert state.last_reading == last
                assert state.grid_import_kw is not None
                np.testing.assert_allclose(state.grid_import_kw, grid, rtol=1e-12)
                assert state.levels == levels
        assert notes  # the sparse PV meter was left out at least once


def test_a_reused_meter_code_forgets_the_deleted_meters_readings(tmp_path: Path) -> None:
    scenario = synthetic_district(2, seed=1, timestep="1h")
    rng = np.random.default_rng(3)
    recent = RecentReadings()
    time = pd.date_range(T0 + pd.Timedelta(days=1), periods=24, freq=STEP)
    now = time[-1] + STEP
    with open_store(tmp_path / "r.duckdb") as store:
        store.put_meters(METERS.values())
        ingest_text(store, _rows(rng, 0, 48), METERS, source="day")
        before = measured_state(store, scenario, time, now, recent)
        assert ("pv_kwh", "b00000") in before.history or before.notes
        code = int(store.meters().set_index("id").loc["other", "code"])
        store.backend.execute("DELETE FROM readings WHERE meter = ?", (code,))
        store.backend.execute("DELETE FROM meters WHERE id = 'other'")
        new = {"new": MeterSpec(id="new", node="b00001", quantity="pv_kwh", unit="kWh")}
        store.put_meters(new.values())
        assert int(store.meters().set_index("id").loc["new", "code"]) == code  # given again
        ingest_text(store, f"time,meter,value\n{time[0].isoformat()},new,1.0\n", new, source="n")
        held = measured_state(store, scenario, time, now, recent)
        fresh = measured_state(store, scenario, time, now)
        assert held.notes == fresh.notes and held.history.keys() == fresh.history.keys()


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.tuples(st.just("add"), st.lists(st.integers(0, 400), min_size=1, max_size=40)),
            st.tuples(st.just("drop"), st.integers(0, 400)),
        ),
        min_size=1,
        max_size=60,
    )
)
def test_a_meters_held_readings_are_what_sorting_everything_again_gives(
    steps: list[tuple[str, list[int] | int]],
) -> None:
    held: _Series | None = None
    times = np.zeros(0, dtype=np.int64)
    values = np.zeros(0)
    tag = 0.0
    for _, arg in steps:
        if isinstance(arg, list):  # readings come
            new_t = np.sort(np.asarray(arg, dtype=np.int64))  # a batch comes sorted by time
            new_v = tag + np.arange(new_t.size)  # every reading told apart by its value
            tag += new_t.size
            times, values = np.concatenate((times, new_t)), np.concatenate((values, new_v))
            order = np.argsort(times, kind="stable")  # equal times: in the order they came
            times, values = times[order], values[order]
            if held is None:
                held = _Series(new_t, new_v)
            else:
                held.add(new_t, new_v)
        elif held is not None:  # the period moves on to ``arg``
            keep = times >= arg
            times, values = times[keep], values[keep]
            held.drop_before(arg)
        if held is not None:
            np.testing.assert_array_equal(held.times, times)
            np.testing.assert_array_equal(held.values, values)
            assert not held.times.flags.writeable and not held.values.flags.writeable
