"""Results kept for the last few arguments: what a live cycle asks for again.

A live cycle resolves the same steps' prices several times (the plan, the objective, the
capacity charge, a replay's truth) and slices the same window twice; a replay prepares the
next cycle's beside the solve of this one. :class:`KeptResults` keeps the last few results
of such a function, keyed by the object they were made from (held, so that its ``id`` is
not given to another object while the result is kept) and the rest of the arguments.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

__all__ = ["KeptResults"]

Owner = TypeVar("Owner")
Value = TypeVar("Value")


class KeptResults(Generic[Owner, Value]):
    """The results of the last ``size`` (owner, key) pairs asked for, the latest kept longest.

    Parameters
    ----------
    size
        How many results are kept.

    Examples
    --------
    >>> kept: KeptResults[str, int] = KeptResults(2)
    >>> owner = "scenario"
    >>> kept.get(owner, 1, lambda: 10), kept.get(owner, 1, lambda: 99)
    (10, 10)
    """

    def __init__(self, size: int) -> None:
        self._size = size
        self._held: dict[tuple[int, Hashable], tuple[Owner, Value]] = {}
        self._lock = threading.Lock()

    def get(self, owner: Owner, key: Hashable, make: Callable[[], Value]) -> Value:
        """The result kept for (``owner``, ``key``), or ``make()``'s, kept from now on.

        Parameters
        ----------
        owner
            The object the result is made from (compared by identity).
        key
            The other arguments (hashable).
        make
            Makes the result when none is kept; called outside the lock.

        Returns
        -------
        Value
            The result (shared with later callers: it must not be changed).
        """
        full = (id(owner), key)
        with self._lock:
            held = self._held.pop(full, None)
        if held is None or held[0] is not owner:
            held = (owner, make())
        with self._lock:
            self._held[full] = held  # the most recent last
            while len(self._held) > self._size:
                del self._held[next(iter(self._held))]
        return held[1]
