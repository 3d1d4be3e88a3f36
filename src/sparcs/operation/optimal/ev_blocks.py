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
    """Per block and lane of blocks of one length (block, step, lane): the session plugged for
    most steps (-1: none), its steps, and the position of its last step in the block."""
    g = session.shape[1]
    same = (session[:, :, None, :] == session[:, None, :, :]) & (session[:, None, :, :] >= 0)
    count = same.sum(axis=2)  # (block, step, lane): steps of the session plugged at that step
    pos = g - 1 - np.argmax(count[:, ::-1], axis=1)[:, None, :]  # the latest on a tie
    chosen = np.take_along_axis(session, pos, axis=1)[:, 0]
    steps = np.take_along_axis(count, pos, axis=1)[:, 0]
    last = g - 1 - np.argmax((session == chosen[:, None, :])[:, ::-1], axis=1)
    return chosen, steps, last


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
    for g in np.unique(sizes[sizes > 1]):  # the blocks of each length at once
        which = np.flatnonzero(sizes == g)
        rows = starts[which][:, None] + np.arange(g)[None, :]
        c, steps, last = _majority(ev.session[rows])
        chosen[which], share[which] = c, steps / g
        progress[which] = ev.progress[starts[which][:, None] + last, cols[None, :]]
    plugged = chosen >= 0
    continues = np.zeros_like(plugged)
    continues[0] = ev.continues[0] & (chosen[0] == ev.session[0])
    continues[1:] = (chosen[1:] == chosen[:-1]) & plugged[1:]
    # a car that lost the block it arrived in: its progress counts only the steps it holds
    # (what it lost, carried from the block it starts in over the blocks it continues in)
    before = np.r_[0, ends[:-1] - 1]  # the last step of the block before
    starts_here = ~continues
    starts_here[0] = True
    dropped = (ev.session[before] == chosen) & plugged & starts_here
    dropped[0] = False
    lost_at = np.where(dropped, ev.progress[before], 0.0)
    origin = np.maximum.accumulate(np.where(starts_here, np.arange(k)[:, None], 0), axis=0)
    progress -= np.take_along_axis(lost_at, origin, axis=0)
    return replace(
        ev,
        session=chosen,
        progress=progress,
        continues=continues,
        share=np.where(plugged, share, 0.0),
    )
