"""Structure checks shared by every reader of delimited text files (CSV, EPW, NSRDB).

One behaviour for every file a user gives SPARCS:

* accepted alike everywhere: a UTF-8 byte-order mark, CRLF or LF line ends, blank rows and
  rows of empty fields only (``,,,``), e.g. left by a spreadsheet at the end of a file;
* refused with the first offending line: a row with more or fewer fields than the header,
  a header with an empty or repeated column name, a file that is not UTF-8;
* timestamps: only ISO 8601 with a UTC offset (:data:`ISO_FORMS`); ``1.6.2025 17:00`` or
  ``06/01/2025`` are refused, never guessed (day-first or month-first?).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from sparcs.errors import DataError, TimeIndexError

__all__ = [
    "ISO_FORMS",
    "MISSING_MARKERS",
    "Table",
    "parse_iso_times",
    "read_table",
    "read_text",
]

#: Accepted timestamp forms, quoted in every refusal.
ISO_FORMS = (
    "2025-06-01T17:00+02:00, 2025-06-01 17:00:00+02:00, 2025-06-01T15:00Z or "
    "20250601T1500Z (ISO 8601 with a UTC offset)"
)
_ISO = re.compile(
    r"^(?:\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?"
    r"|\d{8}T\d{4}(?:\d{2})?)"
    r"\s*(?:Z|[+-]\d{2}(?::?\d{2})?)$"
)
#: Field values read as missing (pandas' default markers).
MISSING_MARKERS = (
    "",
    "NA",
    "N/A",
    "n/a",
    "NaN",
    "nan",
    "-NaN",
    "-nan",
    "NULL",
    "null",
    "None",
    "#N/A",
    "<NA>",
)
_NAIVE_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")


def read_text(path: str | Path, *, what: str, error: type[DataError] = DataError) -> str:
    """The text of ``path`` (UTF-8, with or without a BOM; line ends normalised to ``\\n``).

    Raises
    ------
    DataError
        (or ``error``) when the file is missing, a folder, unreadable or not UTF-8.
    """
    file = Path(path)
    try:
        raw = file.read_bytes()
    except FileNotFoundError:
        msg = f"{what} {file} does not exist"
        raise error(msg) from None
    except IsADirectoryError:
        msg = f"{what} {file} is a folder, not a file"
        raise error(msg) from None
    except OSError as exc:
        msg = f"{what} {file} cannot be read ({exc.strerror or exc})"
        raise error(msg) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        msg = (
            f"{what} {file}, line {line}: not UTF-8 text (byte {raw[exc.start]:#04x}); save "
            "the file as UTF-8"
        )
        raise error(msg) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _empty(fields: Sequence[str]) -> bool:
    return all(not field.strip() for field in fields)


class Table:
    """Header and rows of a delimited text file, with their 1-based line numbers."""

    def __init__(
        self,
        header: list[str],
        rows: list[list[str]],
        lines: list[int],
        source: str,
        header_line: int,
    ) -> None:
        self.header = header
        self.rows = rows
        self.lines = lines
        self.source = source
        self.header_line = header_line

    def frame(self, *, missing: bool = False) -> pd.DataFrame:
        """The rows as strings, columns named by the header, index 0..n-1.

        ``missing=True`` turns empty fields and the usual missing-value markers
        (:data:`MISSING_MARKERS`) into NaN.
        """
        frame = pd.DataFrame(self.rows, columns=self.header, dtype=str)
        if missing:
            frame = frame.mask(frame.isin(MISSING_MARKERS))
        return frame

    def line(self, position: int) -> int:
        """File line of data row ``position`` (0-based)."""
        return self.lines[position]


def read_table(
    path: str | Path,
    *,
    what: str,
    error: type[DataError] = DataError,
    skip: int = 0,
    comment: str | None = None,
    text: str | None = None,
) -> Table:
    """Read a delimited file whose header is the first line after ``skip`` lines (and comments).

    Blank rows and rows of empty fields are dropped; every other row must have as many
    fields as the header, else the first offending line is named.

    Raises
    ------
    DataError
        (or ``error``) for a missing, non-UTF-8 or empty file, a bad header or a bad row.
    """
    source = f"{what} {path}"
    text = read_text(path, what=what, error=error) if text is None else text
    header: list[str] | None = None
    header_line = 0
    rows: list[list[str]] = []
    lines: list[int] = []
    reader = csv.reader(io.StringIO(text))
    try:
        for fields in reader:
            number = reader.line_num
            if number <= skip or (comment and fields and fields[0].lstrip().startswith(comment)):
                continue
            if _empty(fields):
                continue
            if header is None:
                header, header_line = [f.strip() for f in fields], number
                _check_header(header, source, number, error)
                continue
            if len(fields) != len(header):
                msg = (
                    f"{source}, line {number}: {len(fields)} field(s) but the header (line "
                    f"{header_line}) has {len(header)}; every row needs one value per column "
                    "(a missing or extra comma shifts the columns)"
                )
                raise error(msg)
            rows.append([f.strip() for f in fields])
            lines.append(number)
    except csv.Error as exc:
        msg = f"{source}, line {reader.line_num}: not a readable CSV row ({exc})"
        raise error(msg) from None
    if header is None:
        msg = f"{source} is empty; it needs a header row and data rows"
        raise error(msg)
    return Table(header, rows, lines, source, header_line)


def _check_header(header: list[str], source: str, line: int, error: type[DataError]) -> None:
    empty = [i + 1 for i, name in enumerate(header) if not name]
    if empty:
        msg = (
            f"{source}, line {line}: column {empty[0]} of the header has no name; name every column"
        )
        raise error(msg)
    seen: set[str] = set()
    for name in header:
        if name in seen:
            msg = f"{source}, line {line}: column {name!r} appears twice in the header; keep one"
            raise error(msg)
        seen.add(name)


def parse_iso_times(
    text: pd.Series,
    *,
    source: str,
    lines: Sequence[int] | None = None,
    column: str = "time",
) -> pd.DatetimeIndex:
    """Parse timestamps that must be ISO 8601 with a UTC offset, to a UTC index named ``time``.

    Raises
    ------
    TimeIndexError
        Naming the first bad value and its line, the reason (no offset, not ISO 8601) and
        :data:`ISO_FORMS`.
    """
    values = text.fillna("").astype(str).str.strip()
    ok = values.str.match(_ISO).to_numpy()
    stamps = pd.to_datetime(values.where(ok), utc=True, format="ISO8601", errors="coerce")
    bad = ~ok | stamps.isna().to_numpy()
    if bad.any():
        position = int(np.argmax(bad))
        where = f"line {lines[position]}" if lines is not None else f"row {position + 1}"
        value = values.iloc[position]
        if _NAIVE_ISO.match(value):
            reason = (
                "has no UTC offset; timestamps are never assumed to be UTC or local time. Write"
            )
        else:
            reason = (
                "is not an ISO 8601 timestamp (day-first or month-first dates are ambiguous). Write"
            )
        msg = f"{source}, {where}: {column} {value!r} {reason} e.g. {ISO_FORMS}"
        raise TimeIndexError(msg)
    return pd.DatetimeIndex(stamps, name="time").as_unit("ns")
