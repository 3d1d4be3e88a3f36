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
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
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
from sparcs.scale import ExecutorSpec, map_points
from sparcs.scale.executors import PointError
from sparcs.scenario import Scenario, scenario_from_dict

__all__ = ["FUELS", "BlockSums", "CityResult", "Chunk", "run_chunk", "run_city"]

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


def _refuse_coupling(scenario: Scenario) -> None:
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


def _chunks(scenario: Scenario, block_size: int, chunk_blocks: int) -> list[Chunk]:
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


class _Totals:
    """Block sums added in block order, whatever order they arrive in."""

    def __init__(self) -> None:
        self.next = 0
        self.waiting: dict[int, BlockSums] = {}
        self.sums: BlockSums | None = None
        self.notes: list[str] = []

    def add(self, blocks: Sequence[BlockSums]) -> None:
        self.waiting.update((b.index, b) for b in blocks)
        while self.next in self.waiting:
            block = self.waiting.pop(self.next)
            self.notes += [f"block {block.index}: {note}" for note in block.notes]
            self.sums = block if self.sums is None else _plus(self.sums, block)
            self.next += 1


def _plus(a: BlockSums, b: BlockSums) -> BlockSums:
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


def run_city(
    scenario: Scenario,
    *,
    block_size: int = 100,
    chunk_blocks: int = 10,
    executor: ExecutorSpec | None = None,
    on_chunk: Callable[[int, int], None] | None = None,
) -> CityResult:
    """Run a large district in chunks of buildings on an executor; KPIs of the whole district.

    Parameters
    ----------
    scenario
        A validated scenario whose buildings are coupled only through the district meter.
    block_size
        Buildings per block, the unit of profile diversity (changing it changes the random
        profiles, like a seed).
    chunk_blocks
        Blocks per task: the unit of work (changing it never changes a result).
    executor
        Where the chunks run; ``None`` = in this process.
    on_chunk
        Called with (chunks done, chunks in all) after each chunk.

    Returns
    -------
    CityResult
        KPIs and aggregated flows of the district.

    Raises
    ------
    ScenarioError
        When the district has shared assets or other coupling (named), or no buildings.
    PointError
        When a chunk failed (named by its blocks).
    """
    _refuse_coupling(scenario)
    if not scenario.buildings or block_size < 1 or chunk_blocks < 1:
        msg = "a city-scale run needs buildings, block_size >= 1 and chunk_blocks >= 1"
        raise ScenarioError(msg)
    chunks = _chunks(scenario, block_size, chunk_blocks)
    labels = [f"blocks {c.blocks[0][0]}-{c.blocks[-1][0]}" for c in chunks]
    totals = _Totals()
    outcomes = map_points(run_chunk, chunks, labels, executor)
    for done, outcome in enumerate(outcomes, start=1):
        if outcome.value is None:
            msg = f"city-scale chunk {outcome.label} failed: {outcome.error}"
            raise PointError(msg)
        totals.add(outcome.value)
        if on_chunk is not None:
            on_chunk(done, len(chunks))
    if totals.sums is None or totals.waiting:
        msg = f"city-scale run: blocks {sorted(totals.waiting)} arrived without their predecessors"
        raise PointError(msg)
    flows = _district_flows(scenario, totals.sums)
    kpis = compute_kpis(flows, scenario)
    n_blocks = sum(len(c.blocks) for c in chunks)
    return CityResult(
        kpis, flows, len(scenario.buildings), n_blocks, len(chunks), tuple(totals.notes)
    )
