"""``sparcs baseline``: fit a CalTRACK baseline on metered usage and report avoided energy.

Registered in :mod:`sparcs.cli.app`; the work is in :mod:`sparcs.cli.baseline_report`,
imported when the command runs.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape

from sparcs.cli._console import UsageError, console, say, user_errors
from sparcs.cli._inputs import check_output_file, parse_choice, parse_time_option
from sparcs.errors import ScenarioError
from sparcs.timeseries import to_zoneinfo

if TYPE_CHECKING:
    from sparcs.monitoring.baseline import Carrier, Method

__all__ = ["baseline_command"]

# spelled out, not read from sparcs.monitoring.baseline: `sparcs --help` must not import it
METHODS: tuple[Method, ...] = ("daily", "billing", "hourly")
CARRIERS: tuple[Carrier, ...] = ("electricity", "heat", "fuel")


def _input_file(path: Path, option: str) -> None:
    if not path.is_file():
        kind = "a folder" if path.is_dir() else "missing"
        msg = f"{option} {path} is {kind}; give a CSV file with columns time and one value"
        raise UsageError(msg)


def baseline_command(
    usage: Annotated[
        Path,
        typer.Argument(
            help=escape(
                "CSV of metered usage: time (ISO 8601 with offset) and one value column "
                "[kWh per reading]"
            )
        ),
    ],
    temperature: Annotated[
        Path,
        typer.Option(
            "--temperature",
            help=escape("CSV of outdoor temperature: time and one value column [°C]"),
        ),
    ],
    baseline_from: Annotated[
        str,
        typer.Option("--baseline-from", help="first day of the baseline period, e.g. 2023-01-01"),
    ],
    baseline_to: Annotated[
        str, typer.Option("--baseline-to", help="last day of the baseline period (included)")
    ],
    reporting_from: Annotated[
        str, typer.Option("--reporting-from", help="first day of the reporting period")
    ],
    reporting_to: Annotated[
        str, typer.Option("--reporting-to", help="last day of the reporting period (included)")
    ],
    method: Annotated[
        str,
        typer.Option(
            help="daily (CalTRACK change-point), billing (the same on billing periods: "
            "usage per read date, WLS) or hourly (TOWT)"
        ),
    ] = "daily",
    timezone: Annotated[
        str,
        typer.Option(
            "--timezone",
            help="IANA zone of the site: local days, hours of the week, dates of the options",
        ),
    ] = "UTC",
    carrier: Annotated[
        str, typer.Option(help="electricity (zeros are missing), heat or fuel (no cooling terms)")
    ] = "electricity",
    json_file: Annotated[
        Path | None, typer.Option("--json", help="write the results as JSON")
    ] = None,
) -> None:
    """Fit a CalTRACK 2.0 baseline on metered usage; report avoided energy and its uncertainty."""
    with user_errors():
        chosen_method = parse_choice(method, METHODS, "--method")
        chosen_carrier = parse_choice(carrier, CARRIERS, "--carrier")
        _input_file(usage, "USAGE")
        _input_file(temperature, "--temperature")
        dates = [
            parse_time_option(text, option) or text
            for text, option in (
                (baseline_from, "--baseline-from"),
                (baseline_to, "--baseline-to"),
                (reporting_from, "--reporting-from"),
                (reporting_to, "--reporting-to"),
            )
        ]
        try:
            to_zoneinfo(timezone)
        except ScenarioError:
            msg = f"--timezone {timezone!r} is not an IANA time zone, e.g. Europe/Berlin"
            raise UsageError(msg) from None
        check_output_file(json_file, "--json")
        from sparcs.cli.baseline_report import baseline_tables, run_baseline, write_json

        with console.status("fitting the baseline"):
            result = run_baseline(
                usage,
                temperature,
                baseline=(dates[0], dates[1]),
                reporting=(dates[2], dates[3]),
                method=chosen_method,
                timezone=timezone,
                carrier=chosen_carrier,
            )
        for table in baseline_tables(result):
            console.print(table)
        if json_file is not None:
            write_json(result, json_file)
            say(f"json: {json_file}")
