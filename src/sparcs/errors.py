"""The one exception tree of SPARCS.

Every error a user can meet is a :class:`SparcsError`; the CLI turns it into a clean message
and a non-zero exit code, never a traceback.

::

    SparcsError
    ├── ScenarioError (also ValueError)   invalid scenario, settings or CLI input
    ├── DataError                         bad input data (files, tables)
    │   ├── TimeIndexError                naive, misaligned, gappy or duplicate timestamps
    │   ├── WeatherError                  unreadable or implausible weather data
    │   ├── InsufficientDataError         too little data for a baseline (CalTRACK sufficiency)
    │   └── UnitError                     unknown or inconsistent unit
    ├── InfeasibleError                   operation cannot meet a demand or limit
    ├── SolverError                       solver failed or is missing
    ├── ExternalDataError                 a user-requested download or remote source failed
    └── StoreError                        a database that cannot be opened, migrated or written

    SparcsWarning (also UserWarning)      a result to look at, e.g. a service asked for that
    │                                     comes out zero
    └── PlausibilityWarning               suspicious but possible input data (it is used)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "DataError",
    "ExternalDataError",
    "InfeasibleError",
    "InsufficientDataError",
    "PlausibilityWarning",
    "Problem",
    "ScenarioError",
    "SolverError",
    "SparcsError",
    "SparcsWarning",
    "StoreError",
    "TimeIndexError",
    "UnitError",
    "WeatherError",
]


class SparcsError(Exception):
    """Base class of every error raised by SPARCS."""


@dataclass(frozen=True)
class Problem:
    """One problem found in an input.

    Attributes
    ----------
    location
        Where the problem is: a field path such as ``buildings[3].pv.tilt_deg`` or a row
        such as ``row 12``.
    message
        What is wrong and how to fix it.
    source
        The file the problem is in, or ``""`` when the input did not come from a file.
    """

    location: str
    message: str
    source: str = ""

    def __str__(self) -> str:
        prefix = f"{self.source}: " if self.source else ""
        where = f"{self.location}: " if self.location else ""
        return f"{prefix}{where}{self.message}"


class ScenarioError(SparcsError, ValueError):
    """An invalid scenario, setting or command-line input.

    Carries every :class:`Problem` found, so a user fixes a file in one pass.
    """

    def __init__(self, problems: Sequence[Problem] | str, source: str = "") -> None:
        if isinstance(problems, str):
            problems = [Problem(location="", message=problems, source=source)]
        self.problems: tuple[Problem, ...] = tuple(problems)
        lines = [str(p) for p in self.problems]
        header = f"{len(lines)} problem(s) found" + (f" in {source}" if source else "")
        super().__init__(header + ":\n  " + "\n  ".join(lines) if len(lines) > 1 else lines[0])


class DataError(SparcsError):
    """Bad input data: a file or table that cannot be used as it is."""


class TimeIndexError(DataError):
    """Naive, misaligned, gappy, unsorted or duplicate timestamps."""


class WeatherError(DataError):
    """Weather data that cannot be read or is physically implausible."""


class InsufficientDataError(DataError):
    """Too little usage or temperature data to fit a baseline: names every failed rule."""


class UnitError(DataError):
    """An unknown or inconsistent unit."""


class InfeasibleError(SparcsError):
    """Operation cannot meet a demand or a limit; the message names which."""


class SolverError(SparcsError):
    """The solver failed or is not installed."""


class ExternalDataError(SparcsError):
    """A user-requested download or remote data source failed."""


class StoreError(SparcsError):
    """A database that cannot be opened, migrated or written (the message names it and the fix)."""


class SparcsWarning(UserWarning):
    """Base class of every warning SPARCS emits; used itself for a result the user should look
    at though it is not an error (e.g. ``cooling = true`` where no cooling is needed)."""


class PlausibilityWarning(SparcsWarning):
    """Input data that is possible but unusual (e.g. far from the site, an extreme intensity).

    The data is used; the warning names the file or field, what was checked and the range.
    """
