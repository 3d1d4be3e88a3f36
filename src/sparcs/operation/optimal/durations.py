"""Steps of their own length: what a model family that needs one length says.

A :class:`~.problem.DispatchProblem` with ``step_h`` set has steps of their own length (a
receding horizon's coarser tail, :mod:`.blocking`). The storage, grid, EV, boiler, CHP,
district-heat and heat-export families weight their energies and costs by each step's
length; a family whose dynamics assume one length calls :func:`one_length`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sparcs.errors import DataError

if TYPE_CHECKING:
    from sparcs.operation.optimal.problem import DispatchProblem

__all__ = ["one_length"]


def one_length(problem: DispatchProblem, what: str) -> None:
    """Raise unless every step of ``problem`` lasts ``dt_h``.

    Parameters
    ----------
    problem
        The dispatch problem.
    what
        What needs steps of one length, in words (``"building thermal mass"``).

    Raises
    ------
    DataError
        ``problem`` has steps of their own length (``step_h``).
    """
    if problem.step_h is not None:
        msg = f"{what} needs steps of one length; this problem's steps last {problem.step_h} h"
        raise DataError(msg)
