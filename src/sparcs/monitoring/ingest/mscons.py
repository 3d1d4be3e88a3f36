"""A minimal MSCONS reader: the load-profile subset (EDI@Energy, EDIFACT D:04B).

Read: ``UNA`` (separators, decimal mark, release character), ``LOC+172+<metering point>``
(the meter id of the map), ``QTY+220:<value>[:<unit>]`` (a true value; other qualifiers such
as 67, a substitute value, are counted as rejected) followed by ``DTM+163:<start>:303`` and
``DTM+164:<end>:303`` (format 303 = CCYYMMDDHHMM plus the UTC offset in hours, ``?+01``).
Everything else (UNB, BGM, NAD, PIA, ...) is skipped.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from sparcs.errors import DataError
from sparcs.monitoring.ingest.meters import MeterSpec
from sparcs.monitoring.ingest.raw import RawReadings, unknown_meter

__all__ = ["read_mscons"]

_UNITS = {"KWH": "kWh", "WH": "Wh", "MWH": "MWh", "KWT": "kW", "KW": "kW", "MAW": "MW", "W": "W"}


def _segments(text: str) -> tuple[list[list[list[str]]], str, list[int]]:
    """Segments as elements of components, the decimal mark, and the line of each segment."""
    component, element, decimal, release, terminator = ":", "+", ".", "?", "'"
    body = text
    if text.startswith("UNA"):
        component, element, decimal, release, terminator = (
            text[3],
            text[4],
            text[5],
            text[6],
            text[8],
        )
        body = text[9:]
    segments: list[list[list[str]]] = []
    lines: list[int] = []
    elements: list[list[str]] = []
    parts: list[str] = []
    field: list[str] = []
    line = text[:9].count("\n") + 1 if text.startswith("UNA") else 1
    start_line = line
    escaped = False
    for char in body:
        if char == "\n":
            line += 1
        if escaped:
            field.append(char)
            escaped = False
        elif char == release:
            escaped = True
        elif char == component:
            parts.append("".join(field))
            field = []
        elif char == element:
            parts.append("".join(field))
            elements.append(parts)
            parts, field = [], []
        elif char == terminator:
            parts.append("".join(field))
            elements.append(parts)
            segments.append(elements)
            lines.append(start_line)
            elements, parts, field = [], [], []
            start_line = line
        elif char not in "\r\n":
            field.append(char)
    return segments, decimal, lines


def _time(value: str, source: str, line: int) -> int:
    if len(value) < 15 or value[12] not in "+-":
        msg = (
            f"{source}, segment at line {line}: DTM value {value!r} is not format 303 "
            "(CCYYMMDDHHMM with a UTC offset such as ?+01)"
        )
        raise DataError(msg)
    stamp = pd.Timestamp(
        f"{value[:4]}-{value[4:6]}-{value[6:8]}T{value[8:10]}:{value[10:12]}"
        f"{value[12]}{value[13:15]}:00"
    )
    return int(stamp.tz_convert("UTC").as_unit("ns").value)


def read_mscons(text: str, path: str, meters: Mapping[str, MeterSpec]) -> RawReadings:
    """Read the load-profile values of an MSCONS file (module docstring)."""
    source = f"meter data file {path}"
    segments, decimal, lines = _segments(text.strip())
    meter = ""
    pending: tuple[str, str, int] | None = None
    rows: list[tuple[str, int, float, str, int]] = []
    rejected = 0
    for segment, line in zip(segments, lines, strict=True):
        tag = segment[0][0].strip()
        if tag == "LOC" and len(segment) > 2 and segment[1][0] == "172":
            meter = segment[2][0]
            if meter not in meters:
                raise unknown_meter(source, line, meter, "metering point (LOC+172)")
        elif tag == "QTY" and len(segment) > 1:
            qualifier, *rest = segment[1]
            if qualifier != "220":
                rejected += 1
                pending = None
                continue
            pending = (
                rest[0] if rest else "",
                _UNITS.get(rest[1].upper(), rest[1]) if len(rest) > 1 else "",
                line,
            )
        elif tag == "DTM" and len(segment) > 1 and segment[1][0] == "163" and pending is not None:
            if not meter:
                msg = f"{source}, line {line}: a value before any LOC+172 segment names its meter"
                raise DataError(msg)
            amount, unit, at = pending
            try:
                number = float(amount.replace(decimal, "."))
            except ValueError:
                rejected += 1
                pending = None
                continue
            rows.append((meter, _time(segment[1][1], source, line), number, unit, at))
            pending = None
    if not rows:
        msg = (
            f"{source}: no load-profile values (QTY+220 with DTM+163) found; is it an MSCONS "
            "load-profile file? Give --format for another format"
        )
        raise DataError(msg)
    meter_ids, times, values, units, at_lines = zip(*rows, strict=True)
    unit_array = np.array(units, dtype=object)
    return RawReadings(
        source=source,
        meter=np.array(meter_ids, dtype=object),
        time=np.array(times, dtype=np.int64),
        value=np.array(values, dtype=float),
        missing=np.zeros(len(rows), dtype=bool),
        line=lambda p: int(at_lines[p]),
        rejected=rejected,
        unit=unit_array if any(units) else None,
    )
