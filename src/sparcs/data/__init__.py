"""Embedded data with provenance: the seven SPARCS cities, factor sets, tariffs, archetypes,
and hourly grid CO2 of 2019 for CZ, DE, FI, GR and PT (:mod:`sparcs.data.grid_co2`).

Every number in the files of this folder carries its source; estimates are marked ``[est]``.
One module per kind of data: ``cities``, ``factor_sets``, ``tariffs``, ``grid_co2``; ``files``
finds and reads the files.
"""

from sparcs.data.cities import PERIODS, USES, City, city_names, get_city
from sparcs.data.factor_sets import (
    CARRIERS,
    CO2_SCOPES,
    EXPORT_CREDITS,
    PEF_KINDS,
    CarrierFactors,
    FactorSet,
    factor_set_names,
    get_factor_set,
    parse_factor_set,
)
from sparcs.data.files import data_path, read_toml
from sparcs.data.grid_co2 import (
    GRID_CO2_COUNTRIES,
    hourly_grid_co2,
    hourly_grid_renewable_share,
)
from sparcs.data.tariffs import Tariff, get_tariff

__all__ = [
    "CARRIERS",
    "CO2_SCOPES",
    "EXPORT_CREDITS",
    "GRID_CO2_COUNTRIES",
    "PEF_KINDS",
    "PERIODS",
    "USES",
    "CarrierFactors",
    "City",
    "FactorSet",
    "Tariff",
    "city_names",
    "data_path",
    "factor_set_names",
    "get_city",
    "get_factor_set",
    "get_tariff",
    "hourly_grid_co2",
    "hourly_grid_renewable_share",
    "parse_factor_set",
    "read_toml",
]
