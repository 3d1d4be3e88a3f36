"""Small scenarios for the planning tests."""

from __future__ import annotations

from typing import Any

from sparcs.planning import PlanConfig
from sparcs.planning.setup import prepare
from sparcs.planning.sizing import SizingSolution
from sparcs.planning.verify import Measured, measure_plan
from sparcs.planning.writeback import apply_sizes, clean_sizes, round_sizes
from sparcs.scenario import Scenario, scenario_from_dict

#: Two weeks of June (steps of the year) and of March.
JUNE = (24 * 152, 24 * 166)
MARCH = (24 * 60, 24 * 74)

ONLY_PV: dict[str, Any] = {
    "battery": "none",
    "heat_pump": False,
    "thermal_storage": False,
    "retrofit": (),
}


def one_building(
    electricity_kwh: float,
    *,
    roof_m2: float = 50.0,
    tariff: dict[str, Any] | None = None,
    **building: Any,
) -> Scenario:
    """One building in Leipzig without heat demand and a flat tariff.

    Energy prices only: the known optima of the planning tests have no capacity charge (the
    Leipzig default tariff's is switched off unless ``tariff`` sets one).
    """
    return scenario_from_dict(
        {
            "name": "one building",
            "site": {"city": "leipzig"},
            "seed": 5,
            "tariff": {
                "capacity_eur_per_kw_year": 0.0,
                **(tariff or {"import_eur_per_kwh": 0.30, "export_eur_per_kwh": 0.05}),
            },
            "buildings": [
                {
                    "id": "A",
                    "use": "apartment_block",
                    "floor_area_m2": 2000.0,
                    "heating": "none",
                    "hot_water": False,
                    "electricity_kwh": electricity_kwh,
                    "roof_area_m2": roof_m2,
                    **building,
                }
            ],
        }
    )


def small_district(**changes: Any) -> Scenario:
    """Three buildings with gas, heat pump and district heating, PV and EV on one."""
    data: dict[str, Any] = {
        "name": "small district",
        "site": {"city": "leipzig"},
        "seed": 3,
        "buildings": [
            {
                "id": "A",
                "use": "apartment_block",
                "floor_area_m2": 1500.0,
                "heating": "gas_boiler",
                "construction_period": "1950-1979",
                "ev": {"count": 2},
            },
            {
                "id": "B",
                "use": "single_family",
                "floor_area_m2": 150.0,
                "heating": "air_source_hp",
                "pv": {"kwp": 5.0},
            },
            {
                "id": "C",
                "use": "office",
                "floor_area_m2": 900.0,
                "heating": "district_heating",
                "roof_area_m2": 300.0,
            },
        ],
        "district": {"battery": {"capacity_kwh": 20.0, "power_kw": 10.0}},
    }
    return scenario_from_dict({**data, **changes})


def config(**changes: Any) -> PlanConfig:
    """A quick configuration: two weeks of March, no re-run, no leave-one-out."""
    base: dict[str, Any] = {
        "period": MARCH,
        "typical_days": None,
        "verify": False,
        "measure_economics": False,
    }
    return PlanConfig(**{**base, **changes})


def plan_sizes_measured(scenario: Scenario, cfg: PlanConfig) -> tuple[SizingSolution, Measured]:
    """The cost-optimal plan's rounded sizes: the model fixed at them, and their re-run."""
    setup = prepare(scenario, cfg)
    model = setup.model
    model.set_targets((), None)
    plan = model.solve()
    sizes, retro = round_sizes(setup.cand, *clean_sizes(setup.cand, plan))
    model.fix_sizes(sizes, retro)
    fixed = model.solve()
    scenario = apply_sizes(setup.scenario, setup.cand, sizes, retro, name="rounded", description="")
    return fixed, measure_plan(setup, scenario)
