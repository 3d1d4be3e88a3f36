"""The operation loop: due times, restarts, failures kept, a racing loop refused."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from sparcs.climate import load_weather
from sparcs.errors import DataError
from sparcs.live.cycle import Cycle
from sparcs.live.loop import run_loop
from sparcs.monitoring.ingest import load_meter_map
from sparcs.profiles.build import build_inputs
from sparcs.profiles.inputs import Inputs
from sparcs.scenario import Scenario, load_scenario
from sparcs.store import Store, ingest_files, open_store
from sparcs.store.beliefs import latest_belief, put_cycle, read_schedule

ROOT = Path(__file__).resolve().parents[2]
MEASURED = ROOT / "examples" / "measured"
NOW = pd.Timestamp("2025-04-15T12:00+01:00")
H = pd.Timedelta(hours=1)


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return load_scenario(ROOT / "examples" / "maia-solar-schools.toml")


@pytest.fixture(scope="module")
def inputs(scenario: Scenario) -> Inputs:
    return build_inputs(scenario, load_weather(scenario))


@pytest.fixture
def store(tmp_path: Path) -> Store:
    opened = open_store(tmp_path / "loop.duckdb")
    ingest_files(opened, sorted(MEASURED.glob("*.csv")), load_meter_map(MEASURED / "meters.toml"))
    return opened


def test_a_loop_runs_every_step_and_a_restart_continues(
    scenario: Scenario, inputs: Inputs, store: Store
) -> None:
    args = {"district": "maia", "horizon_h": 6.0, "forecaster": "persistence"}
    first = run_loop(scenario, store, inputs, cycles=2, start=NOW, **args)  # type: ignore[arg-type]  # typed kwargs
    assert first.kept == [NOW.tz_convert("UTC"), (NOW + H).tz_convert("UTC")]
    again = run_loop(scenario, store, inputs, cycles=1, start=NOW, **args)  # type: ignore[arg-type]  # typed kwargs
    assert again.kept == [(NOW + 2 * H).tz_convert("UTC")]
    assert latest_belief(store, "maia") == (NOW + 2 * H).tz_convert("UTC")
    assert read_schedule(store, "maia")["time"].iloc[0] == (NOW + 2 * H).tz_convert("UTC")


def test_on_the_clock_the_loop_waits_for_each_boundary(
    scenario: Scenario, inputs: Inputs, store: Store
) -> None:
    clock = [pd.Timestamp("2025-04-15T11:10Z")]
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        clock[0] += pd.Timedelta(seconds=seconds)

    outcome = run_loop(
        scenario,
        store,
        inputs,
        district="maia",
        cycles=2,
        horizon_h=3,
        clock=lambda: clock[0],
        sleep=sleep,
        forecaster="persistence",
    )
    # the step under way at 11:10 runs at once; the next waits until 12:00
    assert outcome.kept == [pd.Timestamp("2025-04-15T11:00Z"), pd.Timestamp("2025-04-15T12:00Z")]
    assert waits == [50 * 60.0]


def test_a_failed_cycle_is_kept_and_a_racing_loop_refused(
    scenario: Scenario, inputs: Inputs, store: Store
) -> None:
    seen: list[str] = []

    def race(now: pd.Timestamp, cycle: Cycle | None, status: str) -> None:
        seen.append(status)
        if cycle is not None:  # another loop keeps the next step first
            empty = pd.DataFrame({"time": pd.DatetimeIndex([], tz="UTC")})
            put_cycle(
                store,
                "maia",
                now + H,
                strategy="optimal",
                forecaster="{}",
                fallbacks=[],
                schedule=empty.assign(asset=[], kw=[]),
                forecasts=empty.assign(series=[], quantity=[], forecaster=[], value_kwh=[]),
            )

    outcome = run_loop(
        scenario,
        store,
        inputs,
        district="maia",
        cycles=2,
        start=NOW,
        horizon_h=3,
        forecaster="persistence",
        on_cycle=race,
    )
    assert outcome.refused == [(NOW + H).tz_convert("UTC")] and seen == ["kept", "refused"]
    after = pd.Timestamp("2026-01-01T00:00Z")  # past the scenario's year
    late = run_loop(
        scenario,
        store,
        inputs,
        district="late",
        cycles=2,
        start=after,
        horizon_h=3,
        forecaster="persistence",
    )
    assert not late.kept and list(late.failed) == [after, after + H]
    assert "outside the scenario's period" in late.failed[after]
    assert latest_belief(store, "late") == after + H  # kept as failed: the alert of the page
    with pytest.raises(DataError, match="forecaster 'oracle' is not known"):
        run_loop(scenario, store, inputs, district="x", cycles=1, start=NOW, forecaster="oracle")
