"""``sparcs stock``: GeoJSON footprints or a CSV table of buildings as a scenario file.

Registered in :mod:`sparcs.cli.app`. Prints what the import did (defaults applied, geometries
repaired, features skipped) and writes the scenario with every building inline.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from sparcs.cli._console import console, say, user_errors
from sparcs.scenario import dump_scenario
from sparcs.stock import stock_scenario

__all__ = ["stock_command"]

#: Lines of repairs and skipped features printed before "... and N more".
SHOWN = 10


def stock_command(
    file: Annotated[Path, typer.Argument(help="footprints (.geojson) or a building table (.csv)")],
    city: Annotated[str, typer.Option("--city", help="embedded city, e.g. kladno (sparcs cities)")],
    out: Annotated[Path, typer.Option("--out", help="scenario file to write")] = Path(
        "scenario.toml"
    ),
) -> None:
    """Turn a building stock into a scenario: floor area, use, age and roof area per footprint."""
    with user_errors():
        scenario, report = stock_scenario(file, city)
        out.parent.mkdir(parents=True, exist_ok=True)
        dump_scenario(scenario, out)
    lines = report.lines()
    for line in lines[: 1 + len(report.defaults) + SHOWN]:
        say(line)
    if len(lines) > 1 + len(report.defaults) + SHOWN:
        say(f"... and {len(lines) - 1 - len(report.defaults) - SHOWN} more repairs or skips")
    floor = sum(b.floor_area_m2 for b in scenario.buildings)
    console.print(f"wrote {escape(str(out))}: {len(scenario.buildings)} buildings, {floor:,.0f} m2")
