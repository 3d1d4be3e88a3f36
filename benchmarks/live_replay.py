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
``replay`` benchmark case (hourly; ``--step 15min`` for quarter hours).

A year of 15-min cycles (issue 18: 35,040 cycles in under 15 min)::

    PYTHONPATH=src .venv/bin/python benchmarks/live_replay.py synthetic 0 2025-01-01T00:00Z \
        --step 15min --year [--horizon-h 24]

``--year`` replays every step of the scenario's year but its last, whose cycle would plan
a horizon of one step (35,039 cycles at 15 min; ``hours`` is ignored; the first 28 days run
without a full history, the last day's horizons are cut at the year's end) and skips
perfect foresight (one LP of 35,040 steps); ``--cycles N`` replays N cycles from
``start`` instead. Every ``--every`` cycles a line gives the cycles done, wall and CPU per
cycle so far and the load average; the last line gives the totals. The temporary store is
opened with ``durable=False`` (:func:`sparcs.store.open_store`: a commit is not forced to the
disk, ~3 ms a cycle here); ``--durable`` forces each, as a live store does.
"""

from __future__ import annotations

import argparse
import os
import resource
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

import sparcs.live.cycle as cycle_module
from sparcs.climate import load_weather
from sparcs.live.backtest import choice_before
from sparcs.live.meter_feed import measured_series
from sparcs.live.replay import replay
from sparcs.operation.optimal.blocking import FINE_H
from sparcs.profiles.build import build_inputs
from sparcs.scenario import load_scenario
from sparcs.store import open_store
from sparcs.testing import synthetic_district

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def _perfect(original):  # noqa: ANN001, ANN202 - script shorthand
    def forecasts(state, start, horizon, inputs, notes, **kw):  # noqa: ANN001, ANN003, ANN202
        result = original(state, start, horizon, inputs, notes, **kw)
        steps, truth = slice(start, start + horizon), measured_series(inputs)
        for per_kind in result.values():
            for quantity, node in per_kind:
                j = inputs.building_ids.index(node)
                per_kind[(quantity, node)] = np.asarray(truth[quantity][steps, j]) * inputs.dt_h
        return result

    return forecasts


def _auto(scenario, actual, start):  # noqa: ANN001, ANN202 - script shorthand
    """Backtest every forecaster over the 14 days before ``start``; the best per quantity."""
    choice, scores = choice_before(actual, start, scenario.timezone)
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
    parser.add_argument("--step", default="1h", help="step of the synthetic district")
    parser.add_argument("--year", action="store_true", help="every step of the year")
    parser.add_argument("--cycles", type=int, help="cycles to replay (instead of hours)")
    parser.add_argument("--every", type=int, default=1000, help="progress line every N")
    parser.add_argument(
        "--fine-h", type=float, default=FINE_H, help="hours at the step, then 1-h blocks; 0: none"
    )
    parser.add_argument(
        "--durable",
        action="store_true",
        help="force every commit to the disk, as a live store does (default: not, the "
        "temporary store outlives nothing)",
    )
    args = parser.parse_args()
    if args.district == "maia":
        scenario = load_scenario(EXAMPLES / "maia-solar-schools.toml")
    else:
        scenario = synthetic_district(10, city="leipzig", seed=1, timestep=args.step)
    actual = build_inputs(scenario, load_weather(scenario))
    if args.perfect:
        cycle_module.horizon_forecasts = _perfect(cycle_module.horizon_forecasts)
    start = int(actual.time.searchsorted(pd.Timestamp(args.start)))
    steps = args.cycles if args.cycles else round(args.hours / actual.dt_h)
    if args.year:
        start, steps = 0, len(actual.time) - 1
    forecaster = _auto(scenario, actual, start) if args.forecaster == "auto" else args.forecaster
    wall, cpu = time.perf_counter(), time.process_time()
    load = os.getloadavg()[0]

    def progress(done: int, total: int) -> None:
        if done % args.every == 0 and done < total:
            w, c = time.perf_counter() - wall, time.process_time() - cpu
            print(
                f"{done} cycles: wall {w / done * 1000:.1f} ms cpu {c / done * 1000:.1f} ms "
                f"per cycle, load {os.getloadavg()[0]:.1f}",
                flush=True,
            )

    with (
        tempfile.TemporaryDirectory() as tmp,
        open_store(Path(tmp) / "r.duckdb", durable=args.durable) as store,
    ):
        r = replay(
            scenario,
            actual,
            store,
            start=start,
            steps=steps,
            horizon_h=args.horizon_h,
            forecaster=forecaster,
            on_step=progress,
            compare=not args.year,
            fine_h=args.fine_h or None,
        )
    w, c = time.perf_counter() - wall, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{args.district} ({actual.dt_h * 60:g} min) {steps} cycles from "
        f"{actual.time[start].isoformat()}, horizon {args.horizon_h:g} h, "
        f"{'perfect forecasts' if args.perfect else args.forecaster}, "
        f"fine {args.fine_h:g} h, {'durable' if args.durable else 'scratch'} store: "
        f"cost {r.cost_eur:.2f} perfect {r.perfect_cost_eur:.2f} gap {r.gap:.1%} | "
        f"bill {r.bill_eur:.2f} perfect {r.perfect_bill_eur:.2f} rule {r.rule_bill_eur:.2f} | "
        f"fallbacks {r.fallbacks} ev short {r.ev_short_kwh:.2f} kWh, {len(r.notes)} notes | "
        f"wall {w:.0f} s cpu {c:.0f} s, per cycle wall {w / steps * 1000:.1f} ms "
        f"cpu {c / steps * 1000:.1f} ms | load {load:.1f} -> {os.getloadavg()[0]:.1f}, "
        f"peak {peak:.0f} MB"
    )


if __name__ == "__main__":
    main()
