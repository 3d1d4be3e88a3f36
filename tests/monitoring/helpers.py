"""Small meter maps and files for the ingest tests."""

from __future__ import annotations

from pathlib import Path

MAP = """
[[meters]]
id = "m1"
node = "b1"
quantity = "grid_import_kwh"
unit = "kWh"

[[meters]]
id = "pv"
node = "district"
quantity = "pv_kwh"
unit = "Wh"
resolution = "PT15M"

[[meters]]
id = "hel"
node = "b1"
quantity = "electricity_demand_kwh"
unit = "kWh"
timezone = "Europe/Helsinki"

[[meters]]
id = "power"
node = "b1"
quantity = "hp_el_kwh"
unit = "kW"
resolution = "PT15M"

[[meters]]
id = "register"
node = "b1"
quantity = "dh_import_kwh"
unit = "MWh"
resolution = "PT1H"
cumulative = true

[[meters]]
id = "643006966022791278"
node = "b1"
quantity = "grid_export_kwh"
unit = "kWh"
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def meter_map(folder: Path) -> Path:
    return write(folder, "meters.toml", MAP)
