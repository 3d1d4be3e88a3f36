"""The receding LP with and without steady EV lanes and clock-aligned blocks, interleaved.

The machine's speed moves by 10-20 % from one minute to the next, so two replays run one
after the other cannot show a difference of a few percent. This benchmark keeps four
operators in one process and solves each window with all four in turn (the same data, the
same moment): ``base`` (lanes as the window has them, blocks from the window's start),
``steady`` (``Operator.steady_lanes``), ``align`` (``blocks(..., phase=)``) and ``both``
(what ``sparcs operate`` does). It prints per solve: wall time of the receding solve
(assembling, pushing, HiGHS), HiGHS's own time, simplex iterations and LP rebuilds.
Forecasts are the actual profiles (no store): the LP work alone. Usage::

    PYTHONPATH=src .venv/bin/python benchmarks/receding_ab.py [--windows 300] [--start ISO]
"""

from __future__ import annotations

import argparse
import time
from dataclasses import replace

import pandas as pd

from sparcs.climate import load_weather
from sparcs.live.dispatch import Operator
from sparcs.operation.optimal import SolverOptions
from sparcs.operation.optimal.adapter import OptimalSettings, scenario_problem
from sparcs.operation.optimal.blocking import FINE_H, blocked, blocks, clock_phase
from sparcs.profiles.build import build_inputs
from sparcs.profiles.inputs import slice_inputs
from sparcs.testing import synthetic_district

VARIANTS = {
    "base": (False, False),
    "steady": (True, False),
    "align": (False, True),
    "both": (True, True),
}


def main() -> None:
    """Solve the windows with every variant in turn and print the means."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--windows", type=int, default=300)
    parser.add_argument("--start", default="2025-07-01T00:00Z")
    args = parser.parse_args()
    scenario = synthetic_district(10, city="leipzig", seed=1, timestep="15min")
    inputs = build_inputs(scenario, load_weather(scenario))
    first = int(inputs.time.searchsorted(pd.Timestamp(args.start)))
    settings = OptimalSettings(terminal="initial")
    operators = {name: Operator(SolverOptions(threads=1)) for name in VARIANTS}
    totals = {name: [0.0, 0.0, 0, 0] for name in VARIANTS}
    for k in range(args.windows):
        window = slice_inputs(inputs, first + k, first + k + 96)
        problem = scenario_problem(scenario, window, settings).problem
        phase = clock_phase(window.time[0], window.dt_h)
        for name, (steady, align) in VARIANTS.items():
            operator, p = operators[name], problem
            if steady and p.ev is not None:
                p = replace(p, ev=operator.steady_lanes(p.ev, p.n_units))
            sizes = blocks(p, FINE_H, phase=phase if align else 0)
            p = p if sizes is None else blocked(p, sizes)
            start = time.perf_counter()
            result = operator.model.solve(p, shift=1)
            total = totals[name]
            total[0] += time.perf_counter() - start
            total[1] += result.timings["highs_s"]
            total[2] += result.iterations
            total[3] += int(result.timings["rebuilt"])
    n = args.windows
    print(f"{n} windows of 24 h from {args.start}, 10 buildings, fine {FINE_H:g} h")
    for name, (solve_s, highs_s, iterations, rebuilds) in totals.items():
        print(
            f"{name:7s} solve {solve_s / n * 1e3:.2f} ms  HiGHS {highs_s / n * 1e3:.2f} ms  "
            f"iterations {iterations / n:.0f}  rebuilds {rebuilds}"
        )


if __name__ == "__main__":
    main()
