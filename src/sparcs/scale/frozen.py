"""The garbage collector's objects frozen for a while: while forking, or a large import.

``gc.freeze`` moves every object the collector tracks into a permanent generation that no
collection walks; ``gc.unfreeze`` puts them back into the oldest one. :mod:`sparcs.scale`
freezes them:

- while a child process is forked (:mod:`sparcs.scale.ahead`, a local Dask cluster's workers):
  the child's collector then never walks, and so never copies the pages of, the objects it
  inherits;
- while ``distributed`` is imported after the engine: the import's full collections then do
  not walk the engine's objects (docs/network.md, "Sweep speed").

An application that froze objects of its own (a pre-forking server) keeps them frozen:
nothing is frozen or unfrozen here then, since ``gc.unfreeze`` cannot tell its objects from
ours.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["frozen_objects"]


@contextmanager
def frozen_objects() -> Iterator[None]:
    """Freeze the collector's objects for the block and unfreeze them after it.

    Yields
    ------
    None
        Inside the block every object tracked when it began is frozen; objects made in it are
        not. When objects were frozen already, the block changes nothing.

    Examples
    --------
    >>> import gc
    >>> with frozen_objects():
    ...     gc.get_freeze_count() > 0
    True
    >>> gc.get_freeze_count()
    0
    """
    if gc.get_freeze_count() > 0:
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
