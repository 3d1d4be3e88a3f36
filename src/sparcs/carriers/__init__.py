"""Energy carriers: the factor sets (primary energy, CO2) and the tariffs of a scenario.

Both operation (objectives, signals) and KPIs read them, so they live below both (DESIGN §2).
"""

from sparcs.carriers.factors import (
    StepFactors,
    hourly_co2_factors,
    read_hourly_factors,
    scenario_country,
    scenario_factors,
    step_factors,
)
from sparcs.carriers.tariffs import TariffPrices, read_price_file, tariff_prices, tou_prices

__all__ = [
    "StepFactors",
    "TariffPrices",
    "hourly_co2_factors",
    "read_hourly_factors",
    "read_price_file",
    "scenario_country",
    "scenario_factors",
    "step_factors",
    "tariff_prices",
    "tou_prices",
]
