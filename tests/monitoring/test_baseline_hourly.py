"""CalTRACK hourly TOWT: bins, features, occupancy, month weights, DST, recovery."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from mv_helpers import hourly_frame

from sparcs.monitoring import fit_baseline
from sparcs.monitoring.caltrack_daily import fahrenheit_to_celsius
from sparcs.monitoring.towt import (
    BIN_EDGES_C,
    OCCUPANCY_BALANCE_POINTS_C,
    fit_towt,
    month_weights,
    occupancy,
    temperature_features,
    time_of_week,
    validate_bin_edges,
)

#: CalTRACK 2.0 §3.9.2 example: T [°F] -> features with the default endpoints [°F].
CALTRACK_EXAMPLE_F = {
    20: [20, 0, 0, 0, 0, 0, 0],
    40: [30, 10, 0, 0, 0, 0, 0],
    50: [30, 15, 5, 0, 0, 0, 0],
    60: [30, 15, 10, 5, 0, 0, 0],
    70: [30, 15, 10, 10, 5, 0, 0],
    80: [30, 15, 10, 10, 10, 5, 0],
    100: [30, 15, 10, 10, 10, 15, 10],
}


def test_bin_edges_and_occupancy_balance_points_are_caltrack_converted_to_celsius() -> None:
    assert pytest.approx([-10 / 9, 65 / 9, 115 / 9, 165 / 9, 215 / 9, 290 / 9]) == BIN_EDGES_C
    assert pytest.approx((10.0, 165 / 9)) == OCCUPANCY_BALANCE_POINTS_C


def test_features_reproduce_the_caltrack_example_table() -> None:
    edges_f = (30, 45, 55, 65, 75, 90)
    for t_f, expected in CALTRACK_EXAMPLE_F.items():
        assert temperature_features(np.array([float(t_f)]), edges_f)[0].tolist() == expected
    # in °C every feature but the first is 1/1.8 of the °F one; the first differs by the offset
    t_c = fahrenheit_to_celsius(np.array(list(CALTRACK_EXAMPLE_F), dtype=float))
    got = temperature_features(t_c, BIN_EDGES_C)
    want = np.array(list(CALTRACK_EXAMPLE_F.values()), dtype=float)
    assert got[:, 1:] == pytest.approx(want[:, 1:] / 1.8)
    assert got[:, 0] == pytest.approx(fahrenheit_to_celsius(want[:, 0]))


def test_thin_bins_merge_upward_and_the_top_bin_downward() -> None:
    t = np.concatenate(
        [
            np.full(30, -5.0),
            np.full(5, 3.0),
            np.full(40, 10.0),
            np.full(40, 15.0),
            np.full(40, 20.0),
            np.full(40, 28.0),
            np.full(3, 35.0),
        ]
    )
    # the 3 hours above 32.2 °C drop the top edge; the 5 in (-1.1, 7.2] drop 7.2
    assert validate_bin_edges(t) == pytest.approx(BIN_EDGES_C[:1] + BIN_EDGES_C[2:5])
    assert validate_bin_edges(np.full(10, 5.0)) == ()
    assert temperature_features(np.array([4.0]), ()).tolist() == [[4.0]]


def test_month_weights_are_one_for_the_month_and_half_for_its_neighbours() -> None:
    w = month_weights(np.array([1, 2, 3, 12, 6]), "month")
    assert w.shape == (12, 5)
    assert w[0].tolist() == [1.0, 0.5, 0.0, 0.5, 0.0]  # January model: Dec and Feb at 0.5
    assert w[11].tolist() == [0.5, 0.0, 0.0, 1.0, 0.0]
    assert month_weights(np.array([1, 7]), "none").tolist() == [[1.0, 1.0]]


def test_time_of_week_starts_monday_midnight_local_through_a_dst_week() -> None:
    start = pd.date_range(
        "2024-03-25", "2024-04-01", freq="h", tz="Europe/Berlin", inclusive="left"
    ).tz_convert("UTC")
    tow = time_of_week(start, "Europe/Berlin")
    assert tow[0] == 0 and tow[-1] == 167
    assert set(range(168)) - set(tow) == {6 * 24 + 2}  # 02:00 on the spring Sunday never was
    spring = pd.date_range("2024-03-30T22:00Z", periods=4, freq="h")  # 23:00 CET .. 04:00 CEST
    assert time_of_week(spring, "Europe/Berlin").tolist() == [
        5 * 24 + 23,
        6 * 24,
        6 * 24 + 1,
        6 * 24 + 3,
    ]


def test_occupancy_flags_the_hours_a_degree_hour_model_under_predicts() -> None:
    frame = hourly_frame("2023-01-01", "2023-04-01")
    start = frame.index.tz_convert("UTC")
    tow = time_of_week(start, "Europe/Berlin")
    flags = occupancy(
        frame["usage"].to_numpy(), frame["temperature"].to_numpy(), tow, np.ones(len(frame))
    )
    truth = np.zeros(168, dtype=bool)
    for day in range(5):
        truth[day * 24 + 8 : day * 24 + 18] = True
    assert (flags == truth).all()


def test_towt_recovers_the_load_shape_and_in_celsius_predicts_as_in_fahrenheit() -> None:
    frame = hourly_frame()
    start = frame.index.tz_convert("UTC")
    usage, t = frame["usage"].to_numpy(), frame["temperature"].to_numpy()
    model = fit_towt(start, usage, t, timezone="Europe/Berlin")
    resid = model.predict(start, t) - usage
    assert np.sqrt(np.mean(resid**2)) < 0.6  # the noise is 0.5 kWh/h
    edges_f = (30.0, 45.0, 55.0, 65.0, 75.0, 90.0)
    in_f = fit_towt(
        start,
        usage,
        t * 1.8 + 32,
        timezone="Europe/Berlin",
        edges=edges_f,
        occupancy_balance_points_c=(50.0, 65.0),
    )
    assert in_f.predict(start, t * 1.8 + 32) == pytest.approx(model.predict(start, t), abs=1e-8)


def test_fit_baseline_hourly_in_a_dst_year_meets_ashrae_hourly_thresholds() -> None:
    frame = hourly_frame()
    baseline = fit_baseline(frame["usage"], frame["temperature"], "hourly")
    assert baseline.model_type == "towt_month"
    assert baseline.n == len(frame) == 8760
    assert baseline.cvrmse < 0.1 and abs(baseline.nmbe) < 0.01 and baseline.r2 > 0.95
    assert baseline.accepted and baseline.unit == "kWh/h"
    single = fit_baseline(frame["usage"], frame["temperature"], "hourly", segmentation="none")
    assert single.model_type == "towt" and single.model.alpha.shape == (1, 168)
    predicted = baseline.predict(frame["temperature"]["2023-10-28":"2023-10-30"])
    assert len(predicted) == 72 + 1  # the autumn change adds an hour
    assert predicted.index.tz is not None and str(predicted.index.tz) == "UTC"


def test_fifteen_minute_readings_are_summed_to_hours() -> None:
    frame = hourly_frame("2023-01-01", "2023-03-01")
    quarter = pd.Series(
        np.repeat(frame["usage"].to_numpy() / 4, 4),
        index=pd.date_range(frame.index[0], periods=4 * len(frame), freq="15min"),
    )
    a = fit_baseline(frame["usage"], frame["temperature"], "hourly", strict=False)
    b = fit_baseline(quarter, frame["temperature"], "hourly", strict=False)
    assert b.fitted["observed"].to_numpy() == pytest.approx(a.fitted["observed"].to_numpy())
