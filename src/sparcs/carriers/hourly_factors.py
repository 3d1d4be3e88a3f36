"""Hourly electricity factors: a user's hourly file or the embedded grid-CO2 shape.

How they enter the per-step factors is described in :mod:`sparcs.carriers.factors`.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from sparcs.carriers.series_files import align_to_steps, read_time_csv
from sparcs.data import FactorSet, hourly_grid_co2

__all__ = ["HOURLY_COLUMNS", "apply_hourly", "embedded_grid_co2", "read_hourly_factors"]

#: Columns of an hourly factor file: (required, optional).
HOURLY_COLUMNS = (("co2_kg_per_kwh",), ("pef", "co2_export_kg_per_kwh", "pef_export"))


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


def apply_hourly(
    arrays: dict[str, dict[str, np.ndarray]],
    hourly: pd.DataFrame,
    time: pd.DatetimeIndex,
    k_exp: float,
) -> None:
    """Replace the electricity arrays by the hourly series (export ones fall back to import).

    An hourly ``pef`` is f_P,nren; f_P,tot keeps its annual renewable part,
    f_P,tot(t) = f_P,nren(t) + f_P,ren.

    Parameters
    ----------
    arrays
        Field -> carrier -> per-step factors (:class:`~sparcs.carriers.factors.StepFactors`
        fields) [kWh_PE/kWh, kg CO2-eq/kWh]; the electricity arrays are replaced in place.
    hourly
        The file's series (:func:`read_hourly_factors`), UTC-indexed.
    time
        Steps to resolve onto (UTC).
    k_exp
        Weight of the export credit, 0..1 [-].
    """
    aligned = align_to_steps(hourly, time, what="hourly factor file")
    series = {c: aligned[:, i] for i, c in enumerate(hourly.columns)}
    el = "electricity"
    arrays["co2_kg_per_kwh"][el] = series["co2_kg_per_kwh"]
    arrays["co2_export_kg_per_kwh"][el] = k_exp * series.get(
        "co2_export_kg_per_kwh", series["co2_kg_per_kwh"]
    )
    if "pef" in series:
        ren = arrays["pef_tot"][el] - arrays["pef"][el]
        ren_exp = arrays["pef_tot_export"][el] - arrays["pef_export"][el]
        arrays["pef"][el] = series["pef"]
        arrays["pef_export"][el] = k_exp * series.get("pef_export", series["pef"])
        arrays["pef_tot"][el] = series["pef"] + ren
        arrays["pef_tot_export"][el] = arrays["pef_export"][el] + ren_exp


def embedded_grid_co2(
    factor_set: FactorSet, country: str, time: pd.DatetimeIndex
) -> tuple[np.ndarray, np.ndarray]:
    """Embedded hourly grid CO2 shape scaled to the annual factors of ``factor_set``.

    Parameters
    ----------
    factor_set
        Gives the annual electricity factors of delivered and exported energy [kg CO2-eq/kWh].
    country
        Country of the embedded series (:data:`sparcs.data.GRID_CO2_COUNTRIES`).
    time
        Steps (UTC).

    Returns
    -------
    tuple of numpy.ndarray
        Emission factor of delivered and credit of exported electricity per step, shape
        (time,) [kg CO2-eq/kWh].

    Raises
    ------
    ScenarioError
        When the country has no embedded series (IS, UA).

    Notes
    -----
    :math:`EF(t) = EF_{annual}\\, g(t) / \\bar g_Y`, where :math:`g` is the embedded series
    mapped to the steps and :math:`\\bar g_Y` its plain mean over the hours of the UTC
    calendar year :math:`Y` holding the middle step; so a year's plain mean is the annual
    factor (to the hour or two a local year reaches into the next UTC year).
    """
    middle = time[len(time) // 2]
    year = pd.date_range(
        pd.Timestamp(year=middle.year, month=1, day=1, tz="UTC"),
        pd.Timestamp(year=middle.year + 1, month=1, day=1, tz="UTC"),
        freq="1h",
        inclusive="left",
        name="time",
    )
    shape = hourly_grid_co2(country, time) / float(hourly_grid_co2(country, year).mean())
    el = factor_set["electricity"]
    return shape * el.co2_kg_per_kwh, shape * el.co2_exp_kg_per_kwh
