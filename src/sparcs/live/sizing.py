"""Heat pumps of a horizon sized on the scenario's year, not on the horizon's own peak.

A heat pump without a size in the scenario takes the building's peak heat demand
(:mod:`sparcs.operation.optimal.adapter`). An LP built on a horizon would size it to the peak
of that horizon's forecast, so the same heat pump would be larger or smaller from cycle to
cycle, and than in perfect foresight over another period; live operation and its replay size it
once, on the peak heat demand of the scenario's profiles over the whole year.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from sparcs.operation.optimal.problem import DispatchProblem
from sparcs.operation.params import building_columns, ordered_buildings
from sparcs.profiles.inputs import Inputs
from sparcs.scenario import Scenario

__all__ = ["with_year_heat_pumps", "year_heat_pumps"]


def year_heat_pumps(scenario: Scenario, inputs: Inputs) -> np.ndarray:
    """Heat output of each building's heat pump sized on the year [kW].

    Parameters
    ----------
    scenario
        The district.
    inputs
        The scenario's profiles over its year.

    Returns
    -------
    numpy.ndarray
        Heat-pump heat output per building in the profiles' order, (building,) [kW]: the
        scenario's size where it gives one, else the building's peak heat demand.
    """
    columns = building_columns(ordered_buildings(scenario, inputs))
    heat = np.asarray(inputs.building["space_heat_kw"]) + np.asarray(inputs.building["dhw_kw"])
    peak = heat.max(axis=0) if heat.shape[0] else np.zeros(heat.shape[1])
    result: np.ndarray = columns.with_heat_pumps(peak).hp_heat_kw
    return result


def with_year_heat_pumps(problem: DispatchProblem, heat_kw: np.ndarray) -> DispatchProblem:
    """``problem`` with its buildings' heat-pump limits from ``heat_kw`` (:func:`year_heat_pumps`).

    Parameters
    ----------
    problem
        A horizon's LP (units: the buildings, then the district node).
    heat_kw
        Heat-pump heat output per building [kW].

    Returns
    -------
    DispatchProblem
        The same LP with electric input limits ``heat_kw / COP`` in the building columns.
    """
    cop = np.asarray(problem.cop, dtype=float)
    limit = np.array(problem.hp_max(), dtype=float)
    n = np.size(heat_kw)
    limit[:, :n] = np.divide(
        np.asarray(heat_kw, dtype=float)[None, :],
        cop[:, :n],
        out=np.zeros_like(cop[:, :n]),
        where=cop[:, :n] > 0,
    )
    return replace(problem, hp_max_el_kw=limit)
