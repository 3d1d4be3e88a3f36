"""Named plants outside the area counted inside a **functional** boundary (domain.md §2.3).

A functional boundary counts assets that serve the district's functions although they stand
outside the area, e.g. a shared solar-thermal or PV plant just across the road. The scenario
names each plant with its carrier and its output, annual (spread evenly over the steps) or
hourly (a CSV of mean power). Their output is counted as renewable supply inside the boundary
(:mod:`sparcs.kpi._export`), and the reason sentence names them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sparcs.carriers.series_files import align_to_steps, read_time_csv
from sparcs.kpi._export import FunctionalSupply

if TYPE_CHECKING:
    import pandas as pd

    from sparcs.scenario.models import Scenario

__all__ = ["FunctionalSupply", "functional_supply"]

#: Hours of the year an annual output is spread over [h].
HOURS_PER_YEAR = 8760.0


def functional_supply(
    scenario: Scenario, time: pd.DatetimeIndex, dt_h: float
) -> FunctionalSupply | None:
    """Output per step of the scenario's functional plants, or None without any.

    Parameters
    ----------
    scenario
        Reads ``boundary.kind`` and ``boundary.functional_plants``.
    time
        Steps of the flows (UTC).
    dt_h
        Step length [h].

    Returns
    -------
    FunctionalSupply or None
        Electricity and heat output per step [kWh]; None unless the boundary is functional
        and names plants.

    Raises
    ------
    DataError, TimeIndexError
        An hourly file that is missing, malformed or does not cover the steps.
    """
    plants = scenario.boundary.functional_plants
    if scenario.boundary.kind != "functional" or not plants:
        return None
    out = {"electricity": np.zeros(len(time)), "heat": np.zeros(len(time))}
    for plant in plants:
        if plant.annual_kwh is not None:
            out[plant.carrier] += plant.annual_kwh / HOURS_PER_YEAR * dt_h
        else:
            # the model gives exactly one of annual_kwh and hourly_file
            assert plant.hourly_file is not None
            what = f"hourly file of functional plant {plant.name!r}"
            frame = read_time_csv(plant.hourly_file, required=("output_kw",), what=what)
            out[plant.carrier] += align_to_steps(frame, time, what=what)[:, 0] * dt_h
    return FunctionalSupply(
        names=tuple(p.name for p in plants), electricity=out["electricity"], heat=out["heat"]
    )
