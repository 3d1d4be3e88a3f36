"""Monitoring: measured meter data (ingest, quality flags, measured Flows) and M&V.

Ingest of meter files with quality flags (:mod:`sparcs.monitoring.ingest`,
:mod:`sparcs.monitoring.quality`) and readings made into Flows (:mod:`sparcs.monitoring.measured`);
see ``docs/monitoring.md``.

Weather-normalised baselines after CalTRACK 2.0 (daily change-point and hourly
time-of-week-and-temperature models), ASHRAE Guideline 14 statistics and acceptance checks,
and avoided energy use with its fractional savings uncertainty. See ``docs/mv.md``.

.. code-block:: python

    from sparcs.monitoring import avoided_energy, fit_baseline

    baseline = fit_baseline(usage, temperature, method="daily")
    avoided_energy(baseline, usage_after, temperature_after).avoided_kwh
"""

from __future__ import annotations

from sparcs.monitoring.baseline import Baseline, fit_baseline
from sparcs.monitoring.gross import gross_consumption, gross_from_meters
from sparcs.monitoring.savings import AvoidedEnergy, avoided_energy
from sparcs.monitoring.statistics import (
    ASHRAE14_BASELINE,
    ASHRAE14_HOURLY,
    ASHRAE14_MONTHLY,
    CALTRACK_PORTFOLIO,
    Check,
    Criteria,
)
from sparcs.monitoring.sufficiency import Requirement, Sufficiency

__all__ = [
    "ASHRAE14_BASELINE",
    "ASHRAE14_HOURLY",
    "ASHRAE14_MONTHLY",
    "CALTRACK_PORTFOLIO",
    "AvoidedEnergy",
    "Baseline",
    "Check",
    "Criteria",
    "Requirement",
    "Sufficiency",
    "avoided_energy",
    "fit_baseline",
    "gross_consumption",
    "gross_from_meters",
]
