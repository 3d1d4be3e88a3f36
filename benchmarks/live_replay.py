"""Live operation replayed against perfect foresight (figures, not a timed test).

A cycle every step over ``hours`` steps from ``start``, through a temporary store
(:func:`sparcs.live.replay.replay`); prints the replay's cost, perfect foresight's from the same
start to the same end state, the gap, the electricity bills (the rule strategy's too), the
energy cars lacked, wall and CPU time. ``--perfect`` replaces every forecast by the data that
then happened (checks that the comparison is like for like: the gap must be 0). Usage::

    PYTHONPATH=src .venv/bin/python benchmarks/live_replay.py maia 168 2025-04-10T00:00Z \
        [--horizon-h 24] [--forecaster regression] [--perfect]

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
    wall, cpu = time.perf_counter(), time.process_time()
    with tempfile.TemporaryDirectory() as tmp, open_store(Path(tmp) / "r.duckdb") as store:
        r = replay(
            scenario,
            actual,
            store,
            start=start,
            steps=args.hours,
            horizon_h=args.horizon_h,
            forecaster=args.forecaster,
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
