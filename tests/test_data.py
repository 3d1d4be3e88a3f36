"""Embedded data: every city, factor set and archetype loads, with sources and sane values."""

from __future__ import annotations

import pytest

from sparcs.data import (
    CARRIERS,
    city_names,
    factor_set_names,
    get_city,
    get_factor_set,
    get_tariff,
)
from sparcs.errors import ScenarioError

SPARCS_CITIES = {"espoo", "leipzig", "reykjavik", "maia", "lviv", "kifissia", "kladno"}


def test_the_seven_cities_are_embedded() -> None:
    assert set(city_names()) == SPARCS_CITIES


@pytest.mark.parametrize("key", sorted(SPARCS_CITIES))
def test_city_data_is_complete_and_sourced(key: str) -> None:
    city = get_city(key)
    assert len(city.temp_c) == len(city.temp_amp_c) == len(city.ghi_kwh_m2) == 12
    assert -10 < sum(city.temp_c) / 12 < 25
    assert 500 < city.annual_ghi_kwh_m2 < 2200
    for group in ("temp_source", "ghi_source", "location_source", "temp_amp_source", "wind_source"):
        assert city.sources[group], group
    factors = get_factor_set(city.factor_set)
    assert factors.country == city.country
    tariff = get_tariff(city.tariff)
    assert tariff.electricity_import_eur_per_kwh > tariff.electricity_export_eur_per_kwh > 0


def test_published_annual_ghi_of_espoo() -> None:
    # FMI 1991-2020 via domain.md 7.3: 896 kWh/m2 a
    assert get_city("espoo").annual_ghi_kwh_m2 == pytest.approx(896)


@pytest.mark.parametrize("name", factor_set_names())
def test_factor_sets_cover_every_carrier(name: str) -> None:
    factor_set = get_factor_set(name)
    assert set(factor_set.carriers) == set(CARRIERS)
    for carrier in CARRIERS:
        f = factor_set[carrier]
        assert 0 <= f.pef <= 4 and 0 <= f.co2_kg_per_kwh < 1.2
        assert f.source
    assert 0 <= factor_set.grid_renewable_share <= 1
    assert 0 <= factor_set.dh_renewable_share <= 1
    assert factor_set.dh_allocation


def test_regulatory_values_as_published() -> None:
    de, code = get_factor_set("de-geg-2020"), get_factor_set("de-geg-2020-building-code")
    assert de["electricity"].f_p_nren == code["electricity"].f_p_nren == 1.8  # GEG Anlage 4
    # f_P,ren by the grid-mix method on the 54 % renewable share: 1.8 + 1.07 x 0.54
    assert de["electricity"].f_p_tot == pytest.approx(1.8 + 1.07 * 0.54, abs=0.005)
    # actual grid mix, symmetric by default; the GEG 560/860 g only in the labelled option
    assert de["electricity"].co2_kg_per_kwh == de["electricity"].co2_export_kg_per_kwh == 0.342
    assert code["electricity"].co2_kg_per_kwh == 0.560
    assert code["electricity"].co2_export_kg_per_kwh == 0.860
    assert code.export_credit == "asymmetric-regulatory" and de.export_credit == "symmetric"


def test_the_harmonised_set_is_the_stated_method_on_public_inputs() -> None:
    harmonised = get_factor_set("eu-harmonised-2024")
    fossil, nuclear, renewable = 0.29, 0.24, 0.47  # EU-27 2024 generation shares (Ember)
    nren = 1.07 * (2.5 * fossil + 3.0 * nuclear)
    assert harmonised["electricity"].f_p_nren == pytest.approx(nren, abs=0.005)
    assert harmonised["electricity"].f_p_tot == pytest.approx(nren + 1.07 * renewable, abs=0.005)
    assert harmonised.grid_renewable_share == renewable
    # GEG 2020 heat-only plant on fossil fuel: Anlage 4 1.3, Anlage 9 300 g; no renewable part
    heat = harmonised["district_heat"]
    assert (heat.f_p_nren, heat.f_p_tot, heat.co2_kg_per_kwh) == (1.3, 1.3, 0.300)
    # chillers at a seasonal COP of 4 on the set's own grid electricity
    cold, grid = harmonised["district_cold"], harmonised["electricity"]
    assert cold.f_p_nren == pytest.approx(grid.f_p_nren / 4, abs=0.005)
    assert cold.co2_kg_per_kwh == pytest.approx(grid.co2_kg_per_kwh / 4, abs=0.0005)
    # fuels: GEG Anlage 4 f_P,nren; f_P,tot adds the fuel's own renewable content (wood only)
    assert [harmonised[c].f_p_tot - harmonised[c].f_p_nren for c in ("gas", "oil", "biomass")] == [
        0.0,
        0.0,
        pytest.approx(1.0),
    ]
    for carrier in harmonised.carriers:
        assert "to verify" not in harmonised[carrier].source


@pytest.mark.parametrize(
    ("getter", "name"), [(get_city, "paris"), (get_factor_set, "xx"), (get_tariff, "yy")]
)
def test_unknown_names_list_the_known_ones(getter: object, name: str) -> None:
    with pytest.raises(ScenarioError, match="embedded"):
        getter(name)  # type: ignore[operator]
