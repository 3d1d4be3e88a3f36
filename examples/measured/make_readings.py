"""Rebuild the measured-data example: meter readings of the Maia solar schools district.

Run from the repository root::

    python examples/measured/make_readings.py

It simulates ``examples/maia-solar-schools.toml`` (rule-based, the scenario's own weather),
takes March and April 2025 and writes what a district's meters would have recorded:

* ``district.csv`` (wide, UTC ``Z`` times): the grid connection, import and export [kWh];
* ``buildings.csv`` (wide, *local* times of Europe/Lisbon without an offset): each
  building's electricity and heat meter and the sports hall's gas meter [kWh]; the spring
  DST day (2025-03-30) has 23 hours, as a local logger writes it;
* ``pv.csv`` (wide, UTC): each PV inverter's mean power over the hour [kW];
* ``meters.toml``: the meter map.

What makes them real rather than simulated: 2 % multiplicative noise on every reading; from
1 April the flats' electricity use is 25 % higher (a change of use the plan does not know;
the grid import carries it); a 6-hour outage of the flats' heat meter and three lost single
readings (empty values); a spike on the school's electricity meter. The random generator
is seeded, so the files are the same on every run.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
SCENARIO = HERE.parent / "maia-solar-schools.toml"
ZONE = "Europe/Lisbon"
START, END = "2025-03-01", "2025-05-01"  # local, end excluded

#: meter id, file, node, quantity, unit, column
METERS = (
    ("PT0002000100000000001", "district", "district", "grid_import_kwh", "kWh", "grid import"),
    ("PT0002000100000000002", "district", "district", "grid_export_kwh", "kWh", "grid export"),
    ("school-el", "buildings", "escola-basica", "electricity_demand_kwh", "kWh", None),
    ("school-heat", "buildings", "escola-basica", "heat_demand_kwh", "kWh", None),
    ("flats-el", "buildings", "flats-norte", "electricity_demand_kwh", "kWh", None),
    ("flats-heat", "buildings", "flats-norte", "heat_demand_kwh", "kWh", None),
    ("hall-heat", "buildings", "pavilhao", "heat_demand_kwh", "kWh", None),
    ("hall-gas", "buildings", "pavilhao", "boiler_fuel_kwh", "kWh", None),
    ("school-pv", "pv", "escola-basica", "pv_kwh", "kW", None),
    ("flats-pv", "pv", "flats-norte", "pv_kwh", "kW", None),
    ("hall-pv", "pv", "pavilhao", "pv_kwh", "kW", None),
)


def _fmt(values: np.ndarray) -> list[str]:
    return ["" if np.isnan(v) else f"{v:.3f}" for v in values]


def main() -> None:
    """Simulate the scenario and write the readings and the meter map next to this file."""
    sys.path.insert(0, str(HERE.parents[1] / "src"))
    import sparcs

    flows = sparcs.run(SCENARIO).flows
    local = flows.time.tz_convert(ZONE)
    rows = np.flatnonzero((local >= pd.Timestamp(START, tz=ZONE)) & (local < pd.Timestamp(END, tz=ZONE)))
    time = flows.time[rows]
    rng = np.random.default_rng(2025)
    column = {node: j for j, node in enumerate(flows.nodes)}
    values: dict[str, np.ndarray] = {}
    for meter, _, node, quantity, _, _ in METERS:
        values[meter] = flows[quantity][rows, column[node]].astype(float)
    april = time.tz_convert(ZONE) >= pd.Timestamp("2025-04-01", tz=ZONE)
    extra = np.where(april, 0.25 * values["flats-el"], 0.0)
    values["flats-el"] = values["flats-el"] + extra
    values["PT0002000100000000001"] = values["PT0002000100000000001"] + extra
    for meter in values:
        values[meter] = values[meter] * (1 + 0.02 * rng.standard_normal(len(time)))
    values["flats-heat"][300:306] = np.nan  # a 6-hour outage
    for meter, at in (("school-el", 700), ("hall-gas", 1000), ("PT0002000100000000002", 1200)):
        values[meter][at] = np.nan
    values["school-el"][900] *= 8  # a spike
    stamps = {"district": time.strftime("%Y-%m-%dT%H:%M:%SZ"),
              "pv": time.strftime("%Y-%m-%dT%H:%M:%SZ"),
              "buildings": time.tz_convert(ZONE).strftime("%Y-%m-%dT%H:%M:%S")}
    for file in ("district", "buildings", "pv"):
        frame = pd.DataFrame({"time": stamps[file]})
        for meter, where, _, _, _, name in METERS:
            if where == file:
                frame[name or meter] = _fmt(values[meter])
        frame.to_csv(HERE / f"{file}.csv", index=False, lineterminator="\n")
    lines = ["# Meter map of the measured-data example (examples/measured/README.md).",
             "# Written by make_readings.py.", ""]
    for meter, file, node, quantity, unit, name in METERS:
        lines += ["[[meters]]", f'id = "{meter}"', f'node = "{node}"', f'quantity = "{quantity}"',
                  f'unit = "{unit}"', 'resolution = "PT1H"']
        if file == "buildings":
            lines.append(f'timezone = "{ZONE}"')
        if name:
            lines.append(f'column = "{name}"')
        lines.append("")
    (HERE / "meters.toml").write_text("\n".join(lines), encoding="utf-8")


if __name__ == "__main__":
    main()
