"""A city-scale run fanned out: the chunks of :mod:`sparcs.network.city_scale` on an executor.

The pure work (chunks, a chunk's run, the sums, the district meter, the KPIs) is the
engine's, in :mod:`sparcs.network.city_scale`; here the chunks go to the executor and the
blocks' sums are added **in block order** as they arrive (a block that arrives early waits for
its predecessors), so the result is bit-identical for every chunk size, executor and worker
count (docs/network.md, "City-scale runs").
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from sparcs.network.city_scale import (
    BlockSums,
    CityResult,
    add_block_sums,
    city_chunks,
    city_result,
    refuse_coupling,
    run_chunk,
)
from sparcs.scale.executors import ExecutorSpec, PointError, map_points
from sparcs.scenario import Scenario

__all__ = ["BlockTotals", "run_city"]


class BlockTotals:
    """Block sums added in block order, whatever order they arrive in.

    Attributes
    ----------
    next
        Index of the block the total waits for.
    waiting
        Blocks arrived ahead of their predecessors.
    sums
        The total of blocks ``0 .. next - 1``; ``None`` before block 0.
    notes
        The added blocks' notes, prefixed with their block.
    """

    def __init__(self) -> None:
        self.next = 0
        self.waiting: dict[int, BlockSums] = {}
        self.sums: BlockSums | None = None
        self.notes: list[str] = []

    def add(self, blocks: Sequence[BlockSums]) -> None:
        """Take ``blocks`` and add every block whose predecessors are all in."""
        self.waiting.update((b.index, b) for b in blocks)
        while self.next in self.waiting:
            block = self.waiting.pop(self.next)
            self.notes += [f"block {block.index}: {note}" for note in block.notes]
            self.sums = block if self.sums is None else add_block_sums(self.sums, block)
            self.next += 1


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
        When the district has shared assets or other coupling (named), no buildings, or a
        size below 1.
    PointError
        When a chunk failed (named by its blocks).
    """
    refuse_coupling(scenario)
    chunks = city_chunks(scenario, block_size, chunk_blocks)
    labels = [f"blocks {c.blocks[0][0]}-{c.blocks[-1][0]}" for c in chunks]
    totals = BlockTotals()
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
    n_blocks = sum(len(c.blocks) for c in chunks)
    return city_result(
        scenario, totals.sums, n_blocks=n_blocks, n_chunks=len(chunks), notes=tuple(totals.notes)
    )
