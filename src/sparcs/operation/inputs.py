"""What every strategy reads from the profiles (:class:`~sparcs.profiles.inputs.Inputs`),
checked against the scenario: the buildings in column order, the heat pumps' COPs and the
outdoor temperature on the simulated steps."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from sparcs.errors import DataError

if TYPE_CHECKING:
    from sparcs.profiles.inputs import Inputs
    from sparcs.scenario.models import Building, Scenario

__all__ = ["check_cop", "ordered_buildings", "outdoor_temperature"]


def ordered_buildings(scenario: Scenario, inputs: Inputs) -> list[Building]:
    """The scenario's buildings in the column order of ``inputs``.

    Raises
    ------
    DataError
        When the profiles and the scenario do not list the same building ids.
    """
    by_id = {b.id: b for b in scenario.buildings}
    missing = [i for i in inputs.building_ids if i not in by_id]
    extra = sorted(set(by_id) - set(inputs.building_ids))
    if missing or extra or len(inputs.building_ids) != len(by_id):
        msg = (
            f"profiles and scenario {scenario.name!r} disagree on the buildings: "
            f"profiles only {missing[:5]}, scenario only {extra[:5]}; build the profiles from "
            "this scenario"
        )
        raise DataError(msg)
    return [by_id[i] for i in inputs.building_ids]


def check_cop(cop: np.ndarray, has_hp: np.ndarray, ids: Sequence[str]) -> None:
    """Every column with a heat pump needs a positive COP in every step.

    Raises
    ------
    DataError
        Naming the first column whose COP is zero, negative or missing.
    """
    if not has_hp.any() or not cop.shape[0]:
        return
    # one reduction over the heat pumps' columns reads them once; a loop over columns would
    # stride, and the other columns need not be read at all
    lowest = cop.min(axis=0, where=has_hp, initial=np.inf)
    bad = np.flatnonzero(has_hp & ~(lowest > 0))
    if bad.size:
        i = bad[0]
        msg = (
            f"{ids[i]!r} has a heat pump but cop_heating is not positive everywhere "
            f"(min {lowest[i]:.4g}); the profiles must give a COP for every heat pump"
        )
        raise DataError(msg)


def outdoor_temperature(inputs: Inputs) -> np.ndarray:
    """Outdoor air temperature on the simulation's steps [degC] (held over finer steps).

    Raises
    ------
    DataError
        When the weather does not cover the simulated period.
    """
    temp = inputs.weather.data["temp_air"]
    if not temp.index.equals(inputs.time):
        temp = temp.reindex(inputs.time, method="ffill")
    values = temp.to_numpy(dtype=float)
    if np.isnan(values).any():
        msg = "the weather does not cover every simulated step (needed for reversible heat pumps)"
        raise DataError(msg)
    return values
