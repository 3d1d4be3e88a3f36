"""Many districts and cities on one basis: the network benchmark.

Every district runs on the harmonised factor set (:data:`HARMONISED`), is reduced to a
:class:`DistrictRecord` on a worker, and becomes one row of :func:`network_table`: PED class
and balance, KPIs per m2 and per resident, final energy climate-corrected by degree days
G20/15, ranks, and what drives its gap (docs/network.md).

The network is engine: it never imports the shell. Running many districts on an executor is
:func:`sparcs.scale.network_run.run_network`; a city-scale run on an executor is
:func:`sparcs.scale.city_run.run_city`.
"""

from sparcs.network.degree_days import heating_degree_days
from sparcs.network.gaps import gap_driver, network_medians, primary_by_carrier
from sparcs.network.normalise import climate_corrected, per_unit
from sparcs.network.record import HARMONISED, DistrictRecord, district_record, harmonised
from sparcs.network.simulate import RuleRun, rule_run
from sparcs.network.table import RANKS, network_table

__all__ = [
    "HARMONISED",
    "RANKS",
    "DistrictRecord",
    "RuleRun",
    "climate_corrected",
    "district_record",
    "gap_driver",
    "harmonised",
    "heating_degree_days",
    "network_medians",
    "network_table",
    "per_unit",
    "primary_by_carrier",
    "rule_run",
]
