"""Tariffs: energy prices on the steps of a period (flat, time-of-use or an hourly file).

Prices come from the scenario's ``[tariff]``: ``flat`` (one import price), ``tou`` (import
price windows in local time; a later window overrides an earlier one where they overlap,
hours outside every window pay the flat import price) or ``file`` (CSV ``time``,
``price_eur_per_kwh``, aligned to the steps: mean of rows inside a step, forward fill
otherwise). Export, district-heat and fuel prices are flat. A price not given in the scenario
comes from the embedded default tariff of the scenario's city; a custom site has none, and a
missing price raises :class:`~sparcs.errors.ScenarioError` as soon as energy of that carrier
has to be priced. The tariff model has one fuel price (``gas_eur_per_kwh``); oil and biomass
are priced at it.

Capacity charges (:mod:`sparcs.carriers.capacity`) price the peak of the district's grid
import and of its district-heat purchase per local calendar month or year; each comes from
the scenario (``capacity_eur_per_kw_month`` or ``_year``, ``capacity_period``,
``capacity_window``, and the ``district_heat_capacity_*`` fields), else from the city's
default tariff, else there is none.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from sparcs.carriers.capacity import CapacityCharge, Period, capacity_charge
from sparcs.carriers.series_files import align_to_steps, read_time_csv
from sparcs.data import Tariff, get_city, get_tariff
from sparcs.errors import ScenarioError
from sparcs.kept import KeptResults
from sparcs.timeseries import check_index, to_zoneinfo

if TYPE_CHECKING:
    from sparcs.scenario.models import Scenario, TariffSpec, TouPeriod

__all__ = ["TariffPrices", "read_price_file", "tariff_prices", "tou_prices"]


@dataclass(frozen=True)
class TariffPrices:
    """Energy prices on the steps of a period.

    Attributes
    ----------
    time
        The steps (UTC).
    import_eur_per_kwh
        Electricity import price per step, shape (time,) [EUR/kWh]; None when unknown.
    export_eur_per_kwh, district_heat_eur_per_kwh, fuel_eur_per_kwh
        Flat prices [EUR/kWh]; None when unknown.
    kind
        ``flat``, ``tou`` or ``file``.
    source
        Where the prices come from.
    capacity
        Capacity charge on the peak grid import; None = none.
    district_heat_capacity
        Capacity charge on the peak district heat bought; None = none.
    heat_export_eur_per_kwh
        Price paid per kWh of heat fed into the district-heating network
        (``[district.heat_export]``) [EUR/kWh]; 0 without heat export.
    """

    time: pd.DatetimeIndex
    import_eur_per_kwh: np.ndarray | None
    export_eur_per_kwh: float | None
    district_heat_eur_per_kwh: float | None
    fuel_eur_per_kwh: float | None
    kind: str = "flat"
    source: str = ""
    capacity: CapacityCharge | None = None
    district_heat_capacity: CapacityCharge | None = None
    heat_export_eur_per_kwh: float = 0.0


def read_price_file(path: str | Path) -> pd.DataFrame:
    """Read an hourly price file: ``time`` (ISO 8601 with offset), ``price_eur_per_kwh``.

    Parameters
    ----------
    path
        CSV file with the columns ``time`` and ``price_eur_per_kwh``.

    Returns
    -------
    pandas.DataFrame
        Column ``price_eur_per_kwh`` [EUR/kWh] indexed by UTC time.

    Raises
    ------
    DataError, TimeIndexError
        Missing file or column, bad values or naive timestamps.
    """
    return read_time_csv(path, required=("price_eur_per_kwh",), what="price file")


def tou_prices(
    windows: list[TouPeriod], time: pd.DatetimeIndex, *, tz: str, base_eur_per_kwh: float | None
) -> np.ndarray:
    """Time-of-use import price per step [EUR/kWh].

    Parameters
    ----------
    windows
        Price windows ``[start_hour, end_hour)`` in local time, optionally Monday-Friday only.
    time
        Steps (UTC); a step belongs to the window of its local start hour.
    tz
        IANA zone of the windows.
    base_eur_per_kwh
        Price outside every window [EUR/kWh].

    Returns
    -------
    numpy.ndarray
        Import price per step of ``time`` [EUR/kWh].

    Raises
    ------
    ScenarioError
        When some step lies outside every window and no base price is known.
    """
    local = time.tz_convert(to_zoneinfo(tz))
    hour = np.asarray(local.hour)
    weekday = np.asarray(local.dayofweek) < 5
    base = np.nan if base_eur_per_kwh is None else base_eur_per_kwh
    price = np.full(len(time), base, dtype=float)
    for window in windows:  # a handful of windows; each is one vectorised mask
        mask = (hour >= window.start_hour) & (hour < window.end_hour)
        if window.weekdays_only:
            mask &= weekday
        price[mask] = window.price_eur_per_kwh
    if np.isnan(price).any():
        first = local[int(np.argmax(np.isnan(price)))]
        msg = (
            f"tariff.tou windows leave {first.isoformat()} (local time) uncovered and no "
            "tariff.import_eur_per_kwh is set for it; add a window or a base price"
        )
        raise ScenarioError(msg)
    return price


def _default_tariff(scenario: Scenario) -> Tariff | None:
    return get_tariff(get_city(scenario.site.city).tariff) if scenario.site.city else None


def _per_year(spec: TariffSpec, prefix: str) -> float | None:
    """The scenario's capacity price per kW and year, from a monthly or a yearly one."""
    month = getattr(spec, f"{prefix}_eur_per_kw_month")
    year = getattr(spec, f"{prefix}_eur_per_kw_year")
    result: float | None = 12.0 * month if month is not None else year
    return result


def _capacities(
    scenario: Scenario, time: pd.DatetimeIndex, default: Tariff | None
) -> tuple[CapacityCharge | None, CapacityCharge | None, str]:
    """Capacity charges on the import and the district-heat peaks, and their source."""
    spec = scenario.tariff
    out: list[CapacityCharge | None] = []
    sources: list[str] = []
    usual: Period
    for prefix, carrier, window, usual in (
        ("capacity", "electricity", spec.capacity_window, "month"),
        ("district_heat_capacity", "district_heat", None, "year"),
    ):
        own = _per_year(spec, prefix)
        fallback = getattr(default, f"{carrier}_capacity_eur_per_kw_year") if default else 0.0
        price = own if own is not None else fallback
        kind: Period = getattr(spec, f"{prefix}_period") or (
            getattr(default, f"{carrier}_capacity_period") if default else usual
        )
        if not price:
            out.append(None)
            continue
        if own is None and default is not None and default.capacity_source:
            sources.append(default.capacity_source)
        out.append(
            capacity_charge(
                time, tz=scenario.timezone, kind=kind, eur_per_kw_year=price, window=window
            )
        )
    source = f"; capacity charges: {sources[0]}" if sources else ""
    return out[0], out[1], source


def tariff_prices(scenario: Scenario, time: pd.DatetimeIndex) -> TariffPrices:
    """Resolve the scenario's tariff to prices on the steps ``time``.

    Parameters
    ----------
    scenario
        Scenario whose ``tariff`` is resolved; missing prices come from the embedded tariff of
        its city, the time zone from ``scenario.timezone``.
    time
        Steps (UTC).

    Returns
    -------
    TariffPrices
        Import prices per step (None when unknown), export, district-heat and fuel prices
        [EUR/kWh], capacity charges and the source of the prices.

    Raises
    ------
    ScenarioError
        A time-of-use window gap without a base price.
    DataError
        A price file that does not cover the period.
    """
    check_index(time, what="tariff steps")
    if scenario.tariff.kind == "file":  # the file may change between calls: read each time
        return _resolve(scenario, time)
    # a live cycle asks for the same steps' prices several times (the plan, the objective,
    # the capacity charge, the replay's truth): kept for the last few (scenario, steps)
    return _HELD.get(
        scenario,
        (time.asi8.tobytes(), str(time.tz)),
        lambda: _read_only(_resolve(scenario, time)),
    )


#: Prices resolved lately, per (scenario, steps); scenarios are frozen.
_HELD: KeptResults[Scenario, TariffPrices] = KeptResults(8)


def _read_only(prices: TariffPrices) -> TariffPrices:
    """``prices`` with its arrays made read-only: shared between callers, none may change them."""
    arrays = [prices.import_eur_per_kwh]
    for charge in (prices.capacity, prices.district_heat_capacity):
        if charge is not None:
            arrays += [charge.period, charge.eur_per_kw, charge.window]
    for array in arrays:
        if isinstance(array, np.ndarray):
            array.setflags(write=False)
    return prices


def _resolve(scenario: Scenario, time: pd.DatetimeIndex) -> TariffPrices:
    spec, default = scenario.tariff, _default_tariff(scenario)

    def pick(own: float | None, fallback: str) -> float | None:
        """The scenario's price, else the default tariff's, else None [EUR/kWh]."""
        return own if own is not None else (getattr(default, fallback) if default else None)

    flat = pick(spec.import_eur_per_kwh, "electricity_import_eur_per_kwh")
    source = f"embedded tariff {default.name}: {default.source}" if default else "scenario"
    if spec.kind == "tou":
        imports: np.ndarray | None = tou_prices(
            spec.tou, time, tz=scenario.timezone, base_eur_per_kwh=flat
        )
    elif spec.kind == "file":
        if spec.file is None:  # the scenario model refuses this; a hand-built spec may not
            msg = "tariff kind = 'file' needs file = 'path/to/prices.csv'"
            raise ScenarioError(msg)
        frame = read_price_file(spec.file)
        imports = align_to_steps(frame, time, what=f"price file {spec.file}")[:, 0]
        source = f"price file {spec.file}; other prices from {source}"
    else:
        imports = None if flat is None else np.full(len(time), flat)
    capacity, dh_capacity, capacity_source = _capacities(scenario, time, default)
    heat_export = scenario.district.heat_export
    return TariffPrices(
        time=time,
        import_eur_per_kwh=imports,
        export_eur_per_kwh=pick(spec.export_eur_per_kwh, "electricity_export_eur_per_kwh"),
        district_heat_eur_per_kwh=pick(spec.district_heat_eur_per_kwh, "district_heat_eur_per_kwh"),
        fuel_eur_per_kwh=pick(spec.gas_eur_per_kwh, "gas_eur_per_kwh"),
        kind=spec.kind,
        source=source + capacity_source,
        capacity=capacity,
        district_heat_capacity=dh_capacity,
        heat_export_eur_per_kwh=(
            heat_export.price_eur_per_kwh
            if heat_export is not None and scenario.district.exports_heat
            else 0.0
        ),
    )
