"""The citizens' domain: k-anonymity, comparisons, origin of electricity, tips, green windows
and their iCalendar feed (parsed by the independent ``icalendar`` reader)."""

from __future__ import annotations

from datetime import UTC, datetime

import icalendar
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from sparcs.citizens import K_MIN, aggregate
from sparcs.citizens.calendar import best_window, green_windows
from sparcs.citizens.calendar import icalendar as to_ics
from sparcs.citizens.comparison import compare
from sparcs.citizens.measures import apply_measure
from sparcs.citizens.origin import origin
from sparcs.citizens.tips import rank_tips
from sparcs.citizens.usage import HouseholdSeries
from sparcs.errors import DataError


def _series(demand: np.ndarray, pv: np.ndarray, start: str = "2025-03-03") -> HouseholdSeries:
    time = pd.date_range(start, periods=demand.shape[0], freq="h", tz="UTC", name="time")
    names = tuple(f"h{i}" for i in range(demand.shape[1]))
    return HouseholdSeries("d", time, names, demand, pv)


@given(st.lists(st.floats(0, 1e4), max_size=12))
def test_an_aggregate_is_never_over_fewer_than_five_households(values: list[float]) -> None:
    found = aggregate(values)
    assert found.households == len(values)
    assert found.suppressed == (len(values) < K_MIN)
    if not found.suppressed:
        assert found.median == pytest.approx(float(np.median(values)))


def test_comparison_by_hand() -> None:
    # six households, one week from Monday 3 March 2025 (UTC = Lisbon in winter)
    demand = np.tile(np.array([1.0, 2.0, 3.0, 4.0, 5.0, 6.0]), (24 * 7, 1))
    series = _series(demand, np.zeros_like(demand))
    found = compare(series, "h0", "week", timezone="Europe/Lisbon", similar={"h0", "h1", "h2"})
    assert found.mine_kwh == pytest.approx(24 * 7)
    assert found.district.median == pytest.approx(3.5 * 24 * 7)
    assert found.similar.suppressed  # three similar households: not shown
    assert [b.day for b in found.buckets] == list(range(3, 10))
    assert found.mine_by_bucket_kwh == [24.0] * 7
    assert found.district_by_bucket_kwh == [pytest.approx(3.5 * 24)] * 7


def test_origin_by_hand() -> None:
    # h0: uses 2, PV 3 -> own 2, surplus 1; h1: uses 4 -> community 1 (all of h0's surplus), grid 3
    demand = np.array([[2.0, 4.0], [2.0, 4.0]])
    pv = np.array([[3.0, 0.0], [3.0, 0.0]])
    series = _series(demand, pv)
    mine, balance = origin(series, "h1", np.ones(2, dtype=bool))
    assert (mine.own_pv_kwh, mine.community_kwh, mine.grid_kwh) == (0.0, 2.0, 6.0)
    assert balance.district_net_kwh is None  # two households: suppressed
    assert balance.net_kwh == -8.0


@settings(max_examples=30, deadline=None)
@given(
    arrays(np.float64, (6, 5), elements=st.floats(0, 5)),
    arrays(np.float64, (6, 5), elements=st.floats(0, 5)),
)
def test_origin_adds_up_to_consumption(demand: np.ndarray, pv: np.ndarray) -> None:
    series = _series(demand, pv)
    for col, name in enumerate(series.households):
        mine, balance = origin(series, name, np.ones(6, dtype=bool))
        assert mine.total_kwh == pytest.approx(demand[:, col].sum(), abs=1e-6)
        assert min(mine.own_pv_kwh, mine.community_kwh, mine.grid_kwh) >= 0
        assert mine.own_pv_kwh <= pv[:, col].sum() + 1e-9
        assert balance.district_consumption_kwh == pytest.approx(demand.sum())


def test_tips_follow_the_household_data() -> None:
    hours = pd.date_range("2025-06-01", periods=24 * 7, freq="h")
    evening = np.where((hours.hour >= 17) & (hours.hour < 21), 2.0, 0.1)
    noon_pv = np.where((hours.hour >= 10) & (hours.hour < 15), 3.0, 0.0)
    # a week: 70 kWh, 56 of them in the evenings; 101.5 kWh PV surplus at noon; 52.14 weeks a year
    tips = rank_tips(hours, evening, noon_pv, similar_median_kwh=60.0)
    assert [t.key for t in tips] == ["solar_noon", "evening", "above_similar", "standby"]
    per_year = 8760 / len(hours)
    expected = [56 * per_year, 0.3 * 56 * per_year, 10 * per_year, 0.05 * 8760]
    assert [t.kwh_per_year for t in tips] == pytest.approx(expected)
    night_owl = np.full(len(hours), 0.5)
    assert rank_tips(hours, night_owl, np.zeros(len(hours)))[0].key == "standby"
    assert rank_tips(hours, np.full(len(hours), 0.001), np.zeros(len(hours))) == []


def test_green_windows_and_a_valid_icalendar() -> None:
    hours = pd.date_range("2026-12-07 00:00", periods=8, freq="h", tz="Europe/Helsinki")
    lights = ["red", "green", "green", "green", "amber", "green", "green", "red"]
    windows = green_windows(hours, lights)
    assert [(w.start.hour, w.hours) for w in windows] == [(1, 3), (5, 2)]
    assert best_window(windows, 3) == hours[1] and best_window(windows, 4) is None
    name = "Vihreät tunnit · SPARCS, a long name that needs folding " * 2
    text = to_ics(windows, name=name, summary="Vihreää sähköä, nyt; käytä", uid_seed="centro",
                  now=datetime(2026, 12, 6, tzinfo=UTC))  # fmt: skip
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    assert "\n" not in text.replace("\r\n", "")
    calendar = icalendar.Calendar.from_ical(text)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 2
    assert events[0].decoded("dtstart") == hours[1].to_pydatetime()
    assert events[1].decoded("dtend") == hours[7].to_pydatetime()
    assert str(events[0]["summary"]) == "Vihreää sähköä, nyt; käytä"
    # folded lines come back whole (an X- property is left escaped by the reader)
    assert str(calendar["x-wr-calname"]).replace("\\,", ",") == name
    assert len({str(e["uid"]) for e in events}) == 2


def test_a_measure_names_real_buildings() -> None:
    base = {"name": "x", "buildings": [{"id": "b1", "pv": {"kwp": 10, "tilt_deg": 20}}]}
    changed = apply_measure(base, {"buildings": {"b1": {"battery": {"capacity_kwh": 50}}}})
    assert changed["buildings"][0] == {"id": "b1", "pv": {"kwp": 10, "tilt_deg": 20},
                                       "battery": {"capacity_kwh": 50}}  # fmt: skip
    assert "battery" not in base["buildings"][0]
    with pytest.raises(DataError, match=r"measure.buildings.school: no such building"):
        apply_measure(base, {"buildings": {"school": {"pv": {"kwp": 1}}}})
    with pytest.raises(DataError, match=r"measure.buildings.b1: give a table of fields"):
        apply_measure(base, {"buildings": {"b1": 3}})
    with pytest.raises(DataError, match=r"measure.buildings: give a table by building id"):
        apply_measure(base, {"buildings": [1]})
