"""Capacity charges and fair storage ends on full-year examples (figures, not a timed test).

For each example: the rule strategy and the optimal strategy, without a capacity charge and
with one (the city's default, and 8 EUR/kW per month on the monthly peak). Prints battery
equivalent full cycles, peak import, capacity cost, net energy cost, storage end value and the
storage-adjusted net cost. Usage::

    PYTHONPATH=src .venv/bin/python benchmarks/capacity_charge.py [espoo-lippulaiva lviv-retrofit]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from sparcs.climate import load_weather
from sparcs.kpi import compute_kpis
from sparcs.operation.optimal import solve_optimal
from sparcs.operation.rule.simulate import simulate
from sparcs.profiles.build import build_inputs
from sparcs.scenario import load_scenario

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
KEYS = (
    "battery_cycles",
    "peak_import",
    "capacity_cost",
    "net_energy_cost",
    "storage_end_value",
    "net_energy_cost_adjusted",
)


def _tariff(s, **fields):  # noqa: ANN001, ANN003, ANN202 - script shorthand
    return s.model_copy(update={"tariff": s.tariff.model_copy(update=fields)})


def main(names: list[str]) -> None:
    """Print one row per example, tariff and strategy."""
    print("example | tariff | strategy | " + " | ".join(KEYS) + " | seconds")
    for name in names:
        base = load_scenario(EXAMPLES / f"{name}.toml")
        inputs = build_inputs(base, load_weather(base))
        tariffs = {
            "no capacity charge": _tariff(
                base, capacity_eur_per_kw_year=0.0, district_heat_capacity_eur_per_kw_year=0.0
            ),
            "city default": base,
            "8 EUR/kW/month": _tariff(base, capacity_eur_per_kw_month=8.0, capacity_period="month"),
        }
        for label, s in tariffs.items():
            for strategy in ("rule", "optimal"):
                start = time.perf_counter()
                flows = (
                    simulate(s, inputs)
                    if strategy == "rule"
                    else solve_optimal(s, inputs).raise_for_status().flows
                )
                seconds = time.perf_counter() - start
                report = compute_kpis(flows, s)
                values = " | ".join(f"{report[k].value:,.2f}" for k in KEYS)
                print(f"{name} | {label} | {strategy} | {values} | {seconds:.1f}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:] or ["espoo-lippulaiva", "lviv-retrofit"])
