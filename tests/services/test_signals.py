"""The green-hours signal on hand-made flows: the rule, local time, windows, JSON."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import pytest
from operation_helpers import make_inputs

from sparcs.errors import DataError, ScenarioError
from sparcs.operation.flows import FLOW_NAMES, STATE_NAMES, Flows
from sparcs.services._window import local_start
from sparcs.services.signals import (
    GreenHours,
    SignalThresholds,
    green_hours,
    local_balance_kw,
)

BERLIN = "Europe/Berlin"


def district_flows(
    pv_kwh: Sequence[float],
    demand_kwh: Sequence[float],
    *,
    start: str = "2025-06-01T00:00Z",
    step: str = "1h",
) -> Flows:
    """One building whose PV and demand are given per step [kWh]; other flows zero."""
    time = pd.date_range(start, periods=len(pv_kwh), freq=step, name="time")
    data = {name: np.zeros((len(time), 2)) for name in (*FLOW_NAMES, *STATE_NAMES)}
    data["pv_kwh"][:, 0] = pv_kwh
    data["electricity_demand_kwh"][:, 0] = demand_kwh
    return Flows(
        time=time,
        dt_h=(time[1] - time[0]) / pd.Timedelta(hours=1),
        nodes=("b1", "district"),
        data=data,
        fuel=("", ""),
        floor_area_m2=np.array([100.0, 0.0]),
        residents=np.array([2.0, 0.0]),
        timezone="UTC",
    )


def test_lights_follow_the_rule_with_fixed_thresholds() -> None:
    flows = district_flows([8, 0, 0, 0, 0, 0], [3, 5, 5, 5, 5, 5])
    co2 = np.array([0.50, 0.10, 0.30, 0.60, 0.20, 0.55])
    rules = SignalThresholds(green_below_kg_per_kwh=0.25, red_above_kg_per_kwh=0.45)
    signal = green_hours(
        flows, co2, start="2025-06-01T02:00", timezone=BERLIN, hours=6, thresholds=rules
    )
    frame = signal.frame
    assert list(frame["light"]) == ["green", "green", "amber", "red", "green", "red"]
    np.testing.assert_allclose(frame["surplus_kw"], [5, -5, -5, -5, -5, -5])
    assert frame["reason"].iloc[0].startswith("local surplus 5.0 kW")  # green despite 500 g/kWh
    assert "below 250" in frame["reason"].iloc[1]
    assert "between 250 and 450" in frame["reason"].iloc[2]
    assert frame["reason"].iloc[3] == "local deficit 5.0 kW; grid CO2 600 g/kWh, above 450"
    assert signal.counts() == {"green": 3, "amber": 1, "red": 2}
    # with a 10 kW surplus threshold the 5 kW surplus no longer counts: 500 g/kWh makes it red
    strict = green_hours(
        flows,
        co2,
        start="2025-06-01T02:00",
        timezone=BERLIN,
        hours=6,
        thresholds=SignalThresholds(
            surplus_kw=10, green_below_kg_per_kwh=0.25, red_above_kg_per_kwh=0.45
        ),
    )
    assert strict.frame["light"].iloc[0] == "red"


def test_default_thresholds_are_terciles_of_the_window() -> None:
    flows = district_flows([0] * 9, [1] * 9)
    co2 = np.array([0.9, 0.1, 0.5, 0.3, 0.7, 0.2, 0.8, 0.4, 0.6])
    signal = green_hours(flows, co2, start="2025-06-01T02:00", timezone=BERLIN, hours=9)
    lights = dict(zip(co2, signal.frame["light"], strict=True))
    assert [lights[v] for v in (0.1, 0.2, 0.3)] == ["green"] * 3
    assert [lights[v] for v in (0.4, 0.5, 0.6)] == ["amber"] * 3
    assert [lights[v] for v in (0.7, 0.8, 0.9)] == ["red"] * 3
    # against the whole period's hours instead of the window's
    year = green_hours(
        flows,
        co2,
        start="2025-06-01T02:00",
        timezone=BERLIN,
        hours=3,
        thresholds=SignalThresholds(reference="year"),
    )
    assert list(year.frame["light"]) == ["red", "green", "amber"]


def test_constant_grid_co2_gives_no_co2_signal() -> None:
    flows = district_flows([0, 2, 0, 0], [1, 1, 1, 1])
    signal = green_hours(
        flows, np.full(4, 0.072), start="2025-06-01T02:00", timezone=BERLIN, hours=4
    )
    assert list(signal.frame["light"]) == ["amber", "green", "amber", "amber"]
    assert "no hourly variation" in signal.frame["reason"].iloc[0]


def test_window_is_in_local_time_across_the_spring_clock_change() -> None:
    flows = district_flows(np.arange(96.0), np.ones(96), start="2025-03-29T00:00Z")
    signal = green_hours(
        flows, np.linspace(0.2, 0.6, 96), start="2025-03-30T00:00", timezone=BERLIN, hours=24
    )
    frame = signal.frame
    assert frame.index[0] == pd.Timestamp("2025-03-29T23:00Z")
    hours = [t.hour for t in frame["local_time"]]
    assert hours[:4] == [0, 1, 3, 4]  # 02:00 does not exist that night
    assert frame["local_time"].iloc[-1] == pd.Timestamp("2025-03-31T00:00+02:00")
    np.testing.assert_allclose(frame["generation_kw"], np.arange(23.0, 47.0))


def test_window_in_autumn_has_25_local_hours() -> None:
    flows = district_flows(np.ones(72), np.ones(72), start="2025-10-25T00:00Z")
    signal = green_hours(
        flows, np.full(72, 0.3), start="2025-10-26T00:00", timezone=BERLIN, hours=25
    )
    local = pd.DatetimeIndex(signal.frame["local_time"])
    assert (local.day == 26).all() and len(local) == 25
    assert list(local.hour).count(2) == 2


def test_quarter_hours_become_hourly_means() -> None:
    pv = np.tile([0.0, 1.0, 2.0, 3.0], 48)  # kWh per quarter hour: 0, 4, 8, 12 kW
    flows = district_flows(pv, np.full(192, 0.5), step="15min")
    co2 = np.repeat(np.linspace(0.1, 0.4, 48), 4)
    signal = green_hours(flows, co2, start="2025-06-01T02:00", timezone=BERLIN, hours=24)
    np.testing.assert_allclose(signal.frame["generation_kw"], 6.0)
    np.testing.assert_allclose(signal.frame["load_kw"], 2.0)
    np.testing.assert_allclose(signal.frame["co2_kg_per_kwh"], np.linspace(0.1, 0.4, 48)[:24])


def test_persistence_repeats_the_day_before() -> None:
    pv = np.arange(96.0)
    flows = district_flows(pv, np.zeros(96))
    signal = green_hours(
        flows,
        np.linspace(0.1, 0.5, 96),
        start="2025-06-02T02:00",
        timezone=BERLIN,
        hours=48,
        forecast="persistence",
    )
    np.testing.assert_allclose(signal.frame["generation_kw"], np.tile(pv[:24], 2))
    assert signal.forecast == "persistence"
    with pytest.raises(ScenarioError, match="needs the 24 hours before"):
        green_hours(
            flows,
            np.zeros(96),
            start="2025-06-01T12:00",
            timezone=BERLIN,
            hours=4,
            forecast="persistence",
        )


def test_json_round_trip(tmp_path) -> None:
    flows = district_flows(np.arange(48.0) % 7, np.full(48, 3.0))
    signal = green_hours(
        flows,
        np.linspace(0.3, 0.1, 48),
        start="2025-06-01T02:00",
        timezone=BERLIN,
        hours=24,
        co2_source="test series",
    )
    path = tmp_path / "green.json"
    text = signal.to_json(path)
    assert path.read_text(encoding="utf-8") == text
    back = GreenHours.from_json(text)
    pd.testing.assert_frame_equal(back.frame, signal.frame, check_dtype=False, check_freq=False)
    assert (back.timezone, back.forecast, back.co2_source) == (BERLIN, "profile", "test series")
    assert back.thresholds == signal.thresholds
    assert back.green_below_kg_per_kwh == signal.green_below_kg_per_kwh


@pytest.mark.parametrize(
    ("start", "message"),
    [
        ("2026-06-01T00:00", "outside the simulated period"),
        ("2025-06-02T23:00", "outside the simulated period"),  # the window runs past the end
        ("2025-06-01T00:30+02:00", "not on the hour"),
        ("first of June", "is not a time"),
        ("2025-03-30T02:30", "does not exist"),
        ("2025-10-26T02:00", "happens twice"),
    ],
)
def test_bad_starts_are_explained(start: str, message: str) -> None:
    time = pd.date_range("2025-01-01T00:00Z", "2025-12-31T00:00Z", freq="1h")
    if "06-02T23" in start:
        time = pd.date_range("2025-06-01T00:00Z", periods=48, freq="1h")
    with pytest.raises(ScenarioError, match=message):
        local_start(start, BERLIN, time, 48)


def test_co2_must_match_the_steps() -> None:
    flows = district_flows(np.ones(24), np.ones(24))
    with pytest.raises(DataError, match="grid CO2 has shape"):
        green_hours(flows, np.ones(23), start="2025-06-01T02:00", timezone=BERLIN, hours=4)


def test_thresholds_are_validated() -> None:
    with pytest.raises(ScenarioError, match="green_quantile"):
        SignalThresholds(green_quantile=0.8, red_quantile=0.2)
    with pytest.raises(ScenarioError, match="must not exceed"):
        SignalThresholds(green_below_kg_per_kwh=0.5, red_above_kg_per_kwh=0.2)


def test_inputs_give_generation_and_load_before_simulation() -> None:
    inputs = make_inputs(
        ["a", "b"],
        4,
        building={"pv_kw": [[1.0, 2.0]] * 4, "electricity_kw": 0.5, "ev_kw": [[0.0, 1.0]] * 4},
        district={"pv_kw": 10.0},
    )
    generation, load = local_balance_kw(inputs)
    np.testing.assert_allclose(generation, 13.0)
    np.testing.assert_allclose(load, 2.0)
    signal = green_hours(
        inputs, np.full(4, 0.4), start="2025-01-01T01:00", timezone=BERLIN, hours=4
    )
    assert (signal.frame["light"] == "green").all()
