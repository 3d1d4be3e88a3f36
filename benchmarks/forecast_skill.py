"""Forecast skill and CPU per forecast call, on a district's simulated year (figures, no test).

A forecast is issued every step over ``hours`` hours from ``start``, from the 28 days before
it (as a cycle reads them), for a 24 h horizon, for every building's electricity demand, heat
demand and PV at once (one call per forecaster, as a cycle makes it); the weather of the
horizon is the scenario's weather year (a perfect weather forecast). Prints the nMAE per
quantity (the sum of absolute errors over the sum of what happened) and the CPU time per call
with one BLAS thread (as a cycle runs). Usage::

    PYTHONPATH=src .venv/bin/python benchmarks/forecast_skill.py maia 2025-04-10T00:00Z 168 \
        [--forecasters persistence,seasonal,regression] [--timestep 15min]

``maia`` is examples/maia-solar-schools.toml; ``synthetic`` the 10-building Leipzig district
of the ``replay`` benchmark case (``--timestep`` sets its step).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

from sparcs.climate import load_weather
from sparcs.live.forecasters import WeatherForecast, forecast
from sparcs.profiles.build import build_inputs
from sparcs.scenario import load_scenario
from sparcs.testing import synthetic_district

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def main() -> None:
    """Parse the arguments, forecast every step, print one line per forecaster."""
    parser = argparse.ArgumentParser()
    parser.add_argument("district", choices=("maia", "synthetic"))
    parser.add_argument("start")
    parser.add_argument("hours", type=int)
    parser.add_argument("--forecasters", default="persistence,seasonal,regression")
    parser.add_argument("--timestep", default="1h")
    args = parser.parse_args()
    if args.district == "maia":
        scenario = load_scenario(EXAMPLES / "maia-solar-schools.toml")
    else:
        scenario = synthetic_district(10, city="leipzig", seed=1, timestep=args.timestep)
    actual = build_inputs(scenario, load_weather(scenario))
    b, dt = actual.building, actual.dt_h
    series = {
        "electricity": b["electricity_kw"] * dt,
        "heat": (b["space_heat_kw"] + b["dhw_kw"]) * dt,
        "pv": b["pv_kw"] * dt,
    }
    data = np.column_stack(list(series.values()))
    quantity = np.repeat(list(series), len(actual.building_ids))
    weather = actual.weather.data.reindex(actual.time, method="nearest")
    temp, ghi = weather["temp_air"].to_numpy(float), weather["ghi"].to_numpy(float)
    local = actual.time.tz_convert(scenario.timezone)
    day = round(24 / dt)
    history, horizon = 28 * day, day
    start = int(actual.time.searchsorted(pd.Timestamp(args.start)))
    steps = round(args.hours / dt)
    for kind in args.forecasters.split(","):
        error = dict.fromkeys(series, 0.0)
        total = dict.fromkeys(series, 0.0)
        cpu = 0.0
        with threadpool_limits(limits=1):
            for t in range(start, start + steps):
                past, ahead = slice(t - history, t), slice(t, t + horizon)
                drivers = WeatherForecast(temp[past], ghi[past], temp[ahead], ghi[ahead])
                began = time.process_time()
                got = forecast(kind, data[past], local[past], local[ahead], drivers)  # type: ignore[arg-type]
                cpu += time.process_time() - began
                for name in series:
                    columns = quantity == name
                    error[name] += float(np.abs(got[:, columns] - data[ahead][:, columns]).sum())
                    total[name] += float(np.abs(data[ahead][:, columns]).sum())
        skill = " ".join(f"{n} nMAE {error[n] / max(total[n], 1e-9):.3f}" for n in series)
        print(
            f"{args.district} {args.timestep if args.district == 'synthetic' else '1h'} "
            f"{args.start} {steps} calls of {data.shape[1]} series, {kind}: {skill} | "
            f"CPU {cpu / steps * 1000:.1f} ms per call"
        )


if __name__ == "__main__":
    main()
