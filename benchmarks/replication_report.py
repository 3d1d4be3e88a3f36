"""Replication of one lighthouse district to the five fellow cities: reports and timing.

Figures, not a timed test. Runs ``sparcs replicate --plan`` on the lighthouse scenario (the
screening in each fellow city and, where the district is not PED there, the planner with the
PED target), prints wall and CPU time with the load average, and writes the reports that
``docs/replication/`` ships: ``replication.csv`` and one page per city. Usage::

    PYTHONPATH=src .venv/bin/python benchmarks/replication_report.py \\
        [--scenario examples/leipzig-baumwollspinnerei.toml] [--out docs/replication] \\
        [--executor local|processes|dask] [--workers 2]
"""

from __future__ import annotations

import argparse
import math
import os
import resource
import time
from functools import partial
from pathlib import Path

from sparcs.network.replicate import ReplicationRecord, replicate_district, replication_table
from sparcs.scale import map_points, parse_executor

ROOT = Path(__file__).resolve().parents[1]
FELLOW_CITIES = ("reykjavik", "maia", "lviv", "kifissia", "kladno")


def _cpu() -> float:
    own, children = (
        resource.getrusage(w) for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _number(value: float, unit: str) -> str:
    return "n/a" if not math.isfinite(value) else f"{value:,.0f} {unit}"


def city_page(record: ReplicationRecord, scenario: str, command: str) -> str:
    """One city's replication report, as Markdown."""
    lines = [
        f"# {record.district} in {record.city}",
        "",
        f"Lighthouse scenario `{scenario}` ({record.origin}) moved to {record.city}: the same "
        "buildings, measures and assets; the city's synthetic climate, national factor set "
        f"(`{record.factor_set}`), default tariff and time zone. Made by `{command}`.",
        "",
        "## Screening (rule simulation, one year)",
        "",
        "| figure | value |",
        "|---|---|",
        f"| PED class | {record.ped_class} |",
        f"| primary-energy balance | {_number(record.peb, 'kWh_PE/a')} "
        f"({record.peb_per_m2:,.1f} kWh_PE/m2) |",
        f"| net emissions | {_number(record.co2_net, 'kg CO2-eq/a')} |",
        f"| net energy cost | {_number(record.net_energy_cost, 'EUR/a')} |",
        f"| PV installed, its yield here | {_number(record.pv_kwp, 'kWp')}, "
        f"{_number(record.pv_yield, 'kWh/kWp/a')} |",
        f"| PV to close the gap (upper bound), roof room left | "
        f"{_number(record.extra_pv_kwp, 'kWp')}, {_number(record.roof_room_kwp, 'kWp')} |",
        "",
        f"Screening: {record.advice}.",
        "",
        "## Adjustments (the planner with the PED target)",
        "",
    ]
    a = record.adjustment
    if a is None:
        lines.append("Not needed: the district is PED here as it is.")
    elif a.status == "planned":
        lines += [
            f"The least-cost plan that makes the district PED here: {a.message}.",
            "",
            "| figure | value |",
            "|---|---|",
            f"| investment | {_number(a.capex_eur, 'EUR')} |",
            f"| total annual cost, change | {a.annual_cost_change_eur:+,.0f} EUR/a |",
            f"| primary-energy balance after | {_number(a.peb_after, 'kWh_PE/a')} "
            f"({a.peb_after / record.floor_area_m2:,.1f} kWh_PE/m2) |",
            "",
            "Sized on 12 typical days and checked by the rule simulation over the full year "
            "(`sparcs plan --target ped` gives the full plan with its economics).",
        ]
    elif a.status == "failed":
        lines += [
            "The planner did not finish here; its message:",
            "",
            f"> {a.message}",
            "",
            "The screening above stands; run `sparcs plan --target ped` on the replicated "
            "scenario to look into it.",
        ]
    else:
        lines += [
            "No on-site plan reaches PED here. The planner's explanation:",
            "",
            f"> {a.message}",
            "",
            "What is left is a virtual or functional plant (a share of an off-site PV or wind "
            "park, `boundary.virtual_assets`), or a smaller district boundary.",
        ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default="examples/leipzig-baumwollspinnerei.toml")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "replication")
    parser.add_argument("--executor", default="local")
    parser.add_argument("--workers", type=int, default=None)
    args = parser.parse_args()
    spec = parse_executor(args.executor, args.workers)
    path = ROOT / args.scenario
    print(f"{args.scenario} -> {', '.join(FELLOW_CITIES)} on {spec.kind}, load {os.getloadavg()}")
    wall, cpu = time.perf_counter(), _cpu()
    records: dict[int, ReplicationRecord] = {}
    task = partial(replicate_district, adjust=True)
    points = [(path, city) for city in FELLOW_CITIES]
    for outcome in map_points(task, points, list(FELLOW_CITIES), spec):
        assert outcome.value is not None, outcome.error
        records[outcome.index] = outcome.value
        print(f"  {outcome.label}: {outcome.value.ped_class}, {time.perf_counter() - wall:.0f} s")
    wall, cpu = time.perf_counter() - wall, _cpu() - cpu
    print(
        f"5 cities screened and planned: wall {wall:.1f} s, CPU {cpu:.1f} s (under 300 s: "
        f"{'yes' if wall < 300 else 'no'}), load {os.getloadavg()}"
    )
    ordered = [records[i] for i in sorted(records)]
    args.out.mkdir(parents=True, exist_ok=True)
    replication_table(ordered).to_csv(args.out / "replication.csv", index=False)
    command = f"sparcs replicate {args.scenario} --plan"
    for record, city in zip(ordered, FELLOW_CITIES, strict=True):
        page = city_page(record, args.scenario, command)
        (args.out / f"{city}.md").write_text(page, encoding="utf-8")
    print(f"wrote {args.out}/replication.csv and {len(ordered)} city pages")


if __name__ == "__main__":
    main()
