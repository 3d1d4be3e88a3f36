"""Time ``sparcs plan examples/kladno-stock.toml --target co2:800`` (issue 19: under 30 s).

The example's 9 buildings with the command's defaults (12 typical days, optimal full-year
verification, economics per measure). Each repeat runs in a fresh process; the script prints
wall time by stage and the CPU time of the process and its children (the forked full-year
operations and their windows), then the minimum and median. The machine is shared: read the
CPU times beside the wall times.

    .venv/bin/python benchmarks/plan_speed.py --repeats 3
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def _child(target_t: float) -> None:
    sys.path.insert(0, str(HERE))
    from registry import timed_plan

    from sparcs.planning import PlanConfig, Target
    from sparcs.scenario import load_scenario

    scenario = load_scenario(ROOT / "examples" / "kladno-stock.toml")
    config = PlanConfig(targets=(Target("co2", 1000 * target_t),))
    print(json.dumps(timed_plan(scenario, config, 1000 * target_t)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--co2", type=float, default=800.0, help="target [t CO2/a]")
    args = parser.parse_args()
    rows = []
    for _ in range(args.repeats):
        done = subprocess.run(
            [sys.executable, __file__, "--child", str(args.co2)],
            capture_output=True,
            text=True,
            check=True,
        )
        row = json.loads(done.stdout.strip().splitlines()[-1])
        rows.append(row)
        print(" ".join(f"{k}={v:.2f}" for k, v in row.items()), flush=True)
    for key in ("total_s", "user_cpu_s", "sys_cpu_s"):
        values = [r[key] for r in rows]
        print(f"{key}: min {min(values):.1f}, median {statistics.median(values):.1f}")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        _child(float(sys.argv[2]))
    else:
        main()
