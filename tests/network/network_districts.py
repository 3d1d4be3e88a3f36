"""Small districts for the network, sweep and executor tests.

A year of two buildings runs in ~1 s.
"""

from __future__ import annotations

from pathlib import Path

SMALL = """
name = "{name}"
year = 2025
seed = 3

[site]
city = "{city}"

[[buildings]]
id = "flats"
use = "apartment_block"
floor_area_m2 = 2000
residents = 60
heating = "district_heating"
pv = {{ kwp = 40 }}

[[buildings]]
id = "school"
use = "school"
floor_area_m2 = 1500
heating = "air_source_hp"
"""


def write_small(folder: Path, name: str = "small", city: str = "leipzig") -> Path:
    """A two-building scenario file in ``folder``."""
    path = folder / f"{name}.toml"
    path.write_text(SMALL.format(name=name, city=city), encoding="utf-8")
    return path
