"""City-scale runs: a district of many buildings in blocks, simulated on workers, reduced exactly.

The buildings are cut into **blocks** of ``block_size`` buildings, in scenario order. A block is
the unit of profile diversity: block ``k`` draws its random profile diversity from the seed
``scenario.seed + 10 k`` (block 0 keeps the scenario's seed, so a district of one block has
exactly the profiles of :func:`sparcs.run`). Blocks are grouped into **chunks**, the tasks a
worker runs: weather, profiles and the rule simulation of each block, then the block's flows
summed over its buildings per step, one column per boiler fuel (the KPIs need the fuel
burnt by carrier). Only these sums travel back.

The driver adds the blocks' sums **in block order** (a block that arrives early waits for its
predecessors), so the result is bit-identical for every chunk size, executor and worker
count. It then resolves the district-level coupling exactly, as the rule simulation does:
with ``sharing = "community"`` the district node takes what the buildings hand over and gives
what they draw, and only the per-step remainder crosses the district meter
(``import = max(drawn - handed, 0)``, ``export = max(handed - drawn, 0)``); with
``"building"`` every building's meter is its own and the district node stays empty. The KPIs
are then computed on the aggregated flows with the scenario's own factors and tariff.

Shared district assets, a heat network, heat export, grid limits, virtual and functional
plants and baselines couple the buildings inside a step in ways not reduced here yet: such a
scenario is refused with a message naming the table (docs/network.md, "City-scale runs").

This module holds the pure work of a city-scale run (the chunks, a chunk's run, the sums,
the district meter and the KPIs); the fan-out over an executor and the ordering of the
arriving blocks is :func:`sparcs.scale.city_run.run_city`, in the shell.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from sparcs.climate import load_weather
from sparcs.errors import ScenarioError
from sparcs.kpi import compute_kpis
from sparcs.kpi.report import KpiReport
from sparcs.operation.flows import DISTRICT_NODE, FLOW_NAMES, STATE_NAMES, Flows
from sparcs.operation.rule import simulate
from sparcs.profiles.build import build_inputs
from sparcs.scenario import Scenario, scenario_from_dict

__all__ = [
    "FUELS",
    "SEED_STEP",
    "BlockSums",
    "Chunk",
    "CityResult",
    "add_block_sums",
    "city_chunks",
    "city_result",
    "refuse_coupling",
    "run_chunk",
]

#: Boiler fuels of the aggregated building nodes (``""`` = no fuel burnt).
FUELS = ("", "gas", "oil", "biomass")
#: Seed distance between consecutive blocks: each profile kind uses seed + 0..4.
SEED_STEP = 10


@dataclass(frozen=True)
class Chunk:
    """The task of one worker: some consecutive blocks of a district.

    Attributes
    ----------
    base
        The scenario without its buildings, as a plain mapping.
    blocks
        ``(block index, building mappings)`` per block.
    """

    base: dict[str, Any]
    blocks: tuple[tuple[int, tuple[dict[str, Any], ...]], ...]


@dataclass(frozen=True)
class BlockSums:
    """One block's flows summed over its buildings, one column per fuel of :data:`FUELS`.

    Attributes
    ----------
    index
        The block's position.
    data
        Flow and state name -> array (time, fuel) [kWh].
    floor_area_m2, residents
        Sums per fuel column.
    capacities
        Capacity name -> sums per fuel column.
    time, dt_h
        The steps (UTC) and their length [h].
    notes
        The simulation's notes.
    """

    index: int
    time: pd.DatetimeIndex
    dt_h: float
    data: dict[str, np.ndarray]
    floor_area_m2: np.ndarray
    residents: np.ndarray
    capacities: dict[str, np.ndarray]
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class CityResult:
    """A city-scale run.

    Attributes
    ----------
    kpis
        District KPIs and the PED verdict (per-building rows are per fuel group here).
    flows
        Flows of the aggregated nodes ``buildings``, ``buildings-gas``, ``buildings-oil``,
        ``buildings-biomass`` and the district node [kWh].
    n_buildings, n_blocks, n_chunks
        Sizes of the run.
    """

    kpis: KpiReport
    flows: Flows
    n_buildings: int
    n_blocks: int
    n_chunks: int
    notes: tuple[str, ...] = field(default_factory=tuple)


def refuse_coupling(scenario: Scenario) -> None:
    """Raise when ``scenario`` couples its buildings other than through the district meter.

    Parameters
    ----------
    scenario
        A validated scenario.

    Raises
    ------
    ScenarioError
        Naming every table that couples (shared district assets, grid limits, virtual or
        functional plants, a baseline), or when the district has no buildings.
    """
    district = scenario.district
    shared = [name for name in ("pv", "wind", "solar_thermal", "ev") if getattr(district, name)] + [
        name
        for name in (
            "battery",
            "thermal_storage",
            "heat_pump",
            "chp",
            "electric_boiler",
            "heat_export",
        )
        if getattr(district, name) is not None
    ]
    found = [f"district.{name}" for name in shared]
    if scenario.grid.import_limit_kw is not None or scenario.grid.export_limit_kw is not None:
        found.append("grid (import/export limits)")
    if scenario.boundary.virtual_assets or scenario.boundary.functional_plants:
        found.append("boundary (virtual assets, functional plants)")
    if scenario.baseline is not None:
        found.append("baseline")
    if not scenario.buildings:
        msg = "a city-scale run needs buildings: the scenario has none"
        raise ScenarioError(msg)
    if found:
        msg = (
            f"a city-scale run resolves only the district meter; {', '.join(found)} couple "
            "the buildings in ways not reduced yet: run this scenario with 'sparcs run'"
        )
        raise ScenarioError(msg)


def _block_sums(index: int, flows: Flows) -> BlockSums:
    n_b = len(flows.nodes) - 1
    fuel = np.array(flows.fuel[:n_b])
    columns = [np.flatnonzero(fuel == f) for f in FUELS]

    def by_fuel(array: np.ndarray) -> np.ndarray:
        out = np.zeros((array.shape[0], len(FUELS)))
        for j, cols in enumerate(columns):
            if cols.size:
                out[:, j] = array[:, cols].sum(axis=1)
        return out

    def per_fuel(values: np.ndarray) -> np.ndarray:
        return np.array([values[:n_b][cols].sum() for cols in columns])

    return BlockSums(
        index=index,
        time=flows.time,
        dt_h=flows.dt_h,
        data={name: by_fuel(flows.data[name]) for name in (*FLOW_NAMES, *STATE_NAMES)},
        floor_area_m2=per_fuel(flows.floor_area_m2),
        residents=per_fuel(flows.residents),
        capacities={k: per_fuel(np.asarray(v, dtype=float)) for k, v in flows.capacities.items()},
        notes=flows.notes,
    )


def run_chunk(chunk: Chunk) -> list[BlockSums]:
    """Simulate every block of ``chunk`` and reduce it to its sums (the worker's task).

    Parameters
    ----------
    chunk
        The blocks to run.

    Returns
    -------
    list of BlockSums
        One per block, in the chunk's order.
    """
    out = []
    weather = None
    for index, buildings in chunk.blocks:
        data = {**chunk.base, "buildings": list(buildings)}
        data["seed"] = int(chunk.base["seed"]) + SEED_STEP * index
        block = scenario_from_dict(data)
        weather = weather if weather is not None else load_weather(block)
        flows = simulate(block, build_inputs(block, weather))
        out.append(_block_sums(index, flows))
    return out


def city_chunks(scenario: Scenario, block_size: int, chunk_blocks: int) -> list[Chunk]:
    """The buildings of ``scenario`` in blocks of ``block_size``, grouped ``chunk_blocks`` a task.

    Parameters
    ----------
    scenario
        A validated scenario with buildings.
    block_size
        Buildings per block (>= 1), the unit of profile diversity.
    chunk_blocks
        Blocks per chunk (>= 1), the unit of work.

    Returns
    -------
    list of Chunk
        In block order.

    Raises
    ------
    ScenarioError
        When a size is below 1.
    """
    if block_size < 1 or chunk_blocks < 1:
        msg = f"block_size {block_size} and chunk_blocks {chunk_blocks} must be at least 1"
        raise ScenarioError(msg)
    base = scenario.model_dump(mode="python", exclude={"buildings_file", "buildings"})
    buildings = [b.model_dump(mode="python") for b in scenario.buildings]
    blocks = [
        (k, tuple(buildings[start : start + block_size]))
        for k, start in enumerate(range(0, len(buildings), block_size))
    ]
    return [
        Chunk(base, tuple(blocks[start : start + chunk_blocks]))
        for start in range(0, len(blocks), chunk_blocks)
    ]


def add_block_sums(a: BlockSums, b: BlockSums) -> BlockSums:
    """The sums of two blocks, carrying ``b``'s index (add them in block order).

    Parameters
    ----------
    a, b
        Sums of consecutive blocks (or runs of blocks) of one district.

    Returns
    -------
    BlockSums
        Element-wise sums [kWh]; areas, residents and capacities added per fuel.
    """
    keys = a.capacities.keys() | b.capacities.keys()
    zero = np.zeros(len(FUELS))
    return BlockSums(
        index=b.index,
        time=a.time,
        dt_h=a.dt_h,
        data={name: a.data[name] + b.data[name] for name in a.data},
        floor_area_m2=a.floor_area_m2 + b.floor_area_m2,
        residents=a.residents + b.residents,
        capacities={k: a.capacities.get(k, zero) + b.capacities.get(k, zero) for k in keys},
    )


def _district_flows(scenario: Scenario, sums: BlockSums) -> Flows:
    """The aggregated buildings plus the district node, its meter resolved per step."""
    n_t = sums.data["grid_import_kwh"].shape[0]
    data = {name: np.hstack([array, np.zeros((n_t, 1))]) for name, array in sums.data.items()}
    if scenario.boundary.sharing == "community":
        drawn = sums.data["shared_in_kwh"].sum(axis=1)
        handed = sums.data["shared_out_kwh"].sum(axis=1)
        net = drawn - handed
        data["grid_import_kwh"][:, -1] = np.maximum(net, 0.0)
        data["grid_export_kwh"][:, -1] = np.maximum(-net, 0.0)
        data["shared_in_kwh"][:, -1] = handed
        data["shared_out_kwh"][:, -1] = drawn
    nodes = (*(f"buildings-{f}" if f else "buildings" for f in FUELS), DISTRICT_NODE)
    return Flows(
        time=sums.time,
        dt_h=sums.dt_h,
        nodes=nodes,
        data=data,
        fuel=(*FUELS, ""),
        floor_area_m2=np.append(sums.floor_area_m2, 0.0),
        residents=np.append(sums.residents, 0.0),
        timezone=scenario.timezone,
        sharing=scenario.boundary.sharing,
        capacities={k: np.append(v, 0.0) for k, v in sums.capacities.items()},
    )


def city_result(
    scenario: Scenario,
    sums: BlockSums,
    *,
    n_blocks: int,
    n_chunks: int,
    notes: tuple[str, ...] = (),
) -> CityResult:
    """The district of ``scenario`` from the sums of all its blocks: meter resolved, KPIs.

    Parameters
    ----------
    scenario
        The scenario the blocks came from.
    sums
        Every block's sums, added in block order.
    n_blocks, n_chunks
        Sizes of the run, for the record.
    notes
        The blocks' notes.

    Returns
    -------
    CityResult
        Aggregated flows [kWh] and the KPIs with the scenario's own factors and tariff.
    """
    flows = _district_flows(scenario, sums)
    kpis = compute_kpis(flows, scenario)
    return CityResult(kpis, flows, len(scenario.buildings), n_blocks, n_chunks, notes)
