"""Economic KPIs: energy cost, export revenue and net cost of the flows at a tariff's prices.

The prices come from :func:`sparcs.carriers.tariffs.tariff_prices`. A price the tariff does not
know raises :class:`~sparcs.errors.ScenarioError` only when energy of that carrier has to be
priced.
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
    result,
    step_total,
)

if TYPE_CHECKING:
    from sparcs.carriers.tariffs import TariffPrices
    from sparcs.operation.flows import Flows

__all__ = ["energy_cost", "export_revenue", "net_energy_cost"]


def _price(value: Any, energy: Any, field: str) -> Any:
    if value is None:
        if np.any(np.asarray(energy) > 0):
            msg = (f"no price for tariff.{field}: the site has no embedded city whose default "
                   f"tariff applies; set {field} in the scenario's [tariff] table")
            raise ScenarioError(msg)
        return 0.0
    return value


def _check(flows: Flows, prices: TariffPrices) -> None:
    if not prices.time.equals(flows.time):
        msg = "tariff prices are resolved for other steps than the flows; use tariff_prices(scenario, flows.time)"
        raise DataError(msg)


def energy_cost(flows: Flows, *, by: By = "district", prices: TariffPrices) -> float | pd.Series:
    """Cost of delivered energy: electricity import, district heat and fuel [EUR].

    Notes
    -----
    :math:`C = \\sum_t E_{imp}(t)\\,p_{imp}(t) + p_{DH} E_{DH} + p_{fuel} E_{fuel}`.

    References
    ----------
    SCIS KPI Guide v2.0 (2017), economic KPIs (E1 money spent); domain.md §4.3 #20.
    """
    check_by(by)
    _check(flows, prices)
    if by == "district":
        delivered = {c: float(v.sum()) for c, v in delivered_steps(flows).items()}
        el_energy = delivered["electricity"]
    else:
        delivered = delivered_nodes(flows)
        el_energy = delivered["electricity"]
    p_imp = _price(prices.import_eur_per_kwh, el_energy, "import_eur_per_kwh")
    if isinstance(p_imp, np.ndarray):
        el_cost = (float(p_imp @ step_total(flows, "grid_import_kwh")) if by == "district" else
                   p_imp @ flows["grid_import_kwh"] + p_imp @ flows["shared_in_kwh"])
    else:
        el_cost = 0.0
    heat = delivered["district_heat"]
    fuel = sum(delivered[f] for f in FUELS)
    value = (el_cost + _price(prices.district_heat_eur_per_kwh, heat, "district_heat_eur_per_kwh") * heat
             + _price(prices.fuel_eur_per_kwh, fuel, "gas_eur_per_kwh") * fuel)
    return result(flows, by, value, name="energy_cost", unit="EUR")


def export_revenue(flows: Flows, *, by: By = "district", prices: TariffPrices) -> float | pd.Series:
    """Revenue of exported electricity at the feed-in price [EUR].

    Notes
    -----
    :math:`R = p_{exp} \\sum_t E_{exp}(t)`. Virtual assets are contracts outside the meter and
    earn nothing here.

    References
    ----------
    SCIS KPI Guide v2.0 (2017), economic KPIs; domain.md §4.3 #20.
    """
    check_by(by)
    _check(flows, prices)
    energy = float(step_total(flows, "grid_export_kwh").sum()) if by == "district" else exported_nodes(flows)
    value = _price(prices.export_eur_per_kwh, energy, "export_eur_per_kwh") * energy
    return result(flows, by, value, name="export_revenue", unit="EUR")


def net_energy_cost(flows: Flows, *, by: By = "district", prices: TariffPrices) -> float | pd.Series:
    """Energy cost minus export revenue [EUR].

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
