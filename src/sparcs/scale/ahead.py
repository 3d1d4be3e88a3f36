"""A function's result computed ahead, in a forked child process, while this process goes on.

Opening a Dask executor keeps the driver busy on one core for about 0.4 s (``import
distributed``, 0.25-0.3 s, then the local cluster's start) while the second core idles; the
sweep's shared weather (0.15 s of CPU for a 100-building district) needs neither, so it loads
meanwhile in a child forked from the driver (docs/network.md, "Sweep speed").

The child is forked, not spawned: it has the engine imported already and starts in a few
milliseconds. It runs only the function it was given and sends the pickled result back
through a pipe; the driver's other threads (a progress bar) are not in it. When the child
cannot deliver (no ``fork`` on this platform, the function raised, the child died), the
function runs again in this process, where a deterministic error is raised as it would have
been without the child.
"""

from __future__ import annotations

import multiprocessing
import sys
from collections.abc import Callable
from contextlib import suppress
from multiprocessing.connection import Connection
from types import TracebackType
from typing import Any, Generic, TypeVar

from sparcs.scale.frozen import frozen_objects

__all__ = ["Ahead", "CAN_FORK", "compute_ahead"]

R = TypeVar("R")

#: Whether a child can be forked here (Linux); elsewhere the result is computed in place.
CAN_FORK = sys.platform == "linux" and "fork" in multiprocessing.get_all_start_methods()


def _send_result(conn: Connection, func: Callable[..., Any], args: tuple[Any, ...]) -> None:
    """The child's body: send ``(True, result)``, or ``(False, None)`` when it has none."""
    try:
        conn.send((True, func(*args)))
    except OSError:  # the parent no longer listens (or func's own I/O failed: computed again)
        pass
    except BaseException:  # noqa: BLE001  (the parent computes it again and raises there)
        with suppress(OSError):
            conn.send((False, None))
    finally:
        conn.close()


class Ahead(Generic[R]):
    """``func(*args)``, being computed in a forked child (or already computed).

    Parameters
    ----------
    func
        A function of picklable result.
    args
        Its arguments (inherited by the child, never pickled).
    fork
        Compute in a forked child; False (or no ``fork`` here) = compute now, in place.

    A context manager: leaving it ends a child whose result was not asked for.
    """

    def __init__(self, func: Callable[..., R], *args: Any, fork: bool = True) -> None:
        self._func, self._args = func, args
        self._conn: Connection | None = None
        self._process: Any = None
        self._value: tuple[R] | None = None
        if not (fork and CAN_FORK):
            self._value = (func(*args),)
            return
        context = multiprocessing.get_context("fork")
        self._conn, child_end = context.Pipe(duplex=False)
        # frozen while forking: the child's garbage collector then never walks (and so never
        # copies) the pages of the objects it inherits
        try:
            with frozen_objects():
                self._process = context.Process(
                    target=_send_result, args=(child_end, func, args), daemon=True
                )
                self._process.start()
        finally:
            child_end.close()

    def result(self) -> R:
        """The result: received from the child, or computed here when the child had none.

        Returns
        -------
        R
            ``func(*args)``.
        """
        if self._value is None:
            self._value = (self._receive(),)
        return self._value[0]

    def close(self) -> None:
        """End the child if its result was never asked for (the caller failed before)."""
        if self._conn is not None and not self._conn.closed:
            self._conn.close()
            self._process.terminate()
            self._process.join()

    def __enter__(self) -> Ahead[R]:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def _receive(self) -> R:
        assert self._conn is not None
        try:
            ok, value = self._conn.recv()
        except (EOFError, OSError):  # the child died before it sent anything
            ok, value = False, None
        finally:
            self._conn.close()
            self._process.join()
        return value if ok else self._func(*self._args)


def compute_ahead(func: Callable[..., R], *args: Any, fork: bool = True) -> Ahead[R]:
    """Start ``func(*args)`` in a forked child; collect it with :meth:`Ahead.result`.

    Parameters
    ----------
    func
        The function; its result must pickle.
    args
        Its arguments.
    fork
        False = compute it now, in this process (nothing to overlap it with).

    Returns
    -------
    Ahead
        The pending result.

    Examples
    --------
    >>> pending = compute_ahead(pow, 2, 10)
    >>> pending.result()
    1024
    """
    return Ahead(func, *args, fork=fork)
