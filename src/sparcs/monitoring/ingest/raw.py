"""What every meter-file reader returns, and the shared text helpers of the CSV readers."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from sparcs.errors import DataError, TimeIndexError
from sparcs.monitoring.ingest.meters import MeterSpec
from sparcs.textfiles import MISSING_MARKERS, parse_iso_times, read_table

__all__ = ["RawReadings", "categories", "check_meters", "csv_frame", "parse_times", "parse_values"]

_NAIVE = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?$")


@dataclass
class RawReadings:
    """Readings as a file gives them, before units, duplicates and flags.

    Attributes
    ----------
    source
        ``"meter data file <path>"`` for messages.
    meter
        Meter id of each row (as in the map).
    time
        UTC period start of each row [ns since the epoch].
    value
        Value in the unit of the file or the meter; NaN where missing.
    missing
        Rows the file marks missing (an empty value, Datahub ``MISSING``).
    line
        Row position -> line of the file (for messages).
    rejected
        Rows that could not be read as a number (kept out, counted).
    unit
        Unit of each row when the file names one (else None: the meter's unit).
    step
        Resolution of each row when the file states one [ns] (Datahub ``Resoluutio``).
    """

    source: str
    meter: np.ndarray
    time: np.ndarray
    value: np.ndarray
    missing: np.ndarray
    line: Callable[[int], int]
    rejected: int = 0
    unit: np.ndarray | None = None
    step: np.ndarray | None = None


def _line_numbers(text: str) -> np.ndarray:
    """File line (1-based) of every non-empty line, the header first."""
    raw = np.frombuffer(text.encode("utf-8"), dtype=np.uint8)
    ends = np.flatnonzero(raw == 10)
    starts = np.r_[0, ends + 1]
    stops = np.r_[ends, raw.size]
    return np.flatnonzero(stops > starts) + 1


def csv_frame(
    text: str, *, path: str, delimiter: str = ","
) -> tuple[pa.Table, Callable[[int], int]]:
    """The rows of a CSV text as an Arrow table of strings, and row -> file line.

    Fast (Arrow) for well-formed files; any file Arrow refuses is read again by
    :func:`sparcs.textfiles.read_table`, which names the first bad line (field counts, a
    header with an empty or repeated name). Rows of empty fields only are dropped.
    """
    try:
        table = pacsv.read_csv(
            io.BytesIO(text.encode("utf-8")),
            parse_options=pacsv.ParseOptions(delimiter=delimiter),
            convert_options=pacsv.ConvertOptions(
                column_types=_all_strings(text, delimiter), strings_can_be_null=False
            ),
        )
        lines = _line_numbers(text)[1:]
        if len(set(table.column_names)) != table.num_columns or lines.size != table.num_rows:
            msg = "header or rows need the careful reader"
            raise pa.ArrowInvalid(msg)
    except pa.ArrowInvalid:
        parsed = read_table(path, what="meter data file", text=_with_delimiter(text, delimiter))
        table = pa.Table.from_pandas(parsed.frame(), preserve_index=False)
        lines = np.asarray(parsed.lines)
    table = table.rename_columns([name.strip() for name in table.column_names])
    blank = np.ones(table.num_rows, dtype=bool)
    for column in table.columns:
        blank &= pc.equal(pc.utf8_trim_whitespace(column), "").to_numpy(zero_copy_only=False)
    if blank.any():
        keep = ~blank
        table, lines = table.filter(pa.array(keep)), lines[keep]
    return table, lambda position: int(lines[position])


def _all_strings(text: str, delimiter: str) -> dict[str, pa.DataType]:
    first = next(csv.reader([text.split("\n", 1)[0]], delimiter=delimiter), [])
    return {name: pa.string() for name in first}


def _with_delimiter(text: str, delimiter: str) -> str:
    """``text`` with ``delimiter`` turned into commas for the csv-module reader (no quotes seen)."""
    return text if delimiter == "," else text.replace(",", ".").replace(delimiter, ",")


def parse_values(
    strings: pa.ChunkedArray, *, decimal_comma: bool = False
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Numbers of a column of strings: (values with NaN, missing mask, rejected mask)."""
    trimmed = pc.utf8_trim_whitespace(strings)
    if decimal_comma:
        trimmed = pc.replace_substring(trimmed, ",", ".")
    missing = pc.is_in(trimmed, pa.array(MISSING_MARKERS)).to_numpy(zero_copy_only=False)
    try:
        values = pc.cast(pc.if_else(pa.array(missing), None, trimmed), pa.float64())
        numbers = values.to_numpy(zero_copy_only=False).astype(float)
        rejected = np.zeros(numbers.size, dtype=bool)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        series = pd.Series(trimmed.to_numpy(zero_copy_only=False), dtype=object)
        numbers = pd.to_numeric(series.where(~missing), errors="coerce").to_numpy(dtype=float)
        rejected = np.isnan(numbers) & ~missing
    return numbers, missing, rejected


def parse_times(
    strings: pa.ChunkedArray,
    meter: np.ndarray,
    meters: Mapping[str, MeterSpec],
    *,
    source: str,
    line: Callable[[int], int],
    column: str = "time",
) -> np.ndarray:
    """UTC period starts [ns] of ISO 8601 strings; naive ones in their meter's time zone.

    A naive time is refused unless the meter has a ``timezone``; then it is local time of
    that zone, a DST fold resolved by the order of the rows (the first 03:30 is summer
    time), a time in the spring gap refused.

    Raises
    ------
    TimeIndexError
        Naming the file, the line and the fix.
    """
    encoded = pc.dictionary_encode(pc.utf8_trim_whitespace(strings)).combine_chunks()
    uniques = encoded.dictionary.to_numpy(zero_copy_only=False).astype(str)
    codes = encoded.indices.to_numpy(zero_copy_only=False)
    first = np.full(uniques.size, -1, dtype=np.int64)
    first[codes[::-1]] = np.arange(codes.size)[::-1]
    naive = np.array([bool(_NAIVE.match(u)) for u in uniques], dtype=bool)
    parsed = np.zeros(uniques.size, dtype=np.int64)
    aware = ~naive
    if aware.any():
        lines = [line(int(p)) for p in first[aware]]
        stamps = parse_iso_times(
            pd.Series(uniques[aware]), source=source, lines=lines, column=column
        )
        parsed[aware] = stamps.asi8
    out: np.ndarray = parsed[codes]
    if naive.any():
        rows = np.flatnonzero(naive[codes])
        out[rows] = _localise(uniques[codes[rows]], meter[rows], rows, meters, source, line, column)
    return out


def _localise(
    text: np.ndarray,
    meter: np.ndarray,
    rows: np.ndarray,
    meters: Mapping[str, MeterSpec],
    source: str,
    line: Callable[[int], int],
    column: str,
) -> np.ndarray:
    out = np.zeros(text.size, dtype=np.int64)
    for name in pd.unique(meter):
        at = np.flatnonzero(meter == name)
        spec = meters.get(str(name))
        zone = spec.timezone if spec is not None else None
        if zone is None:
            msg = (
                f"{source}, line {line(int(rows[at[0]]))}: {column} {str(text[at[0]])!r} has no UTC "
                f"offset and meter {name!r} has no timezone in the meter map; write times "
                "with an offset (2025-03-30T03:00+03:00 or ...Z) or add timezone = "
                "'Europe/Helsinki' (its zone) to the meter's [[meters]] table"
            )
            raise TimeIndexError(msg)
        local = pd.DatetimeIndex(pd.to_datetime(text[at], format="ISO8601"))
        try:
            utc = local.tz_localize(zone, ambiguous="infer", nonexistent="raise")
        except (ValueError, TypeError) as exc:
            msg = (
                f"{source}: meter {name!r}: local times in {zone} cannot be placed on UTC "
                f"({exc}); a time in the spring DST gap does not exist, and repeated autumn "
                "times must come in order; write times with a UTC offset instead"
            )
            raise TimeIndexError(msg) from None
        out[at] = utc.as_unit("ns").asi8
    return out


def categories(column: pa.ChunkedArray) -> pd.Categorical:
    """A column of ids (trimmed) as a Categorical: millions of rows, a few distinct ids."""
    encoded = pc.dictionary_encode(pc.utf8_trim_whitespace(column)).combine_chunks()
    names = encoded.dictionary.to_numpy(zero_copy_only=False).astype(object)
    codes = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int32)
    return pd.Categorical.from_codes(codes, categories=pd.Index(names, dtype=object))


def check_meters(
    meter: pd.Categorical,
    meters: Mapping[str, MeterSpec],
    source: str,
    line: Callable[[int], int],
    what: str = "meter",
) -> None:
    """Raise :func:`unknown_meter` for the first row whose meter the map does not know."""
    unknown = [i for i, name in enumerate(meter.categories) if name not in meters]
    if unknown:
        position = int(np.argmax(np.isin(meter.codes, unknown)))
        raise unknown_meter(source, line(position), str(meter[position]), what)


def unknown_meter(source: str, line: int, meter: str, what: str = "meter") -> DataError:
    """The error for a meter id the map does not know."""
    return DataError(
        f"{source}, line {line}: {what} {meter!r} is not in the meter map; add a "
        "[[meters]] table for it (id, node, quantity, unit) or fix the id"
    )
