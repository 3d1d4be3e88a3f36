"""The files of a settlement, written all or nothing into one folder.

``settlement.json``
    Totals per member and the community export (the ``--json`` shape) with the key, the
    period and where the readings and prices come from.
``members.csv``
    Energy (and money) per member over the whole period.
``statements.csv``
    The same per member and local calendar month.
``statements/index.html``, ``statements/<YYYY-MM>/<member>.html``
    A printable statement per member and month in the member's language.

Everything is written into a temporary folder next to the destination and moved into place
once complete, so a failure leaves the destination as it was.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path

import pandas as pd

from sparcs.community.prices import Prices
from sparcs.community.settle import Settlement
from sparcs.community.statements import ENERGY_COLUMNS, MONEY_COLUMNS

__all__ = ["SETTLEMENT_FILES", "member_totals", "write_settlement"]

#: The files and folders :func:`write_settlement` writes.
SETTLEMENT_FILES = ("settlement.json", "members.csv", "statements.csv", "statements")


def member_totals(table: pd.DataFrame) -> pd.DataFrame:
    """Whole-period figures per member from a statement table.

    Parameters
    ----------
    table
        :func:`sparcs.community.statement_table` output.

    Returns
    -------
    pandas.DataFrame
        One row per member (reading order), the energy [kWh] and money [EUR] columns summed.
    """
    columns = [c for c in (*ENERGY_COLUMNS, *MONEY_COLUMNS) if c in table]
    members = list(dict.fromkeys(table["member"]))
    return table.groupby("member", sort=False)[columns].sum().loc[members].reset_index()


def _summary(settlement: Settlement, prices: Prices | None) -> dict[str, object]:
    readings = settlement.readings
    return {
        **settlement.totals(),
        "key": settlement.key,
        "rounds": settlement.rounds,
        "intervals": len(readings.time),
        "interval_min": readings.step_min,
        "first_interval": readings.time[0].isoformat(),
        "last_interval": readings.time[-1].isoformat(),
        "readings": readings.source,
        "community_file": settlement.community.source,
        "prices": prices.source if prices is not None else None,
    }


def _move_into(staging: Path, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for entry in staging.iterdir():
        target = out / entry.name
        if target.is_dir() and not target.is_symlink():
            shutil.rmtree(target)
        os.replace(entry, target)


def write_settlement(
    out: str | Path,
    settlement: Settlement,
    table: pd.DataFrame,
    prices: Prices | None = None,
    *,
    languages: Mapping[str, str] | None = None,
    default_language: str = "en",
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, Path]:
    """Write a settlement's files into ``out``, all or nothing.

    Parameters
    ----------
    out
        Destination folder; files of an earlier settlement there are replaced.
    settlement
        The settlement.
    table
        Its statement table (:func:`sparcs.community.statement_table`).
    prices
        The prices of ``table``, for the statements; None when it holds energy only.
    languages
        Member -> statement language; others get ``default_language``.
    default_language
        Language of the statements of members not in ``languages``.
    progress
        Called with (statements written, statements in all) as they are written.

    Returns
    -------
    dict of str to Path
        Kind -> path of what was written: ``json``, ``members``, ``statements_csv``,
        ``statements``.
    """
    from sparcs.report.statement import write_statement_pages

    out = Path(out)
    parent = out.parent if out.parent != Path() else Path.cwd()
    parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=parent))
    try:
        (staging / "settlement.json").write_text(
            json.dumps(_summary(settlement, prices), indent=2, allow_nan=False), encoding="utf-8"
        )
        member_totals(table).to_csv(staging / "members.csv", index=False, float_format="%.6f")
        table.to_csv(staging / "statements.csv", index=False, float_format="%.6f")
        write_statement_pages(
            staging / "statements",
            settlement,
            table,
            prices,
            languages=languages or {},
            default_language=default_language,
            progress=progress,
        )
        _move_into(staging, out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return {
        "json": out / "settlement.json",
        "members": out / "members.csv",
        "statements_csv": out / "statements.csv",
        "statements": out / "statements" / "index.html",
    }
