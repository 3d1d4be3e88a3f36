"""Prices of a settlement: the community price against the grid prices (``--prices``).

A prices file (TOML), every key optional where a scenario's tariff fills it::

    community_eur_per_kwh = 0.12     # paid per kWh of community energy allocated [EUR/kWh]
    grid_import_eur_per_kwh = 0.28   # the residual supplier's price [EUR/kWh]
    grid_import_file = "prices.csv"  # or per interval: time (ISO 8601 with offset), price_eur_per_kwh
    grid_export_eur_per_kwh = 0.05   # paid for the community export [EUR/kWh]

A grid price the file does not give comes from the scenario's tariff (``--scenario``:
flat, time-of-use or an hourly file, :func:`sparcs.carriers.tariff_prices`). The community
price is always the community's own (its internal rules or contract), so the file gives it.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from sparcs.carriers import read_price_file, tariff_prices
from sparcs.carriers.series_files import align_to_steps
from sparcs.errors import DataError

if TYPE_CHECKING:
    from sparcs.scenario import Scenario

__all__ = ["PRICE_KEYS", "Prices", "read_prices"]

#: The keys of a prices file.
PRICE_KEYS = (
    "community_eur_per_kwh",
    "grid_import_eur_per_kwh",
    "grid_import_file",
    "grid_export_eur_per_kwh",
)


@dataclass(frozen=True)
class Prices:
    """Prices of the energy a member draws and feeds.

    Attributes
    ----------
    community_eur_per_kwh
        Price of a kWh of community energy; paid by the member it is allocated to and
        received by the producers [EUR/kWh].
    grid_import_eur_per_kwh
        Price of a kWh of residual grid import, per interval, shape (intervals,) [EUR/kWh].
    grid_export_eur_per_kwh
        Price received for a kWh of community export [EUR/kWh].
    source
        Where the prices come from.
    """

    community_eur_per_kwh: float
    grid_import_eur_per_kwh: np.ndarray
    grid_export_eur_per_kwh: float
    source: str


def _price(data: dict[str, Any], key: str, source: str) -> float | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        msg = f"{source}: {key}: {value!r} is not a price; write e.g. {key} = 0.25 (EUR/kWh)"
        raise DataError(msg)
    return float(value)


def read_prices(
    path: str | Path | None, time: pd.DatetimeIndex, scenario: Scenario | None = None
) -> Prices:
    """Prices on the intervals of a settlement, from a prices file and/or a scenario's tariff.

    Parameters
    ----------
    path
        Prices file (TOML, keys :data:`PRICE_KEYS`); None to take every grid price from
        ``scenario`` (the community price then has no source: an error).
    time
        Interval starts (UTC).
    scenario
        Scenario whose tariff gives the grid prices the file leaves out.

    Returns
    -------
    Prices
        The community price, the grid import price per interval and the export price
        [EUR/kWh].

    Raises
    ------
    DataError
        Invalid TOML, an unknown key, a value that is not a price, or a price that neither
        the file nor the scenario gives.
    """
    data: dict[str, Any] = {}
    source = "the scenario's tariff"
    if path is not None:
        path = Path(path)
        source = str(path)
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            msg = f"{path}: not valid TOML: {exc}; fix the line it names"
            raise DataError(msg) from None
        unknown = sorted(set(data) - set(PRICE_KEYS))
        if unknown:
            msg = f"{path}: {unknown[0]}: unknown key; the file takes {', '.join(PRICE_KEYS)}"
            raise DataError(msg)
    tariff = tariff_prices(scenario, time) if scenario is not None else None
    community = _price(data, "community_eur_per_kwh", source)
    if community is None:
        msg = (
            f"{source}: community_eur_per_kwh missing; give the price members pay per kWh of "
            "community energy in a prices file (--prices), e.g. community_eur_per_kwh = 0.12"
        )
        raise DataError(msg)
    flat = _price(data, "grid_import_eur_per_kwh", source)
    grid: np.ndarray | None = None if flat is None else np.full(len(time), flat)
    if "grid_import_file" in data:
        name = Path(str(data["grid_import_file"]))
        name = name if name.is_absolute() or path is None else Path(path).parent / name
        grid = align_to_steps(read_price_file(name), time, what=f"price file {name}")[:, 0]
    if grid is None and tariff is not None:
        grid = tariff.import_eur_per_kwh
    export = _price(data, "grid_export_eur_per_kwh", source)
    if export is None and tariff is not None:
        export = tariff.export_eur_per_kwh
    for key, value in (("grid_import_eur_per_kwh", grid), ("grid_export_eur_per_kwh", export)):
        if value is None:
            msg = (
                f"{source}: {key} missing; give it in the prices file or pass the "
                "district's scenario (--scenario) to use its tariff"
            )
            raise DataError(msg)
    if tariff is not None:
        source += f"; grid prices not in it from the scenario's tariff ({tariff.source})"
    return Prices(
        community_eur_per_kwh=community,
        grid_import_eur_per_kwh=np.asarray(grid, dtype=float),
        grid_export_eur_per_kwh=float(export),  # type: ignore[arg-type]  # checked above
        source=source,
    )
