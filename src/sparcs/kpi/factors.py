"""Primary-energy and CO2 factors resolved to one value per step and carrier.

A named factor set (:func:`sparcs.data.get_factor_set`) gives one annual value per carrier.
An optional hourly file replaces the **electricity** factors by a time series (domain.md §3.2,
§5.11): columns ``time`` (ISO 8601 with offset) and ``co2_kg_per_kwh``, optionally ``pef``,
``co2_export_kg_per_kwh`` and ``pef_export``. Without the export columns the hourly series
applies to exported electricity too (an exported kWh displaces the grid mix of its hour);
without ``pef`` the set's annual PEFs stay in force. Other carriers keep the set's values.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from sparcs.data import CARRIERS, FactorSet, get_factor_set
from sparcs.errors import DataError
from sparcs.kpi._timeseries import align_to_steps, read_time_csv
from sparcs.timeseries import check_index

if TYPE_CHECKING:
    from sparcs.operation.flows import Flows
    from sparcs.scenario.models import Scenario

__all__ = ["HOURLY_COLUMNS", "StepFactors", "read_hourly_factors", "scenario_factors", "step_factors"]

#: Columns of an hourly factor file: (required, optional).
HOURLY_COLUMNS = (("co2_kg_per_kwh",), ("pef", "co2_export_kg_per_kwh", "pef_export"))
_FIELDS = ("pef", "pef_export", "co2_kg_per_kwh", "co2_export_kg_per_kwh")


@dataclass(frozen=True)
class StepFactors:
    """Factors per carrier and step, ready for the KPI functions.

    Attributes
    ----------
    name
        Name of the factor set.
    time
        The steps the arrays are aligned to (UTC).
    pef, pef_export
        Carrier -> non-renewable primary-energy factor of delivered / exported energy per step,
        shape (time,) [kWh_PE/kWh].
    co2_kg_per_kwh, co2_export_kg_per_kwh
        Carrier -> emission factor of delivered energy / credit of exported energy per step,
        shape (time,) [kg CO2-eq/kWh].
    grid_renewable_share
        Renewable share of delivered grid electricity [-].
    dh_renewable_share
        Renewable share of delivered district heat [-].
    dh_allocation
        District-heating allocation method the heat factors rest on (domain.md §6).
    factor_set
        The annual factor set behind the arrays.
    hourly
        True when electricity factors come from an hourly file.
    source
        Where the values come from.
    """

    name: str
    time: pd.DatetimeIndex
    pef: dict[str, np.ndarray]
    pef_export: dict[str, np.ndarray]
    co2_kg_per_kwh: dict[str, np.ndarray]
    co2_export_kg_per_kwh: dict[str, np.ndarray]
    grid_renewable_share: float
    dh_allocation: str
    factor_set: FactorSet
    hourly: bool = False
    source: str = ""
    dh_renewable_share: float = 0.0

    def annual(self) -> StepFactors:
        """The same factor set without the hourly file (annual values on every step)."""
        if not self.hourly:
            return self
        return step_factors(self.factor_set, self.time, dh_allocation=self.dh_allocation)

    def check_aligned(self, flows: Flows) -> None:
        """Raise :class:`~sparcs.errors.DataError` unless the factors share the flows' steps."""
        if len(self.time) != len(flows.time) or not self.time.equals(flows.time):
            msg = (f"factors {self.name!r} are resolved for {len(self.time)} steps from "
                   f"{self.time[0].isoformat()}, the flows have {len(flows.time)} steps from "
                   f"{flows.time[0].isoformat()}; resolve them with step_factors(..., flows.time)")
            raise DataError(msg)


def read_hourly_factors(path: str | Path) -> pd.DataFrame:
    """Read an hourly grid-factor file.

    Parameters
    ----------
    path
        CSV with ``time`` (ISO 8601 with offset) and ``co2_kg_per_kwh`` [kg CO2-eq/kWh];
        optional ``pef`` [kWh_PE/kWh], ``co2_export_kg_per_kwh`` and ``pef_export``.

    Returns
    -------
    pandas.DataFrame
        Indexed by UTC ``time``.

    Raises
    ------
    DataError, TimeIndexError
        Missing file or column, bad values or naive timestamps.
    """
    required, optional = HOURLY_COLUMNS
    return read_time_csv(path, required=required, optional=optional, what="hourly factor file")


def _apply_hourly(arrays: dict[str, dict[str, np.ndarray]], hourly: pd.DataFrame,
                  time: pd.DatetimeIndex) -> None:
    """Replace the electricity arrays by the hourly series (export ones fall back to import)."""
    aligned = align_to_steps(hourly, time, what="hourly factor file")
    series = {c: aligned[:, i] for i, c in enumerate(hourly.columns)}
    el = "electricity"
    arrays["co2_kg_per_kwh"][el] = series["co2_kg_per_kwh"]
    arrays["co2_export_kg_per_kwh"][el] = series.get("co2_export_kg_per_kwh", series["co2_kg_per_kwh"])
    if "pef" in series:
        arrays["pef"][el] = series["pef"]
        arrays["pef_export"][el] = series.get("pef_export", series["pef"])


def step_factors(
    factor_set: FactorSet | str,
    time: pd.DatetimeIndex,
    *,
    hourly: pd.DataFrame | None = None,
    dh_allocation: str | None = None,
) -> StepFactors:
    """Resolve a factor set, and optionally hourly electricity factors, to per-step arrays.

    Parameters
    ----------
    factor_set
        A :class:`~sparcs.data.FactorSet` or the name of an embedded one.
    time
        Steps of the flows (UTC).
    hourly
        Output of :func:`read_hourly_factors`; aligned to ``time`` (mean of rows inside a
        step, forward fill otherwise).
    dh_allocation
        Label overriding the set's district-heating allocation method.

    Returns
    -------
    StepFactors

    Raises
    ------
    DataError
        When the hourly series does not cover ``time``.

    References
    ----------
    Gabaldón Moreno et al., *Sustainability* 13(2) 710 (2021), step 6 (annual PEFs);
    *Energies* 14(16) 4864 (2021) (hourly PEFs).
    """
    check_index(time, what="factor steps")
    fs = get_factor_set(factor_set) if isinstance(factor_set, str) else factor_set
    n = len(time)
    arrays: dict[str, dict[str, np.ndarray]] = {
        field: {c: np.full(n, float(getattr(fs[c], field))) for c in CARRIERS} for field in _FIELDS
    }
    source = f"factor set {fs.name} ({fs.description})"
    if hourly is not None:
        _apply_hourly(arrays, hourly, time)
        source += "; hourly electricity factors from file"
    return StepFactors(
        name=fs.name,
        time=time,
        pef=arrays["pef"],
        pef_export=arrays["pef_export"],
        co2_kg_per_kwh=arrays["co2_kg_per_kwh"],
        co2_export_kg_per_kwh=arrays["co2_export_kg_per_kwh"],
        grid_renewable_share=fs.grid_renewable_share,
        dh_renewable_share=fs.dh_renewable_share,
        dh_allocation=dh_allocation or fs.dh_allocation,
        factor_set=fs,
        hourly=hourly is not None,
        source=source,
    )


def scenario_factors(scenario: Scenario, time: pd.DatetimeIndex, *, hourly: bool = True) -> StepFactors:
    """Resolve the factors of ``scenario`` to the steps ``time``.

    Parameters
    ----------
    scenario
        Uses ``scenario.factor_set_name``, ``factors.hourly_file`` and ``factors.dh_allocation``.
    time
        Steps of the flows (UTC).
    hourly
        Use the hourly file when the scenario names one; False gives the annual set only.
    """
    frame = None
    if hourly and scenario.factors.hourly_file is not None:
        frame = read_hourly_factors(scenario.factors.hourly_file)
    return step_factors(scenario.factor_set_name, time, hourly=frame,
                        dh_allocation=scenario.factors.dh_allocation)
