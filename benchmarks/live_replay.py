"""Live operation replayed against perfect foresight (figures, not a timed test).

A cycle every step over ``hours`` steps from ``start``, through a temporary store
(:func:`sparcs.live.replay.replay`); prints the replay's cost, perfect foresight's from the same
start to the same end state, the gap, the electricity bills (the rule strategy's too), the
energy cars lacked, wall and CPU time. ``--perfect`` replaces every forecast by the data that
then happened (checks that the comparison is like for like: the gap must be 0).
``--forecaster auto`` chooses per quantity the forecaster of best skill over the 14 days
before ``start`` (a backtest, :mod:`sparcs.live.backtest`: forecasts every 6 h from the data
before each), as the loop's ``auto`` does from the forecasts it kept. Usage::

    PYTHONPATH=src .venv/bin/python benchmarks/live_replay.py maia 168 2025-04-10T00:00Z \
        [--horizon-h 24] [--forecaster auto|regression|seasonal|persistence] [--perfect]

``maia`` is examples/maia-solar-schools.toml; ``synthetic`` the 10-building district of the
``replay`` benchmark case (hourly).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

import sparcs.live.cycle as cycle_module
from sparcs.climate import load_weather
from sparcs.live.backtest import backtest_choice
from sparcs.live.replay import replay
from sparcs.profiles.build import build_inputs
from sparcs.scenario import load_scenario
from sparcs.store import open_store
from sparcs.testing import synthetic_district

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def _perfect(original):  # noqa: ANN001, ANN202 - script shorthand
    def forecasts(state, start, horizon, inputs, notes, **kw):  # noqa: ANN001, ANN003, ANN202
        result = original(state, start, horizon, inputs, notes, **kw)
        b, steps = inputs.building, slice(start, start + horizon)
        truth = {
            "electricity_demand_kwh": b["electricity_kw"],
            "pv_kwh": b["pv_kw"],
            "heat_demand_kwh": b["space_heat_kw"] + b["dhw_kw"],
        }
        for per_kind in result.values():
            for quantity, node in per_kind:
                j = inputs.building_ids.index(node)
                per_kind[(quantity, node)] = np.asarray(truth[quantity][steps, j]) * inputs.dt_h
        return result

    return forecasts


def _auto(scenario, actual, start):  # noqa: ANN001, ANN202 - script shorthand
    """Backtest every forecaster over the 14 days before ``start``; the best per quantity."""
    b, dt = actual.building, actual.dt_h
    truth = {
        "electricity_demand_kwh": b["electricity_kw"],
        "heat_demand_kwh": b["space_heat_kw"] + b["dhw_kw"],
        "pv_kwh": b["pv_kw"],
    }
    series = [(q, node) for q in truth for node in actual.building_ids]
    day = round(24 / dt)
    first = max(0, start - 42 * day)  # 28 days of history before the first origin
    values = np.column_stack([truth[q][first:start] * dt for q in truth])
    weather = actual.weather.data.reindex(actual.time[first:start], method="nearest")
    origins = range(max(7 * day, start - first - 14 * day), start - first - day + 1, day // 4)
    choice, scores = backtest_choice(
        values,
        actual.time[first:start].tz_convert(scenario.timezone),
        weather["temp_air"].to_numpy(float),
        weather["ghi"].to_numpy(float),
        series,
        list(origins),
        horizon=day,
        history_steps=28 * day,
    )
    print(scores[["quantity", "forecaster", "n", "nmae"]].round(3).to_string(index=False))
    print("chosen:", choice)
    return choice


def main() -> None:
    """Parse the arguments, replay, print one line of figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("district", choices=("maia", "synthetic"))
    parser.add_argument("hours", type=int)
    parser.add_argument("start")
    parser.add_argument("--horizon-h", type=float, default=24.0)
    parser.add_argument("--forecaster", default="persistence")
    parser.add_argument("--perfect", action="store_true")
    args = parser.parse_args()
    if args.district == "maia":
        scenario = load_scenario(EXAMPLES / "maia-solar-schools.toml")
    else:
        scenario = synthetic_district(10, city="leipzig", seed=1, timestep="1h")
    actual = build_inputs(scenario, load_weather(scenario))
    if args.perfect:
        cycle_module.horizon_forecasts = _perfect(cycle_module.horizon_forecasts)
    start = int(actual.time.searchsorted(pd.Timestamp(args.start)))
    forecaster = _auto(scenario, actual, start) if args.forecaster == "auto" else args.forecaster
    wall, cpu = time.perf_counter(), time.process_time()
    with tempfile.TemporaryDirectory() as tmp, open_store(Path(tmp) / "r.duckdb") as store:
        r = replay(
            scenario,
            actual,
            store,
            start=start,
            steps=args.hours,
            horizon_h=args.horizon_h,
            forecaster=forecaster,
        )
    print(
        f"{args.district} {args.hours} steps from {args.start}, horizon {args.horizon_h:g} h, "
        f"{'perfect forecasts' if args.perfect else args.forecaster}: "
        f"cost {r.cost_eur:.2f} perfect {r.perfect_cost_eur:.2f} gap {r.gap:.1%} | "
        f"bill {r.bill_eur:.2f} perfect {r.perfect_bill_eur:.2f} rule {r.rule_bill_eur:.2f} | "
        f"fallbacks {r.fallbacks} ev short {r.ev_short_kwh:.2f} kWh, {len(r.notes)} notes | "
        f"wall {time.perf_counter() - wall:.0f} s cpu {time.process_time() - cpu:.0f} s"
    )


if __name__ == "__main__":
    main()
