"""The meters of a replay: what a district's meters would have sent, into the store.

The exogenous readings of a period are written once, as a meter file
(:func:`write_readings`); the levels the replay's stores reach and the grid exchange of each
step are sent every step as the meters would send them (:func:`send_readings`): checked,
flagged and stored as one batch by the same code as any file (:func:`~sparcs.monitoring.
ingest.prepare`, :meth:`~sparcs.store.Store.write_batch`), without a round trip through a
CSV text of a dozen rows.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd

from sparcs.monitoring.ingest import MeterSpec, prepare
from sparcs.monitoring.ingest.prepare import PreparedReadings
from sparcs.monitoring.ingest.raw import RawReadings
from sparcs.operation.flows import DISTRICT_NODE
from sparcs.profiles.inputs import Inputs
from sparcs.scenario import Scenario
from sparcs.scenario.assets import Battery, ThermalStorage
from sparcs.store import Store, ingest_file
from sparcs.store.staged import StagedBatch, stage_batch

__all__ = [
    "checked_readings",
    "exogenous_readings",
    "measured_series",
    "replay_meters",
    "send_readings",
    "stage_readings",
    "write_readings",
]


def replay_meters(scenario: Scenario) -> dict[str, MeterSpec]:
    """The grid meter, one meter per building and forecast quantity, a state meter per store.

    Parameters
    ----------
    scenario
        The district.

    Returns
    -------
    dict of str to MeterSpec
        Id (``"<building>:<quantity>"``) → meter.
    """
    meters = {
        f"{DISTRICT_NODE}:{quantity}": MeterSpec(
            id=f"{DISTRICT_NODE}:{quantity}", node=DISTRICT_NODE, quantity=quantity, unit="kWh"
        )
        for quantity in ("grid_import_kwh", "grid_export_kwh")
    }
    district = scenario.district
    stores: list[tuple[str, list[str], Battery | None, ThermalStorage | None]] = [
        (DISTRICT_NODE, [], district.battery, district.thermal_storage)
    ]
    for building in scenario.buildings:
        forecast = ["electricity_demand_kwh", "heat_demand_kwh", "pv_kwh"]
        stores.append((building.id, forecast, building.battery, building.thermal_storage))
    for node, quantities, battery, tank in stores:
        if battery is not None and battery.capacity_kwh > 0:
            quantities.append("battery_soc_kwh")
        if tank is not None and tank.capacity_kwh > 0:
            quantities.append("tes_soc_kwh")
        for quantity in quantities:
            meter = MeterSpec(id=f"{node}:{quantity}", node=node, quantity=quantity, unit="kWh")
            meters[meter.id] = meter
    return meters


def _write(store: Store, frame: pd.DataFrame, meters: dict[str, MeterSpec], folder: Path) -> None:
    path = folder / "readings.csv"
    frame.to_csv(path, index=False, date_format="%Y-%m-%dT%H:%M:%SZ")
    ingest_file(store, path, meters)


def write_readings(
    store: Store, scenario: Scenario, actual: Inputs, start: int, stop: int, folder: Path
) -> None:
    """Write the exogenous readings of steps ``start`` to ``stop`` from ``actual`` profiles.

    Parameters
    ----------
    store
        The open store.
    scenario
        The district.
    actual
        Profiles taken as what the meters measured [kW, interval means].
    start, stop
        Steps of ``actual`` to write.
    folder
        Where the CSV file passes through.
    """
    meters = replay_meters(scenario)
    ids, kwh = exogenous_readings(actual)
    time = actual.time[start:stop]
    frame = pd.DataFrame(
        {
            "time": np.tile(time, len(ids)),
            "meter": np.repeat(ids, len(time)),
            "value": kwh[start:stop].T.reshape(-1),
        }
    )
    _write(store, frame, meters, folder)


def measured_series(actual: Inputs) -> dict[str, np.ndarray]:
    """The quantities a building's demand and PV meters measure, from profiles.

    Parameters
    ----------
    actual
        Profiles taken as what the meters measured.

    Returns
    -------
    dict of str to numpy.ndarray
        ``electricity_demand_kwh``, ``heat_demand_kwh`` (space heat and hot water) and
        ``pv_kwh`` → mean power per step and building (steps, buildings) [kW].
    """
    b = actual.building
    return {
        "electricity_demand_kwh": b["electricity_kw"],
        "heat_demand_kwh": b["space_heat_kw"] + b["dhw_kw"],
        "pv_kwh": b["pv_kw"],
    }


def exogenous_readings(actual: Inputs) -> tuple[np.ndarray, np.ndarray]:
    """What the demand and PV meters of every building measure, every step of ``actual``.

    Parameters
    ----------
    actual
        Profiles taken as what the meters measured [kW, interval means].

    Returns
    -------
    ids, kwh
        Meter id of each column (``"<building>:<quantity>"``, the buildings in order, each
        with electricity demand, heat demand and PV), and energy per step and meter
        (steps, meters) [kWh].
    """
    series = measured_series(actual)
    ids, columns = [], []
    for j, building in enumerate(actual.building_ids):
        for quantity, values in series.items():
            ids.append(f"{building}:{quantity}")
            columns.append(np.asarray(values[:, j]) * actual.dt_h)
    return np.array(ids, dtype=object), np.column_stack(columns)


def checked_readings(
    meters: dict[str, MeterSpec],
    time: np.ndarray,
    meter: np.ndarray,
    value: np.ndarray,
    now: pd.Timestamp | None = None,
) -> PreparedReadings:
    """Readings of the replay's meters checked and flagged as a meter file's are.

    Parameters
    ----------
    meters
        The meter map (:func:`replay_meters`).
    time
        UTC start of each reading [ns since the epoch].
    meter
        Meter id of each reading.
    value
        Energy [kWh] or level [kWh] of each reading.
    now
        The time readings from the future are judged against; None: the clock's.

    Returns
    -------
    PreparedReadings
        The batch, ready for the store.
    """
    raw = RawReadings(
        source="replay meters",
        meter=np.asarray(meter, dtype=object),
        time=np.asarray(time, dtype=np.int64),
        value=np.asarray(value, dtype=float),
        missing=np.zeros(len(meter), dtype=bool),
        line=lambda position: position + 1,
    )
    return prepare(raw, meters, now=pd.Timestamp.now(tz="UTC") if now is None else now)


def send_readings(
    store: Store,
    meters: dict[str, MeterSpec],
    time: np.ndarray,
    meter: np.ndarray,
    value: np.ndarray,
) -> None:
    """Store readings as one batch, checked and flagged as a meter file's are.

    Parameters
    ----------
    store
        The open store; the meters are registered already (``Store.put_meters``, as
        :func:`~sparcs.live.replay.replay` does first).
    meters
        The meter map (:func:`replay_meters`).
    time
        UTC start of each reading [ns since the epoch].
    meter
        Meter id of each reading.
    value
        Energy [kWh] or level [kWh] of each reading.
    """
    if len(meter):
        stage_readings(store, meters, time, meter, value).commit()


def stage_readings(
    store: Store,
    meters: dict[str, MeterSpec],
    time: np.ndarray,
    meter: np.ndarray,
    value: np.ndarray,
) -> StagedBatch:
    """:func:`send_readings`, the batch's rows given to the readings' log now and written to
    the store at :meth:`~sparcs.store.staged.StagedBatch.commit` (:mod:`sparcs.store.staged`).

    Parameters
    ----------
    store, meters, time, meter, value
        As :func:`send_readings` takes them (at least one reading).

    Returns
    -------
    StagedBatch
        The batch (written already when it could not be staged).
    """
    ready = checked_readings(meters, time, meter, value)
    time_ns, kwh = np.asarray(time, dtype=np.int64), np.asarray(value, dtype=float)
    digest = hashlib.sha256(time_ns.tobytes() + kwh.tobytes()).hexdigest()
    return stage_batch(store, ready, file="replay meters", checksum=digest, fmt="replay")
