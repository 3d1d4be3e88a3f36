"""``sparcs community settle``: who got how much of an energy community's own production.

Reads meter readings (``--readings``) or a simulated district (``--run``), allocates every
interval by the chosen key, prints a table or the ``--json`` totals, and with ``--out``
writes statements (:mod:`sparcs.report.statement_files`). Registered in
:mod:`sparcs.cli.app`.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table

from sparcs.cli._console import UsageError, console, err_console, user_errors
from sparcs.cli._inputs import check_output_folder, load_checked, scenario_file
from sparcs.community import KEYS
from sparcs.i18n import LANGUAGES

if TYPE_CHECKING:
    import pandas as pd

    from sparcs.community import Readings

__all__ = ["community_app", "settle_command"]

community_app = typer.Typer(
    name="community",
    help="Energy communities: settle the community's own production over its members.",
    no_args_is_help=True,
)


def _existing(path: Path | None, option: str, kind: str = "file") -> None:
    if path is None:
        return
    ok = path.is_dir() if kind == "folder" else path.is_file()
    if not ok:
        what = "does not exist" if not path.exists() else f"is not a {kind}"
        msg = f"{option} {path} {what}; check the name and the folder"
        raise UsageError(msg)


def _check_options(
    readings: Path | None,
    run: Path | None,
    key: str,
    lang: str,
    paths: dict[str, Path | None],
) -> None:
    if (readings is None) == (run is None):
        msg = "give either --readings FILE.csv or --run DIR (a 'sparcs run' output folder)"
        raise UsageError(msg)
    if key not in KEYS:
        msg = f"--key {key!r} is not known; choose {', '.join(KEYS)}"
        raise UsageError(msg)
    if lang not in LANGUAGES:
        msg = f"--lang {lang!r} is not a statement language; choose {', '.join(LANGUAGES)}"
        raise UsageError(msg)
    _existing(readings, "--readings")
    _existing(run, "--run", "folder")
    for option, path in paths.items():
        _existing(path, option)


def _load(readings: Path | None, run: Path | None) -> Readings:
    from sparcs.community import read_readings
    from sparcs.community.from_run import read_run

    if readings is not None:
        return read_readings(readings)
    if run is None:  # the command checks that one of the two is given
        msg = "give --readings FILE.csv or --run DIR"
        raise UsageError(msg)
    return read_run(run)


def _table(totals: pd.DataFrame, export_kwh: float, key: str) -> Table:
    table = Table(title=f"community settlement, key {key}", title_justify="left")
    for column in (
        "member",
        "consumption [kWh]",
        "allocated [kWh]",
        "grid import [kWh]",
        "covered [%]",
    ):
        table.add_column(escape(column), justify="left" if column == "member" else "right")
    for row in totals.to_dict("records"):
        used, got = float(row["consumption_kwh"]), float(row["allocated_kwh"])
        table.add_row(
            escape(str(row["member"])),
            f"{used:,.1f}",
            f"{got:,.1f}",
            f"{float(row['grid_import_kwh']):,.1f}",
            f"{100 * got / used if used > 0 else 0.0:.1f}",
        )
    table.caption = f"community export {export_kwh:,.1f} kWh"
    return table


@community_app.command("settle")
def settle_command(
    key: Annotated[str, typer.Option("--key", help=f"allocation key: {', '.join(KEYS)}")],
    readings: Annotated[
        Path | None,
        typer.Option(
            "--readings",
            help="CSV: time (ISO 8601 with offset), member, consumption_kwh, production_kwh",
        ),
    ] = None,
    run: Annotated[
        Path | None,
        typer.Option("--run", help="a 'sparcs run' output folder: its buildings are the members"),
    ] = None,
    shares: Annotated[
        Path | None,
        typer.Option("--shares", help="community file (TOML): [shares], priority, [buildings.*]"),
    ] = None,
    prices: Annotated[
        Path | None,
        typer.Option("--prices", help="prices file (TOML): community and grid prices [EUR/kWh]"),
    ] = None,
    scenario: Annotated[
        Path | None,
        typer.Option(
            "--scenario", help="scenario whose tariff gives the grid prices --prices leaves out"
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="folder for settlement.json, CSV and HTML statements"),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="print the totals per member as JSON (stdout)")
    ] = False,
    lang: Annotated[
        str,
        typer.Option(
            "--lang",
            help=f"statement language where [languages] names none: {', '.join(LANGUAGES)}",
        ),
    ] = "en",
    ngsi_ld: Annotated[
        Path | None,
        typer.Option(
            "--ngsi-ld",
            help="folder for the community and its members as NGSI-LD entities (JSON-LD)",
        ),
    ] = None,
    city: Annotated[
        str, typer.Option("--city", help="city of the community in the NGSI-LD ids")
    ] = "local",
) -> None:
    """Allocate every interval's community production over the members; write statements."""
    from sparcs.community import read_community_file, settle
    from sparcs.community.prices import read_prices
    from sparcs.community.statements import statement_table
    from sparcs.report.statement_files import member_totals, write_settlement

    talk = err_console if as_json else console
    with user_errors():
        _check_options(readings, run, key, lang, {"--shares": shares, "--prices": prices})
        if scenario is not None:
            scenario = scenario_file(scenario, "community settle")
        if out is not None:
            check_output_folder(out)
        loaded = _load(readings, run)
        community = read_community_file(shares) if shares is not None else None
        settlement = settle(loaded, key, community)
        priced = None
        if prices is not None or scenario is not None:
            district = load_checked(scenario) if scenario is not None else None
            priced = read_prices(prices, loaded.time, district)
        table = statement_table(settlement, priced)
        if out is not None:
            with talk.status("writing statements") as status:
                paths = write_settlement(
                    out,
                    settlement,
                    table,
                    priced,
                    languages=settlement.community.languages,
                    default_language=lang,
                    progress=lambda done, total: status.update(
                        f"writing statements: {done:,} of {total:,}"
                    ),
                )
        if ngsi_ld is not None:
            from sparcs.report.ngsi import write_ngsi
            from sparcs.report.ngsi_community import community_entities

            ngsi_paths = write_ngsi(ngsi_ld, community_entities(settlement, city=city))
            paths = {**(paths if out is not None else {}), **ngsi_paths}
    totals = settlement.totals()
    if as_json:
        sys.stdout.write(json.dumps(totals) + "\n")
    else:
        console.print(
            _table(
                member_totals(table), round(float(settlement.community_export_kwh.sum()), 6), key
            )
        )
    if out is not None or ngsi_ld is not None:
        for kind, path in paths.items():
            talk.print(f"{kind:>15}: {escape(str(path))}", highlight=False)
