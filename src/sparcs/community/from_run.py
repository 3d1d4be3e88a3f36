"""Readings of a simulated district: its buildings as the members of an energy community.

What a building's meter sees is what crosses it: consumption = ``grid_import_kwh +
shared_in_kwh`` (drawn from the grid or from the district's shared assets), production =
``grid_export_kwh + shared_out_kwh`` (fed out), both from the run's flows, so a district
simulated with ``sharing = "community"`` or ``"grid"`` settles alike. The district node
(shared PV, batteries, heat plants) is one more member, ``district``, when it has any net
production or consumption of its own: its exchanges with the buildings mirror theirs, so
its own surplus per step is ``grid_export + shared_out - grid_import - shared_in`` (a
producer where positive, a consumer where negative).
"""

from __future__ import annotations

import json
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from sparcs.community.readings import STEPS_MIN, Readings
from sparcs.errors import DataError
from sparcs.operation.flows import DISTRICT_NODE, Flows

__all__ = ["FLOW_COLUMNS", "read_run", "readings_from_flows"]

#: The flows read from a run [kWh per step].
FLOW_COLUMNS = ("grid_import_kwh", "grid_export_kwh", "shared_in_kwh", "shared_out_kwh")


def _offsets(time: pd.DatetimeIndex, timezone: str) -> np.ndarray:
    utc = time.as_unit("ns")
    wall = utc.tz_convert(ZoneInfo(timezone)).tz_localize(None).asi8
    return np.asarray((wall - utc.asi8) // 60_000_000_000, dtype=np.int64)


def _readings(
    time: pd.DatetimeIndex,
    nodes: list[str],
    flows: dict[str, np.ndarray],
    timezone: str,
    source: str,
) -> Readings:
    step = (time[1] - time[0]) / pd.Timedelta(minutes=1) if len(time) > 1 else 0
    if step not in STEPS_MIN:
        msg = (
            f"{source}: the run has {step:g}-minute steps; settlement takes 15-minute or "
            "hourly steps: run the scenario with one of those"
        )
        raise DataError(msg)
    consumption = flows["grid_import_kwh"] + flows["shared_in_kwh"]
    production = flows["grid_export_kwh"] + flows["shared_out_kwh"]
    keep = list(range(len(nodes)))
    if DISTRICT_NODE in nodes:
        d = nodes.index(DISTRICT_NODE)
        own = production[:, d] - consumption[:, d]
        own[np.abs(own) < 1e-9] = 0.0  # the simulation's rounding, not energy
        production[:, d] = np.maximum(own, 0.0)
        consumption[:, d] = np.maximum(-own, 0.0)
        if not (production[:, d].any() or consumption[:, d].any()):
            keep.remove(d)
    # rounding of the simulation may leave -1e-15 where a flow is zero
    return Readings(
        time=pd.DatetimeIndex(time.as_unit("ns"), name="time"),
        members=tuple(nodes[i] for i in keep),
        consumption_kwh=np.maximum(consumption[:, keep], 0.0),
        production_kwh=np.maximum(production[:, keep], 0.0),
        utc_offset_min=_offsets(time, timezone),
        source=source,
    )


def readings_from_flows(flows: Flows, *, source: str = "simulated district") -> Readings:
    """Readings of every building (and the district node) of simulated flows.

    Parameters
    ----------
    flows
        Flows of a run (:attr:`sparcs.runner.RunResult.flows`) [kWh per step].
    source
        Name of the readings, for messages.

    Returns
    -------
    Readings
        One member per building, plus ``district`` where the shared assets have a net
        production or consumption [kWh].

    Raises
    ------
    DataError
        Steps other than 15 or 60 minutes.
    """
    data = {name: np.array(flows[name], dtype=float) for name in FLOW_COLUMNS}
    return _readings(flows.time, list(flows.nodes), data, flows.timezone, source)


def read_run(folder: str | Path) -> Readings:
    """Readings of the buildings of a ``sparcs run`` output folder.

    Parameters
    ----------
    folder
        A run's folder with ``flows.parquet`` and ``kpis.json`` (for the district's time
        zone), as ``sparcs run`` writes them.

    Returns
    -------
    Readings
        As :func:`readings_from_flows` [kWh].

    Raises
    ------
    DataError
        A folder without the run's files, or flows that cannot be read.
    """
    import pyarrow.parquet as pq

    folder = Path(folder)
    path, meta = folder / "flows.parquet", folder / "kpis.json"
    for needed in (path, meta):
        if not needed.is_file():
            msg = (
                f"{folder}: no {needed.name}; --run takes the folder of one run as "
                "'sparcs run' writes it (e.g. sparcs-out/<scenario>)"
            )
            raise DataError(msg)
    try:
        timezone = str(json.loads(meta.read_text(encoding="utf-8"))["meta"]["timezone"])
        table = pq.read_table(path, columns=["time", "node", *FLOW_COLUMNS])
    except (KeyError, ValueError, OSError) as exc:
        msg = f"{folder}: cannot read the run ({exc}); run the scenario again with 'sparcs run'"
        raise DataError(msg) from None
    node = table.column("node").combine_chunks()
    codes = node.indices.to_numpy(zero_copy_only=False)
    names = [str(n) for n in node.dictionary.to_pylist()]
    stamps = table.column("time").to_numpy().astype("datetime64[ns]").view(np.int64)
    instants, t_index = np.unique(stamps, return_inverse=True)
    data = {}
    for name in FLOW_COLUMNS:
        matrix = np.zeros((len(instants), len(names)))
        matrix[t_index, codes] = table.column(name).to_numpy()
        data[name] = matrix
    # buildings in file order, the district node last (as in Flows)
    present = sorted(set(codes.tolist()), key=lambda c: (names[c] == DISTRICT_NODE, c))
    data = {k: v[:, present] for k, v in data.items()}
    time = pd.DatetimeIndex(pd.to_datetime(instants, utc=True))
    return _readings(time, [names[c] for c in present], data, timezone, str(folder))
