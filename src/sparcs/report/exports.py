"""Machine-readable exports of a run: Parquet, CSV and JSON files in one folder.

Files written by :func:`write_exports`:

``flows.parquet``
    Every flow and state per step and node, long format (:meth:`Flows.to_parquet`) [kWh].
``flows_hourly.csv``
    District totals (sum over nodes) of every flow and state per step, with UTC ISO 8601
    period-beginning timestamps in column ``time`` [kWh per step]. The name keeps ``hourly``
    for the default step; the file holds whatever step the flows have.
``kpis.json``
    :meth:`KpiReport.to_dict`: every KPI with value and unit, the PED class and its reason;
    with the operation strategy that produced the flows under ``strategy``
    (``{"name": ..., "settings": {...}}``) when it is given.
``per_building.csv``, ``monthly.csv``
    The per-building and monthly KPI tables. A column with a known unit
    (``attrs["units"]``) is headed ``"name [unit]"``.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from sparcs.kpi.report import KpiReport
from sparcs.operation.flows import FLOW_NAMES, STATE_NAMES, Flows

__all__ = ["EXPORT_FILES", "district_totals", "write_exports"]

#: Export key -> file name.
EXPORT_FILES = {
    "flows": "flows.parquet",
    "flows_hourly": "flows_hourly.csv",
    "kpis": "kpis.json",
    "per_building": "per_building.csv",
    "monthly": "monthly.csv",
}


def district_totals(flows: Flows) -> pd.DataFrame:
    """Every flow and state summed over nodes, per step [kWh].

    Returns
    -------
    pandas.DataFrame
        UTC index named ``time``; one column per name of :data:`FLOW_NAMES` and
        :data:`STATE_NAMES`.
    """
    return pd.DataFrame(
        {name: flows.total(name) for name in (*FLOW_NAMES, *STATE_NAMES)}, index=flows.time
    )


def _with_units(frame: pd.DataFrame) -> pd.DataFrame:
    units = dict(frame.attrs.get("units", {}))
    renamed = {c: f"{c} [{units[c]}]" for c in frame.columns if units.get(c)}
    return frame.rename(columns=renamed)


def _write_table(frame: pd.DataFrame, path: Path, index_label: str) -> Path:
    table = _with_units(frame)
    table.index = (
        table.index.astype(str) if isinstance(table.index, pd.PeriodIndex) else table.index
    )
    table.to_csv(path, index=True, index_label=str(table.index.name or index_label))
    return path


def write_exports(
    out_dir: str | Path,
    flows: Flows,
    kpis: KpiReport,
    *,
    strategy: Mapping[str, Any] | None = None,
    only: Collection[str] | None = None,
) -> dict[str, Path]:
    """Write the flows and KPIs of a run as Parquet, CSV and JSON files.

    Parameters
    ----------
    out_dir
        Output folder; created if missing. Existing files of the same names are replaced.
    flows
        The flows [kWh per step].
    kpis
        The KPI report.
    strategy
        The operation strategy, ``{"name": ..., "settings": {...}}``, written to
        ``kpis.json`` under ``strategy``.
    only
        Keys of :data:`EXPORT_FILES` to write; None for all.

    Returns
    -------
    dict of str to pathlib.Path
        Key of :data:`EXPORT_FILES` -> written file.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    unknown = set(only or ()) - set(EXPORT_FILES)
    if unknown:
        msg = (
            f"unknown export(s) {', '.join(sorted(unknown))}; choose from {', '.join(EXPORT_FILES)}"
        )
        raise ValueError(msg)
    paths = {key: out / name for key, name in EXPORT_FILES.items() if only is None or key in only}
    if "flows" in paths:
        flows.to_parquet(paths["flows"])
    if "flows_hourly" in paths:
        totals = district_totals(flows)
        totals.index = pd.Index(flows.time.strftime("%Y-%m-%dT%H:%M:%S+00:00"), name="time")
        totals.to_csv(paths["flows_hourly"], index=True)
    if "kpis" in paths and strategy is None:
        kpis.to_json(paths["kpis"])
    elif "kpis" in paths:
        data = {"strategy": dict(strategy or {}), **kpis.to_dict()}
        paths["kpis"].write_text(json.dumps(data, indent=2, default=float), encoding="utf-8")
    if "per_building" in paths:
        _write_table(kpis.per_building, paths["per_building"], "building")
    if "monthly" in paths:
        _write_table(kpis.monthly, paths["monthly"], "month")
    return paths
