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
from sparcs.textfiles import MISSING_MARKERS, parse_iso_times, read_table, read_text

__all__ = [
    "RawReadings",
    "categories",
    "check_meters",
    "csv_frame",
    "parse_times",
    "parse_values",
    "plain",
]

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
    meter: np.ndarray | pd.Categorical
    time: np.ndarray
    value: np.ndarray
    missing: np.ndarray
    line: Callable[[int], int]
    rejected: int = 0
    unit: np.ndarray | None = None
    step: np.ndarray | None = None


def _line_numbers(data: bytes) -> np.ndarray:
    """File line (1-based) of every non-empty line, the header first (CR LF and LF ends)."""
    raw = np.frombuffer(data, dtype=np.uint8)
    ends = np.flatnonzero(raw == 10)
    starts = np.r_[0, ends + 1]
    stops = np.r_[ends, raw.size]
    length = stops - starts
    lone_cr = (length == 1) & (raw[np.minimum(starts, max(raw.size - 1, 0))] == 13)
    return np.flatnonzero((length > 0) & ~lone_cr) + 1


def _row_lines(data: bytes, rows: int) -> Callable[[int], int] | None:
    """Row -> file line when every line of ``data`` is the header or one row; else None.

    Counting the line ends is cheap; the line of each row is only worked out
    (:func:`_line_numbers`) when the file has blank lines.
    """
    lines = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
    if lines == rows + 1:
        return lambda position: position + 2
    numbers = _line_numbers(data)[1:]
    if numbers.size != rows:
        return None
    return lambda position: int(numbers[position])


def csv_frame(
    data: str | bytes,
    *,
    path: str,
    delimiter: str = ",",
    numbers: tuple[str, ...] = (),
    decimal_comma: bool = False,
) -> tuple[pa.Table, Callable[[int], int]]:
    """The rows of a CSV file as an Arrow table, and row -> file line.

    Parameters
    ----------
    data
        The file's bytes (UTF-8, a BOM and CR LF allowed) or its text.
    path
        The file, for messages and for the careful re-read.
    delimiter
        The field separator.
    numbers
        Columns read as float64 by Arrow (an empty field or a missing marker is null);
        when one of them holds a word the whole file is read as strings instead, and
        :func:`parse_values` counts the word as rejected.
    decimal_comma
        The numbers write ``1,5`` for 1.5.

    Returns
    -------
    tuple
        The table (strings; float64 for ``numbers``) and row position -> file line.

    Fast (Arrow, no Python per row) for well-formed files; any file Arrow refuses is read
    again by :func:`sparcs.textfiles.read_table`, which names the first bad line (field
    counts, a header with an empty or repeated name, bytes that are not UTF-8). Rows of empty
    fields only are dropped.
    """
    raw = data.encode("utf-8") if isinstance(data, str) else data
    header = _header(raw, delimiter)
    table = None
    for typed in (numbers, ()) if numbers else ((),):
        try:
            table = _arrow_csv(raw, header, delimiter, typed, decimal_comma)
            break
        except pa.ArrowInvalid:
            continue
    line = None if table is None else _row_lines(raw, table.num_rows)
    if table is None or line is None or len(set(table.column_names)) != table.num_columns:
        text = read_text(path, what="meter data file") if isinstance(data, bytes) else data
        parsed = read_table(path, what="meter data file", text=_with_delimiter(text, delimiter))
        table = pa.Table.from_pandas(parsed.frame(), preserve_index=False)
        lines = np.asarray(parsed.lines)
        line = lambda position: int(lines[position])  # noqa: E731
    table = table.rename_columns([name.strip() for name in table.column_names])
    table, blank = _blank_rows(table)
    if blank.size:
        keep = np.ones(table.num_rows, dtype=bool)
        keep[blank] = False
        kept = np.flatnonzero(keep)
        table, by_row = table.filter(pa.array(keep)), line
        line = lambda position: by_row(int(kept[position]))  # noqa: E731
    return table, line


def _header(data: bytes, delimiter: str) -> list[str]:
    end = data.find(b"\n")
    first = data[: end if end >= 0 else len(data)].decode("utf-8-sig", errors="replace")
    return next(csv.reader([first.rstrip("\r")], delimiter=delimiter), [])


def _arrow_csv(
    data: bytes,
    header: list[str],
    delimiter: str,
    numbers: tuple[str, ...],
    decimal_comma: bool,
) -> pa.Table:
    types = {name: pa.float64() if name.strip() in numbers else pa.string() for name in header}
    return pacsv.read_csv(
        io.BytesIO(data),
        parse_options=pacsv.ParseOptions(delimiter=delimiter),
        convert_options=pacsv.ConvertOptions(
            column_types=types,
            strings_can_be_null=False,
            null_values=list(MISSING_MARKERS),
            decimal_point="," if decimal_comma else ".",
        ),
    )


def _empty(column: pa.ChunkedArray | pa.Array) -> np.ndarray:
    """Which fields of a column are empty (blank text, or null in a number column)."""
    if pa.types.is_floating(column.type):
        return np.asarray(column.is_null().to_numpy(zero_copy_only=False), dtype=bool)
    if pa.types.is_dictionary(column.type):
        if isinstance(column, pa.ChunkedArray):
            column = column.combine_chunks()
        blank = _empty(column.dictionary)
        by_row: np.ndarray = blank[column.indices.to_numpy(zero_copy_only=False)]
        return by_row
    return np.asarray(
        pc.equal(pc.utf8_trim_whitespace(column), "").to_numpy(zero_copy_only=False), dtype=bool
    )


def _blank_rows(table: pa.Table) -> tuple[pa.Table, np.ndarray]:
    """The table with its first column dictionary-encoded, and the rows of empty fields only.

    The first column is checked in full through its distinct values (a time or meter column:
    few of them), the others only in the rows where it is empty; the readers go on with the
    encoded column (:func:`_encoded`).
    """
    if table.num_columns == 0 or table.num_rows == 0:
        return table, np.array([], dtype=np.int64)
    first = table.column(0)
    if pa.types.is_string(first.type):
        first = pc.dictionary_encode(first).combine_chunks()
        table = table.set_column(0, table.field(0).name, first)
    rows = np.flatnonzero(_empty(first))
    for column in table.columns[1:]:
        if not rows.size:
            break
        rows = rows[_empty(column.take(pa.array(rows)))]
    return table, rows


def _with_delimiter(text: str, delimiter: str) -> str:
    """``text`` with ``delimiter`` turned into commas for the csv-module reader (no quotes seen)."""
    return text if delimiter == "," else text.replace(",", ".").replace(delimiter, ",")


def parse_values(
    strings: pa.ChunkedArray, *, decimal_comma: bool = False
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Numbers of a column: (values with NaN, missing mask, rejected mask).

    A float64 column (Arrow parsed it, :func:`csv_frame` ``numbers``) is taken as it is, its
    nulls missing; a column of strings is trimmed and converted, a word rejected.
    """
    if pa.types.is_floating(strings.type):
        numbers = np.asarray(strings.to_numpy(zero_copy_only=False), dtype=float)
        missing = np.asarray(strings.is_null().to_numpy(zero_copy_only=False), dtype=bool)
        return numbers, missing, np.zeros(numbers.size, dtype=bool)
    trimmed = pc.utf8_trim_whitespace(plain(strings))
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
    meter: np.ndarray | pd.Categorical,
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
    uniques, codes = _encoded(strings)
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
        of_rows = np.asarray(meter[rows], dtype=object)
        out[rows] = _localise(uniques[codes[rows]], of_rows, rows, meters, source, line, column)
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
                f"{source}, line {line(int(rows[at[0]]))}: {column} {str(text[at[0]])!r} has "
                f"no UTC offset and meter {name!r} has no timezone in the meter map; write times "
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


def plain(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """A column of strings as strings (the first column comes dictionary-encoded)."""
    if pa.types.is_dictionary(column.type):
        return pc.cast(column, pa.string())
    return column


def _encoded(column: pa.ChunkedArray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct trimmed strings of a column and the code of each row into them.

    The column is dictionary-encoded as it is and only its distinct values are trimmed
    (millions of rows, thousands of distinct times or a few meter ids).
    """
    encoded = (
        column if pa.types.is_dictionary(column.type) else pc.dictionary_encode(column)
    ).combine_chunks()
    codes = encoded.indices.to_numpy(zero_copy_only=False)
    trimmed = pc.utf8_trim_whitespace(encoded.dictionary).to_numpy(zero_copy_only=False)
    # a value of dropped rows (a blank row's "") stays in the dictionary: not a value here
    used = np.bincount(codes, minlength=len(trimmed)) > 0
    values = np.asarray(trimmed, dtype=object)
    values[~used] = None
    inner, uniques = pd.factorize(values)
    return np.asarray(uniques, dtype=str), inner[codes]


def categories(column: pa.ChunkedArray) -> pd.Categorical:
    """A column of ids (trimmed) as a Categorical: millions of rows, a few distinct ids."""
    names, codes = _encoded(column)
    return pd.Categorical.from_codes(
        codes.astype(np.int32), categories=pd.Index(names.astype(object), dtype=object)
    )


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
