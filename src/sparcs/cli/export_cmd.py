"""``sparcs export``: a run's KPIs, or stored readings, as CSV, Parquet and NGSI-LD files."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape

from sparcs.cli._console import UsageError, console, say, user_errors
from sparcs.cli._inputs import check_output_folder, load_checked, scenario_file

if TYPE_CHECKING:
    from sparcs.report.ngsi import Place
    from sparcs.scenario import Scenario

__all__ = ["FORMATS", "export_command", "parse_formats"]

#: The formats of ``--format``.
FORMATS = ("csv", "parquet", "ngsi-ld")


def parse_formats(text: str) -> tuple[str, ...]:
    """The formats of a comma-separated ``--format`` value, in :data:`FORMATS` order.

    Parameters
    ----------
    text
        E.g. ``"csv,ngsi-ld"``.

    Returns
    -------
    tuple of str
        The formats asked for, each once.

    Raises
    ------
    UsageError
        An unknown or no format.
    """
    asked = {part.strip().lower() for part in text.split(",") if part.strip()}
    unknown = sorted(asked - set(FORMATS))
    if unknown or not asked:
        msg = (
            f"--format {text!r}: {', '.join(unknown) or 'nothing'} is not known; choose one or "
            f"more of {', '.join(FORMATS)}, comma-separated"
        )
        raise UsageError(msg)
    return tuple(f for f in FORMATS if f in asked)


def place_of(scenario: Scenario) -> Place:
    """City, district and location of a scenario for the NGSI-LD ids and entities."""
    from sparcs.data import get_city
    from sparcs.report.ngsi import Place

    site = scenario.site
    city = get_city(site.city) if site.city else None
    return Place(
        city=city.name if city else scenario.name,
        district=scenario.name,
        latitude=site.latitude if site.latitude is not None else (city.latitude if city else None),
        longitude=site.longitude
        if site.longitude is not None
        else (city.longitude if city else None),
        timezone=scenario.timezone,
        country=site.country or (city.country if city else None),
    )


def _export_run(path: Path, out: Path, formats: tuple[str, ...]) -> dict[str, Path]:
    from sparcs.report.exports import write_exports
    from sparcs.report.ngsi import district_entities, write_ngsi
    from sparcs.runner import run

    with console.status("simulating the district"):
        result = run(path)
    only = ["flows_hourly", "kpis", "per_building", "monthly"] if "csv" in formats else []
    only += ["flows"] if "parquet" in formats else []
    paths = (
        write_exports(out, result.flows, result.kpis, strategy=result.strategy_info, only=only)
        if only
        else {}
    )
    if "ngsi-ld" in formats:
        uses = {b.id: b.use for b in result.scenario.buildings}
        entities = district_entities(
            result.kpis,
            place_of(result.scenario),
            flows=result.flows,
            uses=uses,
            air_temperature_c=result.inputs.weather.data["temp_air"].to_numpy(dtype=float),
        )
        paths |= write_ngsi(out, entities)
    return paths


def _export_readings(
    db: str, scenario: Scenario, out: Path, formats: tuple[str, ...]
) -> dict[str, Path]:
    from sparcs.report.ngsi import readings_entities, write_ngsi
    from sparcs.store import open_store

    if "://" not in db and not Path(db).is_file():
        msg = f"--db {db}: no such database file; ingest readings first with 'sparcs ingest'"
        raise UsageError(msg)
    with open_store(db) as store:
        readings = store.readings()
        meters = store.meters()
    out.mkdir(parents=True, exist_ok=True)
    paths: dict[str, Path] = {}
    table = readings.assign(time=readings["time"].dt.strftime("%Y-%m-%dT%H:%M:%SZ"))
    if "csv" in formats:
        paths["readings_csv"] = out / "readings.csv"
        table.rename(columns={"value": "value [kWh]"}).to_csv(paths["readings_csv"], index=False)
    if "parquet" in formats:
        paths["readings"] = out / "readings.parquet"
        readings.to_parquet(paths["readings"], index=False)
    if "ngsi-ld" in formats:
        paths |= write_ngsi(out, readings_entities(readings, meters, place_of(scenario)))
    return paths


def export_command(
    scenario: Annotated[
        Path, typer.Argument(help="scenario file (TOML): ids, place and, without --db, the run")
    ],
    out: Annotated[Path, typer.Option("--out", help="output folder")] = Path("sparcs-export"),
    fmt: Annotated[
        str, typer.Option("--format", help=escape("csv, parquet and/or ngsi-ld, comma-separated"))
    ] = ",".join(FORMATS),
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help=(
                "export the readings stored in this database (DuckDB file or postgresql:// URL) "
                "instead of running the scenario"
            ),
        ),
    ] = None,
) -> None:
    """Write a run's KPIs and flows, or stored readings, as CSV, Parquet and FIWARE NGSI-LD."""
    with user_errors():
        path = scenario_file(scenario, "export")
        formats = parse_formats(fmt)
        check_output_folder(out)
        loaded = load_checked(path)
        paths: dict[str, Any]
        if db is not None:
            paths = _export_readings(db, loaded, out, formats)
        else:
            paths = _export_run(path, out, formats)
    for kind, written in paths.items():
        say(f"{kind:>18}: {written}")
