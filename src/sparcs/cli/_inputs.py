"""Checks of what a user types, made before any work starts.

Paths (scenario files and folders, ``--out``, ``--json``), file encodings, dates and times
of options, and option combinations. A path or option that cannot be used raises
:class:`~sparcs.cli._console.UsageError` (exit 2); a file whose content is wrong raises
:class:`~sparcs.errors.ScenarioError` (exit 1). Every message names the file or the option
and says how to fix it.
"""

from __future__ import annotations

import codecs
import os
import re
import tempfile
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from sparcs.cli._console import UsageError
from sparcs.errors import Problem, ScenarioError
from sparcs.scenario import Scenario

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "DB_HELP",
    "check_output_file",
    "check_output_folder",
    "check_utf8",
    "load_checked",
    "missing_files",
    "parse_choice",
    "parse_period",
    "parse_time_option",
    "parse_zoned_time",
    "scenario_file",
    "scenario_files",
]

Choice = TypeVar("Choice", bound=str)

#: Help of every ``--db`` option.
DB_HELP = "database: a DuckDB file or a postgresql:// URL (default $SPARCS_DB or ./sparcs.duckdb)"

_SAVE_AS_UTF8 = "save it as UTF-8 (in most editors: 'Save as' → encoding 'UTF-8') and run again"


def _readable(path: Path) -> None:
    if not os.access(path, os.R_OK):
        msg = f"cannot read {path} (permission denied); allow reading it or copy it elsewhere"
        raise UsageError(msg)


def scenario_files(paths: Sequence[Path]) -> list[Path]:
    """The scenario files named by ``paths``: a folder stands for every ``*.toml`` in it, sorted.

    Raises
    ------
    UsageError
        For a path that does not exist, a folder without ``*.toml`` files, or a file that
        cannot be read.
    """
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.glob("*.toml") if p.is_file())
            if not found:
                msg = (
                    f"folder {path} holds no *.toml scenario files; pass a scenario file or "
                    "a folder with some"
                )
                raise UsageError(msg)
            files += found
        elif path.exists():
            files.append(path)
        else:
            msg = f"scenario file {path} does not exist; check the name and the folder"
            raise UsageError(msg)
    for path in files:
        _readable(path)
    return list(dict.fromkeys(files))


def scenario_file(path: Path, command: str) -> Path:
    """The one scenario file of a command that takes a single scenario."""
    if path.is_dir():
        found = sorted(p.name for p in path.glob("*.toml"))
        example = f", e.g. {path / found[0]}" if found else ""
        msg = f"{path} is a folder; 'sparcs {command}' takes one scenario file{example}"
        raise UsageError(msg)
    (file,) = scenario_files([path])
    return file


def check_utf8(path: Path) -> None:
    """Raise a :class:`ScenarioError` naming the byte, line and column when ``path`` is not
    UTF-8."""
    data = path.read_bytes()
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ScenarioError(
            [Problem("", f"the file is UTF-16, not UTF-8; {_SAVE_AS_UTF8}", str(path))]
        )
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - line_start + 1
        byte = data[exc.start]
        guess = bytes([byte]).decode("cp1252", errors="replace")
        hint = (
            f" (in Windows-1252/Latin-1 it would be {guess!r}, so the file was probably "
            "saved in that encoding)"
            if guess != "\ufffd"
            else ""
        )
        message = (
            f"byte 0x{byte:02X} (byte {exc.start + 1} of the file) is not valid UTF-8: "
            f"{exc.reason}{hint}; {_SAVE_AS_UTF8}"
        )
        raise ScenarioError(
            [Problem(f"line {line}, column {column}", message, str(path))]
        ) from None


def missing_files(scenario: Scenario, source: Path) -> list[Problem]:
    """Problems for files the scenario names that do not exist (weather, tariff, factors,
    baseline)."""
    named = [
        ("weather.file", scenario.weather.file if scenario.weather.source == "file" else None),
        ("tariff.file", scenario.tariff.file if scenario.tariff.kind == "file" else None),
        ("factors.hourly_file", scenario.factors.hourly_file),
        ("baseline", scenario.baseline),
    ]
    return [
        Problem(
            key,
            f"file {path} does not exist; fix the path (relative paths start at "
            f"the scenario's folder)",
            str(source),
        )
        for key, path in named
        if path is not None and not Path(path).is_file()
    ]


def _writable_base(path: Path, option: str) -> Path:
    """The nearest existing folder at or above ``path``; it must be a folder we can write in."""
    base = path
    while not base.exists():
        if base.parent == base:
            break
        base = base.parent
    if not base.is_dir():
        msg = (
            f"{option} {path}: {base} is a file, so no folder can be made there; choose "
            f"another {option}"
        )
        raise UsageError(msg)
    try:
        with tempfile.TemporaryFile(dir=base):
            pass
    except OSError as exc:
        reason = os.strerror(exc.errno) if exc.errno else str(exc)
        msg = (
            f"{option} {path}: cannot write in {base}: {reason}; choose a folder you "
            f"can write to with {option}"
        )
        raise UsageError(msg) from None
    return base


def check_output_folder(path: Path, option: str = "--out") -> None:
    """Raise a :class:`UsageError` unless ``path`` is, or can become, a folder we can write in."""
    if path.exists() and not path.is_dir():
        msg = (
            f"{option} {path} is an existing file, not a folder; give a folder (it is "
            f"created if missing), e.g. {option} {path.with_suffix('')}-out"
        )
        raise UsageError(msg)
    _writable_base(path, option)


def check_output_file(path: Path | None, option: str) -> None:
    """Raise a :class:`UsageError` unless a file can be written at ``path``."""
    if path is None:
        return
    if path.is_dir():
        msg = f"{option} {path} is a folder; give a file name, e.g. {option} {path / 'out'}"
        raise UsageError(msg)
    _writable_base(path.parent if str(path.parent) else Path("."), option)


_ISO = re.compile(r"\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?")
ISO_FORMATS = (
    "2025-06-01 (a day, from 00:00)",
    "2025-06-01T17:00 (local time)",
    "2025-06-01T17:00+02:00 (with an offset)",
)


def parse_time_option(text: str | None, option: str) -> str | None:
    """``text`` if it is an ISO 8601 date or time; ambiguous forms such as ``01/06/2025`` are
    refused."""
    if text is None:
        return None
    value = text.strip()
    if _ISO.fullmatch(value):
        try:
            datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError as exc:
            msg = (
                f"{option} {text!r} is not a valid date or time ({exc}); write it as "
                + ", ".join(ISO_FORMATS)
            )
            raise UsageError(msg) from None
        return value
    why = (
        f"; {text!r} could be read as more than one date (day/month or month/day)"
        if re.fullmatch(r"\d{1,2}[./-]\d{1,2}[./-]\d{2,4}.*", value)
        else ""
    )
    msg = f"{option} {text!r} is not an ISO 8601 date or time{why}. Write it as " + ", ".join(
        ISO_FORMATS
    )
    raise UsageError(msg)


def load_checked(path: Path) -> Scenario:
    """Load a scenario file after checking its encoding, and check the files it names.

    Raises
    ------
    ScenarioError
        With every problem: encoding, TOML syntax, schema, or a named file that is missing.
    """
    from sparcs.scenario import load_scenario

    check_utf8(path)
    scenario = load_scenario(path)
    problems = missing_files(scenario, path)
    if problems:
        raise ScenarioError(problems, str(path))
    return scenario


def parse_choice(value: str, choices: Sequence[Choice], option: str) -> Choice:
    """``value`` as the one of ``choices`` it names (typed as the choices are).

    Parameters
    ----------
    value
        What the user typed.
    choices
        The accepted values, e.g. ``get_args(Forecast)``.
    option
        The option, for the message (``"--forecast"``).

    Returns
    -------
    str
        The matching element of ``choices``.

    Raises
    ------
    UsageError
        For any other value: "--verify-strategy 'mpc' is not known; choose optimal, rule".

    Examples
    --------
    >>> parse_choice("rule", ("optimal", "rule"), "--verify-strategy")
    'rule'
    """
    for choice in choices:
        if value == choice:
            return choice
    msg = f"{option} {value!r} is not known; choose {', '.join(choices)}"
    raise UsageError(msg)


def parse_zoned_time(text: str | None, option: str, zone: str) -> pd.Timestamp | None:
    """``text`` (:func:`parse_time_option`) as a time, local to ``zone`` without an offset.

    Parameters
    ----------
    text
        The option's value; None when not given.
    option
        The option's name, for the message.
    zone
        IANA time zone of a time given without an offset.

    Returns
    -------
    pandas.Timestamp or None
        Time-zone aware; None when ``text`` is None.
    """
    import pandas as pd

    value = parse_time_option(text, option)
    if value is None:
        return None
    stamp = pd.Timestamp(value.replace("Z", "+00:00"))
    return stamp.tz_localize(zone) if stamp.tzinfo is None else stamp


def parse_period(date_from: str, date_to: str, zone: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    """``--from`` and ``--to`` as times (local to ``zone`` without an offset), in order.

    Raises
    ------
    UsageError
        When ``--to`` is not after ``--from``.
    """
    start = parse_zoned_time(date_from, "--from", zone)
    end = parse_zoned_time(date_to, "--to", zone)
    if start is None or end is None or end <= start:
        msg = f"--to {date_to} must be after --from {date_from}"
        raise UsageError(msg)
    return start, end
