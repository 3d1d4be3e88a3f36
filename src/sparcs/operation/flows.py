"""The :class:`Flows` container: energy per step, per node, per carrier.

Nodes are the buildings plus one node, ``"district"``, holding the shared assets and the
district's grid connection (the PED boundary meter). Every flow is energy per step [kWh],
non-negative and directional. Every KPI is computed from a Flows object, simulated or measured.

The flow names and the balance per carrier and node that they keep in every step are in
:mod:`sparcs.operation.balance` (importable from here too).

``virtual_kwh`` (electricity) and ``virtual_heat_kwh`` (heat, as generated at the remote plant)
are the output of remote assets counted under a virtual boundary; they are in no balance.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sparcs._memory import check_support
from sparcs.errors import DataError
from sparcs.operation.balance import (
    BALANCES,
    FLOW_NAMES,
    STATE_NAMES,
    balance_residuals,
    check_balance,
)
from sparcs.timeseries import check_index, to_zoneinfo

__all__ = [
    "BALANCES",
    "DISTRICT_NODE",
    "FLOW_NAMES",
    "STATE_NAMES",
    "Flows",
    "balance_residuals",
    "check_balance",
]

DISTRICT_NODE = "district"

#: Rows per Parquet row group written by :meth:`Flows.to_parquet`.
_ROWS_PER_GROUP = 1_000_000


@dataclass(frozen=True)
class Flows:
    """Energy flows of a district over a period.

    Attributes
    ----------
    time
        UTC index of the steps (period-beginning labels).
    dt_h
        Step length [h].
    nodes
        Building ids followed by :data:`DISTRICT_NODE`.
    data
        Mapping from every name in :data:`FLOW_NAMES` and :data:`STATE_NAMES` to an array
        shaped (time, node) [kWh].
    fuel
        Fuel of each node's boiler and CHP (``"gas"``, ``"oil"``, ``"biomass"`` or ``""``).
    floor_area_m2
        Conditioned floor area per node (0 for the district node) [m2].
    residents
        Residents per node (0 for the district node).
    timezone
        IANA zone of the district (e.g. ``"Europe/Helsinki"``): the local time of monthly
        KPIs, peak times and reports. The index itself stays UTC.
    sharing
        ``"community"`` or ``"building"``: how buildings exchange electricity.
    capacities
        Mapping name -> array (node,) of installed sizes used by KPIs:
        ``battery_kwh``, ``tes_kwh``, ``pv_kwp``, ``ev_points``; the rule simulation adds
        ``wind_kw``, ``solar_thermal_m2``, ``hp_kw`` (thermal, including sized heat pumps),
        ``chp_el_kw`` and ``eboiler_kw``.
    notes
        Human-readable remarks of the run that produced the flows: limit violations (grid
        import above the connection limit), sizing made on the user's behalf, simplifications.
    support
        For some flows, a mask (node,) of the nodes where the flow may be non-zero; it is
        zero at every other node. A flow not listed may be non-zero anywhere. Only a producer
        that knows it sets it (:meth:`with_support`, the rule simulation), so that readers
        skip the rest: a heat pump's flows are read only in the buildings with a heat pump.
        It is not an argument of the constructor: :func:`dataclasses.replace` gives flows
        without a support (always right, maybe slower), :meth:`replace_data` keeps it for the
        flows it does not change.

    Every array of ``data`` is read-only (a view of the producer's array): a KPI may cache a
    reduction of a Flows object for its lifetime. See ``docs/memory.md``.
    """

    time: pd.DatetimeIndex
    dt_h: float
    nodes: tuple[str, ...]
    data: dict[str, np.ndarray]
    fuel: tuple[str, ...]
    floor_area_m2: np.ndarray
    residents: np.ndarray
    timezone: str
    sharing: str = "community"
    capacities: dict[str, np.ndarray] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    support: dict[str, np.ndarray] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        check_index(self.time, what="flows")
        to_zoneinfo(self.timezone)
        shape = (len(self.time), len(self.nodes))
        for name in (*FLOW_NAMES, *STATE_NAMES):
            if name not in self.data:
                msg = f"flows lack {name!r}; every flow name must be present (zeros if unused)"
                raise DataError(msg)
            if self.data[name].shape != shape:
                msg = f"flows {name!r} has shape {self.data[name].shape}, expected {shape}"
                raise DataError(msg)
        # a new dict of read-only views: the producer's arrays and mapping stay as they were
        object.__setattr__(self, "data", {name: _read_only(v) for name, v in self.data.items()})

    @classmethod
    def with_support(cls, support: Mapping[str, np.ndarray], **fields: Any) -> Flows:
        """Flows built from ``fields`` whose flows are zero outside ``support``.

        Parameters
        ----------
        support
            Flow name -> mask (node,) of the nodes where it may be non-zero. The producer
            vouches for it; it is checked for shape and names, not for zeros (that would read
            the memory it saves).
        **fields
            The constructor's arguments.
        """
        flows = cls(**fields)  # the constructor checks them
        check_support(
            support, flows.data, len(flows.nodes), what="flows", columns="nodes of a known flow"
        )
        object.__setattr__(flows, "support", dict(support))
        return flows

    def replace_data(self, changes: Mapping[str, np.ndarray]) -> Flows:
        """These flows with some arrays replaced; the support of the unchanged ones is kept."""
        new = dataclasses.replace(self, data={**self.data, **changes})
        kept = {name: mask for name, mask in self.support.items() if name not in changes}
        object.__setattr__(new, "support", kept)
        return new

    @property
    def building_ids(self) -> tuple[str, ...]:
        """The building nodes (all nodes but the district node)."""
        return self.nodes[:-1]

    def __getitem__(self, name: str) -> np.ndarray:
        return self.data[name]

    def nonzero_nodes(self, name: str) -> np.ndarray | None:
        """Positions of the nodes where flow ``name`` may be non-zero; None if it may anywhere."""
        mask = self.support.get(name)
        return None if mask is None else np.flatnonzero(mask)

    def total(self, name: str) -> np.ndarray:
        """Flow ``name`` summed over all nodes, per step [kWh].

        Only the nodes of the flow's ``support`` are read (the sum is the same): the others
        are zeros that a producer may never have written, and reading them would map memory.
        """
        mask = self.support.get(name)
        if mask is None:
            result: np.ndarray = self.data[name].sum(axis=1)
            return result
        result = self.data[name].sum(axis=1, where=mask[None, :])
        return result

    def frame(self, name: str) -> pd.DataFrame:
        """Flow ``name`` as a DataFrame (time x node) [kWh]."""
        return pd.DataFrame(self.data[name], index=self.time, columns=list(self.nodes))

    def to_long(self) -> pd.DataFrame:
        """All flows in long form: columns time, node, one column per flow [kWh]."""
        n_t, n_n = len(self.time), len(self.nodes)
        frame = pd.DataFrame(
            {
                "time": np.repeat(self.time.values, n_n),
                "node": np.tile(np.array(self.nodes, dtype=object), n_t),
            }
        )
        for name in (*FLOW_NAMES, *STATE_NAMES):
            frame[name] = self.data[name].reshape(-1)
        frame["time"] = (
            pd.DatetimeIndex(frame["time"]).tz_localize("UTC")
            if frame["time"].dt.tz is None
            else frame["time"]
        )
        return frame

    def to_parquet(self, path: str | Path) -> Path:
        """Write every flow in long form (as :meth:`to_long`) to Parquet; return the path.

        Rows come node by node (all steps of a node, then the next), written in row groups
        of about a million rows, so a district of any size is written in bounded memory;
        ``node`` is dictionary-encoded, every column zstd-compressed.
        """
        import pyarrow as pa
        import pyarrow.parquet as pq

        path = Path(path)
        n_t, names = len(self.time), (*FLOW_NAMES, *STATE_NAMES)
        time = pa.array(
            self.time.tz_convert("UTC").as_unit("ns"), type=pa.timestamp("ns", tz="UTC")
        )
        nodes = pa.array(list(self.nodes), type=pa.string())
        schema = pa.schema(
            [
                ("time", time.type),
                ("node", pa.dictionary(pa.int32(), pa.string())),
                *((name, pa.float64()) for name in names),
            ]
        )
        width = max(1, _ROWS_PER_GROUP // max(n_t, 1))
        # dictionary encoding pays for the node names only: on the flows it doubled the
        # writing time for a fifth of the size, which zstd gets back at less cost
        with pq.ParquetWriter(path, schema, use_dictionary=["node"], compression="zstd") as writer:
            for start in range(0, len(self.nodes), width):
                stop = min(start + width, len(self.nodes))
                codes = np.repeat(np.arange(start, stop, dtype=np.int32), n_t)
                columns = [
                    pa.concat_arrays([time] * (stop - start)),
                    pa.DictionaryArray.from_arrays(pa.array(codes), nodes),
                ]
                columns += [
                    pa.array(np.asarray(self.data[name][:, start:stop]).T.reshape(-1))
                    for name in names
                ]
                writer.write_table(pa.Table.from_arrays(columns, schema=schema))
        return path


def _read_only(values: np.ndarray) -> np.ndarray:
    """A read-only view of ``values`` (the array itself when it already is read-only)."""
    if not values.flags.writeable:
        return values
    view = values.view()
    view.flags.writeable = False
    return view
