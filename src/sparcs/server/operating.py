"""Live operation inside ``sparcs serve --operate-every 15min``: one background thread.

Every ``every`` seconds (on the clock's multiples of it) the thread runs the due cycle of each
district that has a scenario (its newest one, in the year of the cycle) with
:func:`sparcs.live.loop.run_loop`: the cycle at the latest step boundary of the scenario,
unless one is kept already. So:

* **restarts** are safe: the store holds every kept cycle, and a restarted server runs the
  next due one, never a second one at a kept belief time (the store refuses it as well);
* **one cycle at a time per district**: one thread runs the districts one after another,
  and a district whose cycle is running is skipped by any other caller
  (:meth:`OperateLoop.run_due`);
* a failed cycle is kept as ``failed`` with its reason (the operator page's alert), and the
  loop goes on.

The thread has its own connection to the store, so API requests are not held up by a cycle.
What it keeps in memory — each district's profiles and its LP (:class:`~sparcs.live.cycle.
Operator`) — only saves time.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

import pandas as pd

from sparcs.errors import SparcsError
from sparcs.live.cycle import Operator
from sparcs.live.loop import run_loop
from sparcs.server.settings import ServerSettings
from sparcs.server.uploads import parse_scenario
from sparcs.store import Store, open_store
from sparcs.store.beliefs import latest_belief
from sparcs.store.plans import list_scenarios

__all__ = ["OperateLoop"]

log = logging.getLogger("sparcs.server")


class OperateLoop:
    """The thread of ``--operate-every``: the due cycle of every district, on schedule.

    Parameters
    ----------
    settings
        The server's settings (the store and ``operate_every_s``).
    clock
        The current time (UTC); replaced in tests.
    """

    def __init__(
        self,
        settings: ServerSettings,
        clock: Callable[[], pd.Timestamp] = lambda: pd.Timestamp.now(tz="UTC"),
    ) -> None:
        self.settings = settings
        self.every_s = settings.operate_every_s
        self.clock = clock
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="sparcs-operate", daemon=True)
        self._running: set[str] = set()
        self._guard = threading.Lock()
        #: district → (scenario id, year, scenario, profiles, operator)
        self._districts: dict[str, tuple[str, int, Any, Any, Operator]] = {}

    def start(self) -> None:
        """Start the thread."""
        self._thread.start()

    def stop(self, timeout_s: float = 30.0) -> None:
        """Stop after the cycle running now; wait up to ``timeout_s`` [s]."""
        self._stop.set()
        self._thread.join(timeout_s)

    @property
    def alive(self) -> bool:
        """True while the thread runs."""
        return self._thread.is_alive()

    def _loop(self) -> None:
        with open_store(self.settings.db) as store:
            while not self._stop.is_set():
                try:
                    self.run_due(store)
                except Exception:  # a bug: keep operating the other districts next time
                    log.exception("operation cycle round failed")
                now = self.clock().timestamp()
                self._stop.wait(self.every_s - now % self.every_s)

    def _district(self, district: str, record: Any, scenario: Any, year: int) -> tuple[Any, ...]:
        """The district's scenario, profiles and operator for ``year`` (built once)."""
        held = self._districts.get(district)
        if held is not None and held[0] == record.id and held[1] == year:
            return held
        from sparcs.climate import load_weather
        from sparcs.profiles.build import build_inputs

        if scenario.year != year:
            scenario = scenario.model_copy(update={"year": year})
        inputs = build_inputs(scenario, load_weather(scenario))
        operator = held[4] if held is not None and held[0] == record.id else Operator()
        self._districts[district] = (record.id, year, scenario, inputs, operator)
        return self._districts[district]

    def running(self) -> frozenset[str]:
        """The districts whose cycle runs now.

        Returns
        -------
        frozenset of str
            District ids.
        """
        with self._guard:
            return frozenset(self._running)

    def run_due(self, store: Store) -> dict[str, str]:
        """Run the due cycle of every district with a scenario, one after another.

        Parameters
        ----------
        store
            The open store (this thread's connection).

        Returns
        -------
        dict of str to str
            District → ``"kept"``, ``"failed: …"``, ``"refused"``, ``"kept before"`` (the due
            cycle was kept already) or ``"busy"`` (its cycle runs elsewhere).
        """
        newest: dict[str, Any] = {}
        for record in list_scenarios(store, None):  # newest first
            if record.district is not None:
                newest.setdefault(record.district, record)
        done: dict[str, str] = {}
        for district, record in sorted(newest.items()):
            with self._guard:
                if district in self._running:
                    done[district] = "busy"
                    continue
                self._running.add(district)
            try:
                done[district] = self._cycle(store, district, record)
            except SparcsError as error:
                done[district] = f"failed: {error}"
                log.warning("district %s: %s", district, error)
            finally:
                with self._guard:
                    self._running.discard(district)
        return done

    def _cycle(self, store: Store, district: str, record: Any) -> str:
        now = self.clock()
        held = self._districts.get(district)
        if held is not None and held[0] == record.id:
            scenario = held[2]
        else:
            _, scenario = parse_scenario(record.body, record.format)
        due = now.floor(pd.Timedelta(scenario.timestep))
        kept = latest_belief(store, district)
        if kept is not None and kept >= due:
            return "kept before"
        _, _, scenario, inputs, operator = self._district(
            district, record, scenario, due.tz_convert(scenario.timezone).year
        )
        status: list[str] = []
        run_loop(
            scenario,
            store,
            inputs,
            district=district,
            cycles=1,
            start=due,
            operator=operator,
            on_cycle=lambda _t, _c, what: status.append(what),
        )
        return status[0] if status else "kept before"
