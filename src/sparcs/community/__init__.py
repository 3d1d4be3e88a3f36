"""Energy-community settlement: who got how much of the community's own production.

- :func:`read_readings` reads meter readings (CSV); :func:`readings_from_flows` and
  :func:`read_run` make them from a simulated district (members = buildings).
- :func:`read_community_file` reads shares, priority order and buildings;
  :func:`settle` allocates every interval by one of :data:`KEYS` (:mod:`.keys`).
- :func:`read_prices` and :func:`statement_table` price the result per member and month.

``docs/community.md`` describes the files and the keys.
"""

from sparcs.community.from_run import read_run, readings_from_flows
from sparcs.community.key_file import Building, CommunityFile, read_community_file
from sparcs.community.prices import Prices, read_prices
from sparcs.community.readings import Readings
from sparcs.community.readings_csv import read_readings
from sparcs.community.settle import KEYS, Settlement, settle
from sparcs.community.statements import statement_table

__all__ = [
    "KEYS",
    "Building",
    "CommunityFile",
    "Prices",
    "Readings",
    "Settlement",
    "read_community_file",
    "read_prices",
    "read_readings",
    "read_run",
    "readings_from_flows",
    "settle",
    "statement_table",
]
