"""EV charging sessions on blocks of steps (a horizon's coarser tail, :mod:`.blocking`).

A lane holds one car at a step, and a block of steps may see one car leave and the next
arrive. The block takes the car plugged for most of its steps (the later one on a tie), at
the car's power times the share of the block it is plugged (so the block offers the energy
its steps did). A car that loses the block it leaves in has its last block earlier, with
the pro-rata requirement of a session cut there (``progress``); a car that loses the block
it arrives in starts at the next block, from zero, and its progress counts only the steps it
holds (it is asked for the share of its energy those steps stand for), so that a car the
input steps can serve is never asked for more than its blocks can give.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from sparcs.operation.optimal.ev import EVParams

__all__ = ["blocked_ev"]


def _majority(session: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per lane of one block (step, lane): the session plugged for most steps (-1: none), its
    steps, and the position of its last step in the block."""
    g, lanes = session.shape
    same = (session[:, None, :] == session[None, :, :]) & (session[None, :, :] >= 0)
    count = same.sum(axis=1)  # (step, lane): steps of the session plugged at that step
    pos = g - 1 - np.argmax(count[::-1], axis=0)  # the latest on a tie
    cols = np.arange(lanes)
    chosen = session[pos, cols]
    last = g - 1 - np.argmax((session == chosen[None, :])[::-1], axis=0)
    return chosen, count[pos, cols], last


def blocked_ev(ev: EVParams, sizes: np.ndarray) -> EVParams:
    """The sessions of ``ev`` on blocks of ``sizes`` steps (module docstring).

    Parameters
    ----------
    ev
        Sessions on the input steps.
    sizes
        Steps per block, (block,) int summing to the steps of ``ev``.

    Returns
    -------
    EVParams
        One row per block, with the share of each block a lane's car is plugged.
    """
    ends = np.cumsum(sizes)
    starts = ends - sizes
    k, lanes = sizes.size, ev.session.shape[1]
    share = np.ones((k, lanes)) if ev.share is None else ev.share[starts].astype(float)
    chosen = ev.session[starts].copy()
    progress = ev.progress[starts].copy()
    cols = np.arange(lanes)
    for b in np.flatnonzero(sizes > 1):
        a = starts[b]
        c, steps, last = _majority(ev.session[a : ends[b]])
        chosen[b] = c
        share[b] = steps / sizes[b]
        progress[b] = ev.progress[a + last, cols]
    plugged = chosen >= 0
    continues = np.zeros_like(plugged)
    continues[0] = ev.continues[0] & (chosen[0] == ev.session[0])
    continues[1:] = (chosen[1:] == chosen[:-1]) & plugged[1:]
    # a car that lost the block it arrived in: its progress counts only the steps it holds
    lost = np.zeros(lanes)
    for j in range(1, k):
        before = ends[j - 1] - 1  # the last step of the block before
        dropped = (ev.session[before] == chosen[j]) & plugged[j] & ~continues[j]
        lost = np.where(continues[j], lost, np.where(dropped, ev.progress[before], 0.0))
        progress[j] -= lost
    return replace(
        ev,
        session=chosen,
        progress=progress,
        continues=continues,
        share=np.where(plugged, share, 0.0),
    )
