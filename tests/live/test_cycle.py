"""One operation cycle on the measured example of the Maia solar schools (examples/measured)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sparcs.climate import load_weather
from sparcs.errors import DataError
from sparcs.live.cycle import operate_cycle
from sparcs.monitoring.ingest import load_meter_map
from sparcs.operation.flows import check_balance
from sparcs.profiles.build import build_inputs
from sparcs.profiles.inputs import Inputs
from sparcs.scenario import Scenario, load_scenario
from sparcs.store import Store, ingest_files, open_store

ROOT = Path(__file__).resolve().parents[2]
MEASURED = ROOT / "examples" / "measured"
NOW = pd.Timestamp("2025-04-15T12:00+01:00")


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return load_scenario(ROOT / "examples" / "maia-solar-schools.toml")


@pytest.fixture(scope="module")
def inputs(scenario: Scenario) -> Inputs:
    return build_inputs(scenario, load_weather(scenario))


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    path = tmp_path_factory.mktemp("live") / "sparcs.duckdb"
    with open_store(path) as opened:
        meters = load_meter_map(MEASURED / "meters.toml")
        ingest_files(opened, sorted(MEASURED.glob("*.csv")), meters)
        yield opened


def test_a_cycle_schedules_the_horizon_from_measured_forecasts(
    scenario: Scenario, inputs: Inputs, store: Store
) -> None:
    cycle = operate_cycle(scenario, store, inputs, now=NOW, horizon_h=48)
    assert cycle.strategy == "optimal"
    assert len(cycle.time) == 48
    assert cycle.time[0] == NOW.tz_convert("UTC")
    assert cycle.flows is not None
    check_balance(cycle.flows)
    # persistence: every hour of the horizon repeats the measured day before now
    readings = store.readings(["school-el"], start=NOW - pd.Timedelta("1D"), end=NOW)
    day = readings["value"].to_numpy()
    np.testing.assert_allclose(
        cycle.forecast_kwh[("electricity_demand_kwh", "escola-basica")][:24], day
    )
    # the school's battery: schedule and level stay within its 100 kW and 200 kWh
    battery = cycle.schedule["escola-basica/battery"]
    assert np.all(np.abs(battery) <= 100 + 1e-6)
    soc = cycle.soc_kwh["escola-basica"]
    assert soc.min() >= -1e-6 and soc.max() <= 200 + 1e-6
    # no state meter: the level at now is the scenario's, and the cycle says so
    assert any("no battery_soc_kwh reading" in note for note in cycle.fallbacks)
    payload = cycle.as_dict("Europe/Lisbon")
    assert payload["now"] == "2025-04-15T12:00:00+01:00"
    first = payload["schedule"]["district/grid"][0]  # type: ignore[index]  # JSON-shaped dict
    assert first["time"] == "2025-04-15T12:00:00+01:00"


def test_a_measured_battery_level_is_where_the_schedule_starts(
    scenario: Scenario, inputs: Inputs, store: Store, tmp_path: Path
) -> None:
    (tmp_path / "soc.toml").write_text(
        '[[meters]]\nid = "school-soc"\nnode = "escola-basica"\n'
        'quantity = "battery_soc_kwh"\nunit = "kWh"\n',
        encoding="utf-8",
    )
    (tmp_path / "soc.csv").write_text(
        "time,meter,value\n2025-04-15T10:45Z,school-soc,150\n", encoding="utf-8"
    )
    [done] = ingest_files(store, [tmp_path / "soc.csv"], load_meter_map(tmp_path / "soc.toml"))
    assert done.error is None
    cycle = operate_cycle(scenario, store, inputs, now=NOW, horizon_h=24)
    assert not any("no battery_soc_kwh" in note for note in cycle.fallbacks)
    soc = cycle.soc_kwh["escola-basica"]
    # at 100 kW for one hour the level moves at most 100 kWh from 150
    assert 50 - 1e-6 <= soc[0] <= 200 + 1e-6
    assert soc[-1] >= 150 - 1e-6  # ends at least where it started


def test_stale_and_missing_data_are_stated(
    scenario: Scenario, inputs: Inputs, store: Store
) -> None:
    late = pd.Timestamp("2025-05-03T12:00+01:00")  # readings end on 30 April
    cycle = operate_cycle(scenario, store, inputs, now=late, horizon_h=12)
    assert any("before now; forecasts run from it over the gap" in n for n in cycle.fallbacks)
    assert len(cycle.time) == 12
    early = pd.Timestamp("2025-01-10T12:00Z")  # before any reading
    cycle = operate_cycle(scenario, store, inputs, now=early, horizon_h=6)
    assert any("no measured history" in n for n in cycle.fallbacks)


def test_now_must_be_inside_the_period_and_carry_a_zone(
    scenario: Scenario, inputs: Inputs, store: Store
) -> None:
    with pytest.raises(DataError, match="outside the scenario's period"):
        operate_cycle(scenario, store, inputs, now=pd.Timestamp("2031-01-01T00:00Z"))
    with pytest.raises(DataError, match="has no time zone"):
        operate_cycle(scenario, store, inputs, now=pd.Timestamp("2025-04-15T12:00"))
    # the period's last step leaves a horizon of one step: refused in words, not deep inside
    with pytest.raises(DataError, match="is the last step of the scenario's period"):
        operate_cycle(scenario, store, inputs, now=inputs.time[-1])
    second_last = operate_cycle(scenario, store, inputs, now=inputs.time[-2], horizon_h=6)
    assert len(second_last.time) == 2
    assert any("the horizon is cut at the end of the period" in n for n in second_last.fallbacks)


def test_cycles_are_kept_and_their_forecasts_scored(
    scenario: Scenario, inputs: Inputs, tmp_path: Path
) -> None:
    from sparcs.live.archive import choose_forecasters, forecast_quality, record_cycle
    from sparcs.store.beliefs import read_schedule

    with open_store(tmp_path / "s.duckdb") as store:
        ingest_files(
            store, sorted(MEASURED.glob("*.csv")), load_meter_map(MEASURED / "meters.toml")
        )
        beliefs = pd.date_range("2025-04-14T00:00+01:00", periods=4, freq="6h")
        series = 0
        for now in beliefs:
            cycle = operate_cycle(scenario, store, inputs, now=now, horizon_h=24)
            series = len(cycle.forecasts["persistence"])
            record_cycle(store, "maia", cycle)
        latest = read_schedule(store, "maia")
        assert latest["belief_time"].iloc[0] == beliefs[-1].tz_convert("UTC")
        assert set(latest["asset"]) >= {"district/grid", "escola-basica/battery"}
        scores = forecast_quality(
            store, scenario, "maia", beliefs[0], beliefs[-1] + pd.Timedelta("1D")
        )
        overall = scores[scores["lead_h"].isna()]
        assert set(overall["forecaster"]) == {"persistence", "seasonal", "regression"}
        # each belief forecast 24 h of every metered series; a few readings were lost
        scored = overall.loc[overall["forecaster"] == "persistence", "n"].sum()
        assert series >= 5 and 0.97 * 4 * 24 * series <= scored <= 4 * 24 * series
        assert (overall["nmae"].dropna() >= 0).all()
        assert set(scores["lead_h"].dropna()) == set(range(24))
        choice, _ = choose_forecasters(store, scenario, "maia", beliefs[-1] + pd.Timedelta("1D"))
        assert set(choice) <= {"electricity_demand_kwh", "heat_demand_kwh", "pv_kwh"}
        assert choice and set(choice.values()) <= {"persistence", "seasonal", "regression"}
        chosen = operate_cycle(
            scenario, store, inputs, now=beliefs[-1] + pd.Timedelta("1D"), forecaster=choice
        )
        assert chosen.forecaster == {q: choice[q] for q in chosen.forecaster}


def test_an_override_is_respected_by_the_next_cycle(
    scenario: Scenario, inputs: Inputs, tmp_path: Path
) -> None:
    from sparcs.store.beliefs import put_override

    with open_store(tmp_path / "o.duckdb") as store:
        ingest_files(
            store, sorted(MEASURED.glob("*.csv")), load_meter_map(MEASURED / "meters.toml")
        )
        hour = pd.Timedelta(hours=1)
        put_override(store, "maia", "escola-basica/battery", NOW, NOW + 3 * hour, 0.0)
        put_override(store, "maia", "escola-basica/battery", NOW + 5 * hour, NOW + 6 * hour, 40.0)
        # a heat pump cannot deliver electricity: held at 0
        put_override(store, "maia", "flats-norte/heat_pump", NOW, NOW + hour, -5.0)
        # far beyond the battery's 100 kW: held at them
        put_override(store, "maia", "escola-basica/battery", NOW + 8 * hour, NOW + 9 * hour, 1e4)
        put_override(store, "maia", "nowhere/battery", NOW, NOW + hour, 5.0)
        cycle = operate_cycle(scenario, store, inputs, now=NOW, horizon_h=12, district="maia")
    battery = cycle.schedule["escola-basica/battery"]
    np.testing.assert_allclose(battery[:3], 0.0, atol=1e-7)
    assert battery[5] == pytest.approx(40.0)
    assert any(
        "escola-basica/battery in manual mode at 0 kW for 3 steps" in n for n in cycle.fallbacks
    )
    assert any("beyond its limits; held at them" in n for n in cycle.fallbacks)
    assert any("nowhere/battery ignored: no such asset" in n for n in cycle.fallbacks)
    assert cycle.flows is not None
    check_balance(cycle.flows)


def test_cycles_with_an_operator_plan_as_cheaply_as_cold_ones_and_keep_overrides(
    scenario: Scenario, inputs: Inputs, tmp_path: Path
) -> None:
    from sparcs.live.cycle import Operator
    from sparcs.operation.optimal.objective import objective_value
    from sparcs.store.beliefs import put_override

    hour = pd.Timedelta(hours=1)
    with open_store(tmp_path / "w.duckdb") as store:
        ingest_files(
            store, sorted(MEASURED.glob("*.csv")), load_meter_map(MEASURED / "meters.toml")
        )
        put_override(store, "maia", "escola-basica/battery", NOW + 2 * hour, NOW + 4 * hour, 0.0)
        operator = Operator()
        for k in range(3):
            now = NOW + k * hour
            warm = operate_cycle(
                scenario, store, inputs, now=now, horizon_h=24, district="maia", operator=operator
            )
            cold = operate_cycle(scenario, store, inputs, now=now, horizon_h=24, district="maia")
            assert warm.plan is not None and cold.plan is not None and warm.flows is not None
            assert objective_value(warm.plan.problem, warm.plan.solution) == pytest.approx(
                objective_value(cold.plan.problem, cold.plan.solution), rel=1e-7
            )
            check_balance(warm.flows)
            held = warm.schedule["escola-basica/battery"][2 - k : 4 - k]
            np.testing.assert_allclose(held, 0.0, atol=1e-7)
    assert operator.model.solves == 3 and operator.model.builds == 1


def test_only_the_chosen_forecasters_give_the_same_cycle(
    scenario: Scenario, inputs: Inputs, store: Store
) -> None:
    chosen = {"electricity_demand_kwh": "seasonal", "pv_kwh": "regression"}
    every = operate_cycle(scenario, store, inputs, now=NOW, horizon_h=24, forecaster=chosen)
    few = operate_cycle(
        scenario, store, inputs, now=NOW, horizon_h=24, forecaster=chosen, every_forecaster=False
    )
    assert set(every.forecasts) == {"persistence", "seasonal", "regression"}
    assert set(few.forecasts) == {"persistence", "seasonal", "regression"}  # heat: persistence
    assert (
        few.forecaster == every.forecaster and few.forecast_kwh.keys() == every.forecast_kwh.keys()
    )
    for key, values in every.forecast_kwh.items():
        np.testing.assert_array_equal(few.forecast_kwh[key], values)
    for asset, kw in every.schedule.items():
        np.testing.assert_allclose(few.schedule[asset], kw, atol=1e-6)
    alone = operate_cycle(
        scenario,
        store,
        inputs,
        now=NOW,
        horizon_h=24,
        forecaster="seasonal",
        every_forecaster=False,
    )
    assert set(alone.forecasts) == {"seasonal"} and alone.weather == ""
