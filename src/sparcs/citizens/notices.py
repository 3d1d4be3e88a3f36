"""Which green-hours notices are due now, and pushing them to the district's households.

Stateless by design: the operator's scheduler asks once an hour (``POST
/api/v1/districts/{district}/notices/green``) and a notice is due only in the hour it is
about, so asking twice in one hour can repeat it but missing an hour never floods later.

- ``green-now``: this hour is green and the hour before was not (a green window starts).
- ``green-soon``: a green window of at least :data:`SOON_HOURS` hours starts next hour.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pandas as pd

from sparcs.citizens.calendar import green_windows
from sparcs.citizens.subscriptions import subscriptions
from sparcs.citizens.webpush import PushResult, send, vapid_key
from sparcs.store.store import Store

__all__ = ["SOON_HOURS", "Delivery", "due_kinds", "push_due"]

#: Shortest green window announced ahead [h].
SOON_HOURS = 2


@dataclass(frozen=True)
class Delivery:
    """What was pushed for one notice kind.

    Attributes
    ----------
    kind
        The notice kind.
    results
        One per subscription that opted in.
    """

    kind: str
    results: tuple[PushResult, ...]


def due_kinds(
    starts: pd.DatetimeIndex, lights: Sequence[str], *, previous: str | None
) -> list[str]:
    """The notice kinds due at the first hour of ``starts``.

    Parameters
    ----------
    starts
        Hour starts from now on, tz-aware, consecutive.
    lights
        ``green``, ``amber`` or ``red`` per hour.
    previous
        The light of the hour before (None when unknown: counts as not green).

    Returns
    -------
    list of str
        ``green-now`` and/or ``green-soon``.

    Examples
    --------
    >>> hours = pd.date_range("2025-06-01 10:00", periods=4, freq="h", tz="UTC")
    >>> due_kinds(hours, ["green", "red", "green", "green"], previous="red")
    ['green-now']
    >>> due_kinds(hours, ["red", "green", "green", "red"], previous="red")
    ['green-soon']
    """
    due = []
    if lights and lights[0] == "green" and previous != "green":
        due.append("green-now")
    windows = green_windows(starts, list(lights))
    if len(starts) > 1 and any(
        w.start == starts[1] and w.hours >= SOON_HOURS and lights[0] != "green" for w in windows
    ):
        due.append("green-soon")
    return due


def push_due(
    store: Store,
    households: Sequence[str],
    kinds: Sequence[str],
    notice: Callable[[str, str], dict[str, str]],
    *,
    subject: str,
    timeout_s: float = 10.0,
) -> list[Delivery]:
    """Push each due kind to the subscriptions of ``households`` that opted in to it.

    Parameters
    ----------
    store
        The open store.
    households
        The district's household ids.
    kinds
        Due kinds (:func:`due_kinds`).
    notice
        ``notice(kind, household)`` -> ``{"kind", "title", "body", "url"}`` in the
        household's language.
    subject
        Contact of the server's operator (``mailto:…``) for the VAPID JWT.
    timeout_s
        Seconds to wait for each push service [s].

    Returns
    -------
    list of Delivery
        One per kind.
    """
    key = vapid_key(store)
    out = []
    for kind in kinds:
        results = tuple(
            send(store, sub, notice(kind, household), key=key, subject=subject,
                 timeout_s=timeout_s)
            for household, sub in subscriptions(store, kind, households)
        )  # fmt: skip
        out.append(Delivery(kind, results))
    return out
