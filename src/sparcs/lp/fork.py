"""Chains of work in forked processes, for the windows of the temporal decomposition."""

from __future__ import annotations

import multiprocessing as mp
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

import numpy as np

from sparcs.lp import highs

__all__ = ["run_chains"]

_T = TypeVar("_T")


def _fresh_scheduler() -> None:
    """HiGHS's thread pool does not survive a fork; a forked worker starts its own."""
    highs._highspy().Highs.resetGlobalScheduler(True)


def run_chains(chain: Callable[[Sequence[int]], list[_T]], n_items: int, workers: int) -> list[_T]:
    """Items split into ``workers`` contiguous chains, each in its own forked process."""
    chunks = [list(c) for c in np.array_split(np.arange(n_items), max(1, workers)) if c.size]
    serial = (
        len(chunks) == 1 or "fork" not in mp.get_all_start_methods() or mp.current_process().daemon
    )  # a daemon process may not have children
    if serial:
        return [item for chunk in chunks for item in chain(chunk)]
    with ProcessPoolExecutor(
        len(chunks), mp_context=mp.get_context("fork"), initializer=_fresh_scheduler
    ) as pool:
        return [item for part in pool.map(chain, chunks) for item in part]
