"""Green windows (consecutive green hours) and their iCalendar feed (RFC 5545).

A calendar app subscribed to the feed shows when electricity is green; the suggestions pick
the best window for appliances of a given length (a washing machine ~2 h, a car ~4 h).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime

import pandas as pd

__all__ = ["APPLIANCES", "GreenWindow", "best_window", "green_windows", "icalendar"]

#: Appliances a suggestion is made for, with the hours they need.
APPLIANCES = {"washing_machine": 2, "dishwasher": 2, "car": 4}


@dataclass(frozen=True)
class GreenWindow:
    """Consecutive green hours.

    Attributes
    ----------
    start, end
        Tz-aware start and end (excluded) of the window.
    """

    start: pd.Timestamp
    end: pd.Timestamp

    @property
    def hours(self) -> int:
        """Length [h]."""
        return int((self.end - self.start) / pd.Timedelta(hours=1))


def green_windows(starts: pd.DatetimeIndex, lights: list[str]) -> list[GreenWindow]:
    """Runs of consecutive green hours.

    Parameters
    ----------
    starts
        Hour starts, tz-aware, consecutive.
    lights
        ``green``, ``amber`` or ``red`` per hour.

    Returns
    -------
    list of GreenWindow
        In time order.

    Examples
    --------
    >>> hours = pd.date_range("2025-01-01", periods=5, freq="h", tz="UTC")
    >>> [w.hours for w in green_windows(hours, ["green", "green", "red", "green", "amber"])]
    [2, 1]
    """
    windows: list[GreenWindow] = []
    first: pd.Timestamp | None = None
    hour = pd.Timedelta(hours=1)
    for when, light in zip(starts, lights, strict=True):
        if light == "green" and first is None:
            first = when
        elif light != "green" and first is not None:
            windows.append(GreenWindow(first, when))
            first = None
    if first is not None:
        windows.append(GreenWindow(first, starts[-1] + hour))
    return windows


def best_window(windows: list[GreenWindow], hours: int) -> pd.Timestamp | None:
    """The earliest start of ``hours`` consecutive green hours, or None.

    Parameters
    ----------
    windows
        Green windows in time order.
    hours
        Hours the appliance needs.

    Returns
    -------
    pandas.Timestamp or None
        When to start it.
    """
    for window in windows:
        if window.hours >= hours:
            return window.start
    return None


def _fold(line: str) -> str:
    """Fold a content line at 75 octets (RFC 5545 §3.1)."""
    data = line.encode("utf-8")
    parts: list[str] = []
    while len(data) > 75:
        cut = 75 if not parts else 74
        while cut > 0 and (data[cut] & 0xC0) == 0x80:  # never split a UTF-8 character
            cut -= 1
        parts.append(data[:cut].decode("utf-8"))
        data = data[cut:]
    parts.append(data.decode("utf-8"))
    return "\r\n ".join(parts)


def _text(value: str) -> str:
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def icalendar(
    windows: list[GreenWindow], *, name: str, summary: str, uid_seed: str, now: datetime
) -> str:
    """An iCalendar (RFC 5545) document with one event per green window.

    Parameters
    ----------
    windows
        The green windows.
    name
        Calendar name (``X-WR-CALNAME``).
    summary
        Title of each event, in the reader's language.
    uid_seed
        Makes the event UIDs stable for the same district and window.
    now
        Creation time (``DTSTAMP``).

    Returns
    -------
    str
        The document, CRLF line ends.

    Examples
    --------
    >>> hours = pd.date_range("2025-01-01", periods=2, freq="h", tz="UTC")
    >>> text = icalendar(green_windows(hours, ["green", "green"]), name="c", summary="Green",
    ...                  uid_seed="d", now=datetime(2025, 1, 1, tzinfo=UTC))
    >>> "DTSTART:20250101T000000Z" in text and text.endswith("END:VCALENDAR\\r\\n")
    True
    """
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//SPARCS//green hours//EN",
             "CALSCALE:GREGORIAN", "METHOD:PUBLISH", f"X-WR-CALNAME:{_text(name)}"]  # fmt: skip
    for window in windows:
        digest = hashlib.sha256(f"{uid_seed}|{window.start.isoformat()}".encode()).hexdigest()
        lines += [
            "BEGIN:VEVENT",
            f"UID:{digest[:32]}@sparcs",
            f"DTSTAMP:{_stamp(now)}",
            f"DTSTART:{_stamp(window.start.to_pydatetime())}",
            f"DTEND:{_stamp(window.end.to_pydatetime())}",
            f"SUMMARY:{_text(summary)}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines)
