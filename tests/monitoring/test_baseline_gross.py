"""Gross consumption for PED baselines: import plus self-consumed generation."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sparcs.errors import DataError
from sparcs.monitoring import gross_consumption, gross_from_meters
from sparcs.operation.flows import FLOW_NAMES, STATE_NAMES, Flows, check_balance


def _flows() -> Flows:
    index = pd.date_range("2025-06-01", periods=3, freq="h", tz="UTC", name="time")
    data = {name: np.zeros((3, 2)) for name in (*FLOW_NAMES, *STATE_NAMES)}
    # building b1: loads 5 kWh every hour; PV 0, 4, 9 kWh; a battery takes 2 kWh in hour 3
    data["electricity_demand_kwh"][:, 0] = 5.0
    data["pv_kwh"][:, 0] = [0.0, 4.0, 9.0]
    data["grid_import_kwh"][:, 0] = [5.0, 1.0, 0.0]
    data["battery_charge_kwh"][:, 0] = [0.0, 0.0, 2.0]
    data["grid_export_kwh"][:, 0] = [0.0, 0.0, 2.0]
    return Flows(
        time=index,
        dt_h=1.0,
        nodes=("b1", "district"),
        data=data,
        fuel=("", ""),
        floor_area_m2=np.array([100.0, 0.0]),
        residents=np.array([2.0, 0.0]),
        timezone="Europe/Berlin",
        sharing="building",
    )


def test_gross_is_import_plus_self_consumed_pv() -> None:
    flows = _flows()
    check_balance(flows)
    gross = gross_consumption(flows)
    # net meter says 5, 1, 0 - 2 (export); the loads plus the battery charge are 5, 5, 7
    assert gross.tolist() == [5.0, 5.0, 7.0]
    assert gross.name == "gross_consumption_kwh" and gross.index.equals(flows.time)
    assert gross_consumption(flows, nodes=["district"]).tolist() == [0.0, 0.0, 0.0]


def test_unknown_node_is_refused() -> None:
    with pytest.raises(DataError, match="no node"):
        gross_consumption(_flows(), nodes=["b9"])


def test_gross_from_three_meters() -> None:
    index = pd.date_range("2025-06-01", periods=3, freq="h", tz="Europe/Berlin")
    gross = gross_from_meters(
        pd.Series([5.0, 1.0, 0.0], index),
        pd.Series([0.0, 0.0, 2.0], index),
        pd.Series([0.0, 4.0, 9.0], index),
    )
    assert gross.tolist() == [5.0, 5.0, 7.0]
    with pytest.raises(DataError, match="different timestamps"):
        gross_from_meters(
            pd.Series([5.0, 1.0, 0.0], index),
            pd.Series([0.0, 0.0, 2.0], index + pd.Timedelta(hours=1)),
            pd.Series([0.0, 4.0, 9.0], index),
        )
