"""The Finnish Datahub CSV (Fingrid's customer portal export).

Header ``Mittauspisteen tunnus;Tuotteen tyyppi;Resoluutio;Yksikkötyyppi;Lukeman tyyppi;
Alkuaika;Määrä;Laatu``; ``;`` separator, decimal comma, UTC start times (``...Z``),
resolution ``PT15M`` or ``PT1H``, quality ``OK`` or ``MISSING`` (an empty amount). The
metering point (``Mittauspisteen tunnus``) is the meter id of the map.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pyarrow.compute as pc

from sparcs.errors import DataError
from sparcs.monitoring.ingest.meters import MeterSpec, parse_resolution
from sparcs.monitoring.ingest.raw import (
    RawReadings,
    categories,
    check_meters,
    csv_frame,
    parse_times,
    parse_values,
    plain,
)

__all__ = ["DATAHUB_COLUMNS", "read_datahub"]

DATAHUB_COLUMNS = (
    "Mittauspisteen tunnus",
    "Resoluutio",
    "Yksikkötyyppi",
    "Alkuaika",
    "Määrä",
    "Laatu",
)
_QUALITY = ("OK", "MISSING")


def read_datahub(text: str | bytes, path: str, meters: Mapping[str, MeterSpec]) -> RawReadings:
    """Read a Datahub CSV (module docstring).

    Raises
    ------
    DataError
        Missing columns, an unknown metering point, an unknown resolution or quality code.
    """
    source = f"meter data file {path}"
    table, line = csv_frame(text, path=path, delimiter=";", numbers=("Määrä",), decimal_comma=True)
    absent = [c for c in DATAHUB_COLUMNS if c not in table.column_names]
    if absent:
        msg = (
            f"{source}, line 1: not a Datahub CSV: no column {', '.join(map(repr, absent))}; "
            "export it again from the Datahub portal, or give --format csv for a generic CSV"
        )
        raise DataError(msg)

    def column(name: str) -> np.ndarray:
        trimmed = pc.utf8_trim_whitespace(plain(table.column(name)))
        return np.asarray(trimmed.to_numpy(zero_copy_only=False), dtype=object)

    meter = categories(table.column("Mittauspisteen tunnus"))
    check_meters(meter, meters, source, line, "metering point")
    quality = column("Laatu")
    bad = ~np.isin(quality, np.array(_QUALITY, dtype=object))
    if bad.any():
        position = int(np.argmax(bad))
        msg = (
            f"{source}, line {line(position)}: quality (Laatu) {quality[position]!r} is not "
            f"known; Datahub writes {' or '.join(_QUALITY)}"
        )
        raise DataError(msg)
    steps = {}
    for text_step in np.unique(column("Resoluutio")):
        try:
            steps[text_step] = parse_resolution(str(text_step)).value
        except ValueError as exc:
            msg = f"{source}: resolution (Resoluutio) {exc}"
            raise DataError(msg) from None
    step = (
        np.array([steps[s] for s in column("Resoluutio")], dtype=np.int64)
        if len(steps) > 1
        else np.full(table.num_rows, next(iter(steps.values()), 0), dtype=np.int64)
    )
    time = parse_times(
        table.column("Alkuaika"), meter, meters, source=source, line=line, column="Alkuaika"
    )
    value, missing, rejected = parse_values(table.column("Määrä"), decimal_comma=True)
    missing |= quality == "MISSING"
    value[quality == "MISSING"] = np.nan
    keep = ~rejected
    positions = np.flatnonzero(keep)
    return RawReadings(
        source=source,
        meter=meter[keep],
        time=time[keep],
        value=value[keep],
        missing=missing[keep],
        line=lambda p: line(int(positions[p])),
        rejected=int(rejected.sum()),
        unit=column("Yksikkötyyppi")[keep],
        step=step[keep],
    )
