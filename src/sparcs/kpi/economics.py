"""Economic KPIs: energy cost, export revenue and net cost of the flows at a tariff's prices.

The prices come from :func:`sparcs.carriers.tariffs.tariff_prices`. A price the tariff does not
know raises :class:`~sparcs.errors.ScenarioError` only when energy of that carrier has to be
priced. The energy cost includes the capacity charges (:func:`capacity_cost`): the peak of
the mean power of a step per local month or year, of the grid import and of the district heat
bought, times the price per kW. :func:`storage_end_value` values the change of stored energy
over the period, so that strategies that end with other storage levels compare fairly.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from sparcs.errors import DataError, ScenarioError
from sparcs.kpi._base import (
    FUELS,
    By,
    check_by,
    delivered_nodes,
    delivered_steps,
    exported_nodes,
    node_total,
    result,
    step_total,
)

if TYPE_CHECKING:
    from sparcs.carriers.tariffs import TariffPrices
    from sparcs.operation.flows import Flows

__all__ = ["capacity_cost", "energy_cost", "export_revenue", "net_energy_cost", "storage_end_value"]


def _price(value: Any, energy: Any, field: str) -> Any:
    if value is None:
        if np.any(np.asarray(energy) > 0):
            msg = (
                f"no price for tariff.{field}: the site has no embedded city whose default "
                f"tariff applies; set {field} in the scenario's [tariff] table"
            )
            raise ScenarioError(msg)
        return 0.0
    return value


def _check(flows: Flows, prices: TariffPrices) -> None:
    if not prices.time.equals(flows.time):
        msg = (
            "tariff prices are resolved for other steps than the flows; "
            "use tariff_prices(scenario, flows.time)"
        )
        raise DataError(msg)


def energy_cost(flows: Flows, *, by: By = "district", prices: TariffPrices) -> float | pd.Series:
    """Cost of delivered energy: electricity import, district heat and fuel [EUR].

    Parameters
    ----------
    flows
        Energy flows [kWh per step].
    by
        ``"district"`` (boundary meter) or ``"building"`` (own meter, see
        :mod:`sparcs.kpi._base`).
    prices
        Tariff prices resolved on the steps of ``flows``
        (:func:`~sparcs.carriers.tariffs.tariff_prices`).

    Returns
    -------
    float or pandas.Series
        Cost over the period, capacity charges included [EUR]; a float for the district, a
        Series over the buildings.

    Notes
    -----
    :math:`C = \\sum_t E_{imp}(t)\\,p_{imp}(t) + p_{DH} E_{DH} + p_{fuel} E_{fuel}`.

    References
    ----------
    SCIS KPI Guide v2.0 (2017), economic KPIs (E1 money spent); domain.md §4.3 #20.
    """
    check_by(by)
    _check(flows, prices)
    delivered: dict[str, float] | dict[str, np.ndarray]
    el_energy: float | np.ndarray
    if by == "district":
        delivered = {c: float(v.sum()) for c, v in delivered_steps(flows).items()}
        el_energy = delivered["electricity"]
    else:
        delivered = delivered_nodes(flows)
        el_energy = delivered["electricity"]
    p_imp = _price(prices.import_eur_per_kwh, el_energy, "import_eur_per_kwh")
    if isinstance(p_imp, np.ndarray):
        el_cost = (
            float(p_imp @ step_total(flows, "grid_import_kwh"))
            if by == "district"
            else p_imp @ flows["grid_import_kwh"] + p_imp @ flows["shared_in_kwh"]
        )
    else:
        el_cost = 0.0
    heat = delivered["district_heat"]
    fuel = sum(delivered[f] for f in FUELS)
    value = (
        el_cost
        + _price(prices.district_heat_eur_per_kwh, heat, "district_heat_eur_per_kwh") * heat
        + _price(prices.fuel_eur_per_kwh, fuel, "gas_eur_per_kwh") * fuel
    )
    value = value + _capacity(flows, by, prices)
    return result(flows, by, value, name="energy_cost", unit="EUR")


#: Own-meter flows of a node whose peak a capacity charge prices, per charge of the tariff.
_METERED = {
    "capacity": ("grid_import_kwh", "shared_in_kwh"),
    "district_heat_capacity": ("dh_import_kwh", "heat_shared_in_kwh"),
}


def _capacity(flows: Flows, by: By, prices: TariffPrices) -> Any:
    """Capacity charges, district (float) or per node (node,) [EUR]."""
    total: Any = 0.0 if by == "district" else np.zeros(len(flows.nodes))
    for attr, names in _METERED.items():
        charge = getattr(prices, attr)
        if charge is None or not charge.present:
            continue
        if by == "district":
            power = step_total(flows, names[0]) / flows.dt_h
        else:
            power = (np.asarray(flows[names[0]], dtype=float) + flows[names[1]]) / flows.dt_h
        total = total + charge.cost(power)
    return total


def capacity_cost(flows: Flows, *, by: By = "district", prices: TariffPrices) -> float | pd.Series:
    """Capacity (demand) charges of the grid import and the district heat bought [EUR].

    Notes
    -----
    :math:`C_{cap} = \\sum_k c_k \\max_{t \\in k,\\, t \\in W} E_{imp}(t) / \\Delta t
    + \\sum_k c^{DH}_k \\max_{t \\in k} E_{DH}(t) / \\Delta t`, with :math:`k` the local
    calendar months (or years) of the charge, :math:`W` its time window and :math:`c_k` its
    price per kW, pro rata of the share of the period the flows cover
    (:mod:`sparcs.carriers.capacity`). The peak is that of the mean power of a step. District:
    the total import at the boundary (one connection); building: the building's own meter
    (grid plus community exchange). Included in :func:`energy_cost`.

    References
    ----------
    StromNEV §17 and §19(1) (annual and monthly power prices of German grid fees); Finnish DSO
    power tariffs; domain review M8 (2026-12).
    """
    check_by(by)
    _check(flows, prices)
    return result(flows, by, _capacity(flows, by, prices), name="capacity_cost", unit="EUR")


#: Store -> (state of charge, initial level key in ``flows.capacities``, priced carrier).
_STORED = {
    "battery": ("battery_soc_kwh", "battery_initial_kwh", "electricity"),
    "tes": ("tes_soc_kwh", "tes_initial_kwh", "heat"),
}


def _start_level(flows: Flows, soc: str, key: str) -> np.ndarray:
    """Stored energy before the first step per node [kWh]: the producer's initial level, else
    the level after the first step (measured flows that do not say)."""
    initial = flows.capacities.get(key)
    if initial is not None:
        return np.asarray(initial, dtype=float)
    return np.asarray(flows[soc][0], dtype=float) if len(flows.time) else np.zeros(len(flows.nodes))


def storage_end_value(
    flows: Flows, *, by: By = "district", prices: TariffPrices
) -> float | pd.Series:
    """Value of the energy stored at the end of the period above the start [EUR].

    Negative when a strategy ends with less in its stores than it started with: it has used
    energy it did not pay for. Subtracted from the net energy cost in
    ``net_energy_cost_adjusted``, so strategies with other end levels compare fairly.

    Notes
    -----
    :math:`V = p_{el} \\sum_n (B_n(T) - B_n(0)) + p_{heat} \\sum_n (S_n(T) - S_n(0))`, with
    :math:`B` the battery's and :math:`S` the heat store's energy content [kWh]. The price of
    stored electricity :math:`p_{el}` is the mean import price of the period (the price of
    buying the energy back); that of stored heat is the district-heat price where the tariff
    has one, else :math:`p_{el}`. The start level is the producer's ``battery_initial_kwh`` /
    ``tes_initial_kwh`` in ``flows.capacities``; flows without them (measured) use the level
    after the first step.

    References
    ----------
    Valuation of the terminal storage level, as in rolling-horizon dispatch (the stored energy
    at the horizon's end valued at a replacement price); newcomer review P10 (2026-12).
    """
    check_by(by)
    _check(flows, prices)
    imports = prices.import_eur_per_kwh
    p_el = float(np.mean(imports)) if imports is not None and len(imports) else 0.0
    p_heat = (
        prices.district_heat_eur_per_kwh if prices.district_heat_eur_per_kwh is not None else p_el
    )
    value = np.zeros(len(flows.nodes))
    for soc, key, carrier in _STORED.values():
        if not len(flows.time):
            break
        change = np.asarray(flows[soc][-1], dtype=float) - _start_level(flows, soc, key)
        value = value + change * (p_el if carrier == "electricity" else p_heat)
    return result(
        flows, by, value.sum() if by == "district" else value, name="storage_end_value", unit="EUR"
    )


def export_revenue(flows: Flows, *, by: By = "district", prices: TariffPrices) -> float | pd.Series:
    """Revenue of exported electricity at the feed-in price, and of heat fed into the
    district-heating network at its price [EUR].

    Parameters
    ----------
    flows
        Energy flows [kWh per step].
    by
        ``"district"`` (boundary meter) or ``"building"`` (own meter, see
        :mod:`sparcs.kpi._base`).
    prices
        Tariff prices resolved on the steps of ``flows``
        (:func:`~sparcs.carriers.tariffs.tariff_prices`).

    Returns
    -------
    float or pandas.Series
        Revenue over the period [EUR]; a float for the district, a Series over the
        buildings.

    Notes
    -----
    :math:`R = p_{exp} \\sum_t E_{exp}(t) + p_{heat,exp} \\sum_t Q_{exp}(t)`. Virtual assets
    are contracts outside the meter and earn nothing here.

    References
    ----------
    SCIS KPI Guide v2.0 (2017), economic KPIs; domain.md §4.3 #20.
    """
    check_by(by)
    _check(flows, prices)
    energy = (
        float(step_total(flows, "grid_export_kwh").sum())
        if by == "district"
        else exported_nodes(flows)
    )
    value = _price(prices.export_eur_per_kwh, energy, "export_eur_per_kwh") * energy
    if prices.heat_export_eur_per_kwh:
        heat = (
            float(step_total(flows, "dh_export_kwh").sum())
            if by == "district"
            else node_total(flows, "dh_export_kwh")
        )
        value = value + prices.heat_export_eur_per_kwh * heat
    return result(flows, by, value, name="export_revenue", unit="EUR")


def net_energy_cost(
    flows: Flows, *, by: By = "district", prices: TariffPrices
) -> float | pd.Series:
    """Energy cost minus export revenue [EUR].

    Parameters
    ----------
    flows
        Energy flows [kWh per step].
    by
        ``"district"`` (boundary meter) or ``"building"`` (own meter, see
        :mod:`sparcs.kpi._base`).
    prices
        Tariff prices resolved on the steps of ``flows``
        (:func:`~sparcs.carriers.tariffs.tariff_prices`).

    Returns
    -------
    float or pandas.Series
        Net cost over the period [EUR]; a float for the district, a Series over the
        buildings.

    References
    ----------
    SCIS KPI Guide v2.0 (2017), economic KPIs; domain.md §4.3 #20.
    """
    cost = energy_cost(flows, by=by, prices=prices)
    revenue = export_revenue(flows, by=by, prices=prices)
    value = cost - revenue
    if isinstance(value, pd.Series):
        value.name = "net_energy_cost"
        value.attrs["unit"] = "EUR"
    return value
