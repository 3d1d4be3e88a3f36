"""Write the malformed-input corpus (files and ``cases.toml``) from the small fixtures.

Run from the repository root: ``python tests/data/malformed/make_cases.py``. Each case is a
small file plus its expected outcome (``error`` with a substring of the message, ``accept``
or ``warn``), run by ``tests/test_malformed_corpus.py`` through the real entry points.
"""

from __future__ import annotations

from pathlib import Path

import tomli_w

HERE = Path(__file__).parent
DATA = HERE.parent
EPW = (DATA / "epw_prague_2019_3days.epw").read_text().rstrip("\n").split("\n")
NSRDB = (DATA / "nsrdb_prague_2019_3days.csv").read_text().rstrip("\n").split("\n")
CSV = (DATA / "weather_prague_2019_3days.csv").read_text().rstrip("\n").split("\n")
CASES: list[dict[str, object]] = []
BUILDING = (
    '[[buildings]]\nid = "a"\nuse = "apartment_block"\nfloor_area_m2 = 2000\nresidents = 60\n'
)


def case(
    name: str,
    text: str | bytes,
    kind: str,
    expect: str,
    message: str = "",
    rule: int = 0,
    error: str = "",
    args: str = "",
) -> None:
    path = HERE / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8", newline="")
    if kind == "data":  # a file used by a scenario case
        return
    CASES.append(
        {
            "file": name,
            "kind": kind,
            "expect": expect,
            "message": message,
            "rule": rule,
            "error": error,
            "args": args,
        }
    )


def scenario(
    extra: str = "", buildings: str = BUILDING, site: str = 'site = {city = "kladno"}'
) -> str:
    return f'name = "corpus"\n{site}\n{extra}\n{buildings}'


def lines(rows: list[str], crlf: bool = False) -> str:
    return ("\r\n" if crlf else "\n").join(rows) + ("\r\n" if crlf else "\n")


def edit_fields(rows: list[str], index: int, change) -> list[str]:
    out = list(rows)
    fields = out[index].split(",")
    change(fields)
    out[index] = ",".join(fields)
    return out


def csv_column(rows: list[str], column: str, func) -> list[str]:
    header = next(i for i, r in enumerate(rows) if r.startswith("time,"))
    names = rows[header].split(",")
    k = names.index(column)
    out = list(rows)
    for i in range(header + 1, len(out)):
        fields = out[i].split(",")
        fields[k] = f"{func(float(fields[k])):.4g}"
        out[i] = ",".join(fields)
    return out


def hours(n: int, values, column: str = "price_eur_per_kwh", fmt=None) -> list[str]:
    rows = [f"time,{column}"]
    for i in range(n):
        stamp = fmt(i) if fmt else f"2025-01-01T{i:02d}:00+01:00"
        rows.append(f"{stamp},{values[i % len(values)]}")
    return rows


def main() -> None:
    for old in HERE.iterdir():
        if old.name not in ("make_cases.py",):
            old.unlink()

    # 1 structure
    def drop6(f):
        del f[6]

    case(
        "epw_row_missing_field.epw",
        lines(edit_fields(EPW, 30, drop6)),
        "weather",
        "error",
        "line 31: 34 field(s)",
        1,
        "WeatherError",
    )
    case(
        "epw_row_extra_field.epw",
        lines(edit_fields(EPW, 40, lambda f: f.insert(7, "1.0"))),
        "weather",
        "error",
        "line 41: 36 field(s)",
        1,
    )
    case(
        "nsrdb_row_missing_field.csv",
        lines(edit_fields(NSRDB, 40, drop6)),
        "weather-nsrdb",
        "error",
        "line 41",
        1,
    )
    case(
        "weather_csv_extra_field.csv",
        lines(edit_fields(CSV, 20, lambda f: f.append("7"))),
        "weather",
        "error",
        "line 21: 7 field(s) but the header",
        1,
    )
    case(
        "weather_csv_no_ghi.csv",
        lines([r.replace("time,ghi,", "time,global,") for r in CSV]),
        "weather",
        "error",
        "'ghi'",
        1,
    )
    case(
        "price_extra_field.csv",
        lines([*hours(3, [0.2])[:3], "2025-01-01T02:00+01:00,0.2,0.3"]),
        "price",
        "error",
        "line 4: 3 field(s)",
        1,
    )
    case(
        "price_wrong_column.csv",
        lines(hours(4, [0.2], column="price")),
        "price",
        "error",
        "lacks column(s) price_eur_per_kwh",
        1,
    )
    case(
        "co2_duplicate_header.csv",
        "time,co2_kg_per_kwh,co2_kg_per_kwh\n2025-01-01T00:00Z,0.3,0.3\n",
        "co2",
        "error",
        "appears twice",
        1,
    )
    case(
        "price_unsorted.csv",
        lines(hours(3, [0.2])[:1] + ["2025-01-01T02:00+01:00,0.2", "2025-01-01T01:00+01:00,0.2"]),
        "price",
        "error",
        "duplicate or unsorted",
        1,
    )
    case(
        "weather_csv_off_grid.csv",
        lines(edit_fields(CSV, 20, lambda f: f.__setitem__(0, f[0].replace(":00+", ":30+")))),
        "weather",
        "error",
        "off the 1 h grid",
        1,
    )
    case("stock_short_row.csv", "id,use,floor_area_m2\nb1,office,1200\nb2,3000\n", "data", "accept")
    case(
        "scenario_stock_short_row.toml",
        scenario('buildings_file = "stock_short_row.csv"', ""),
        "scenario",
        "error",
        "line 3: 2 field(s) but the header",
        1,
    )
    case("stock_column_clash.csv", "id,floor_area_m2,pv,pv.kwp\nb1,1200,10,10\n", "data", "accept")
    case(
        "scenario_stock_column_clash.toml",
        scenario('buildings_file = "stock_column_clash.csv"', ""),
        "scenario",
        "error",
        "clashes with column 'pv'",
        1,
    )
    # 2 units and magnitudes
    case(
        "weather_csv_fahrenheit.csv",
        lines(csv_column(CSV, "temp_air", lambda t: t * 9 / 5 + 32)),
        "weather",
        "error",
        "degF",
        2,
        "UnitError",
    )
    case(
        "weather_csv_kelvin.csv",
        lines(csv_column(CSV, "temp_air", lambda t: t + 273.15)),
        "weather",
        "error",
        "like K,",
        2,
        "UnitError",
    )
    kw = CSV
    for column in ("ghi", "dni", "dhi"):
        kw = csv_column(kw, column, lambda v: v / 1000)
    case("weather_csv_kw_per_m2.csv", lines(kw), "weather", "error", "kW/m2", 2, "UnitError")
    header = next(i for i, r in enumerate(CSV) if r.startswith("time,"))
    declared = [
        *CSV[:header],
        CSV[header].replace("temp_air", "temp_air_degf"),
        *csv_column(CSV, "temp_air", lambda t: t * 9 / 5 + 32)[header + 1 :],
    ]
    case("weather_csv_declared_degf.csv", lines(declared), "weather", "accept", "", 2)

    def epw_f(f):
        f[6] = f"{float(f[6]) * 9 / 5 + 32:.1f}"

    epw_f_rows = list(EPW)
    for i in range(8, len(EPW)):
        epw_f_rows = edit_fields(epw_f_rows, i, epw_f)
    case("epw_fahrenheit.epw", lines(epw_f_rows), "weather", "error", "degF", 2, "UnitError")
    mwh = [60, 85, 120, -5, 40]
    case(
        "price_eur_per_mwh_undeclared.csv",
        lines(hours(24, mwh)),
        "price",
        "error",
        "EUR/MWh",
        2,
        "UnitError",
    )
    case(
        "price_ct_per_kwh_undeclared.csv",
        lines(hours(24, [28.5, 31.0, 25.2])),
        "price",
        "error",
        "ct/kWh",
        2,
        "UnitError",
    )
    case(
        "price_eur_per_mwh_declared.csv",
        lines(hours(24, mwh, column="price_eur_per_mwh")),
        "price",
        "accept",
        "",
        2,
    )
    case(
        "co2_g_per_kwh_undeclared.csv",
        lines(hours(24, [380, 410, 290], "co2_kg_per_kwh")),
        "co2",
        "error",
        "g/kWh",
        2,
        "UnitError",
    )
    case(
        "co2_g_per_kwh_declared.csv",
        lines(hours(24, [380, 410, 290], "co2_g_per_kwh")),
        "co2",
        "accept",
        "",
        2,
    )
    case(
        "co2_spike.csv",
        lines(
            hours(
                24,
                [
                    0.38,
                    0.41,
                    0.29,
                    0.3,
                    0.31,
                    0.33,
                    0.35,
                    0.36,
                    0.4,
                    0.42,
                    0.4,
                    0.39,
                    0.38,
                    0.37,
                    0.36,
                    0.35,
                    0.34,
                    0.33,
                    0.32,
                    0.31,
                    0.3,
                    0.3,
                    0.3,
                    3.5,
                ],
                "co2_kg_per_kwh",
            )
        ),
        "co2",
        "error",
        "line 25: 3.5 kg/kWh is outside the plausible range",
        2,
    )
    sunrise = next(i for i, r in enumerate(NSRDB) if r.startswith("2019,3,30,5,0,"))
    case(
        "nsrdb_ghi_above_limit.csv",
        lines(edit_fields(NSRDB, sunrise, lambda f: f.__setitem__(7, "900"))),
        "weather-nsrdb",
        "error",
        "physically possible",
        2,
    )
    case(
        "scenario_heat_in_mwh.toml",
        scenario(buildings=BUILDING + "space_heat_kwh = 180\n"),
        "scenario",
        "error",
        "MWh",
        2,
    )
    case(
        "scenario_electricity_in_wh.toml",
        scenario(buildings=BUILDING + "electricity_kwh = 64000000\n"),
        "scenario",
        "error",
        "Wh",
        2,
    )
    case(
        "scenario_price_in_eur_per_mwh.toml",
        scenario("[tariff]\nimport_eur_per_kwh = 250.0\n"),
        "scenario",
        "error",
        "EUR/MWh",
        2,
    )
    case(
        "scenario_unusual_intensity.toml",
        scenario(buildings=BUILDING + "space_heat_kwh = 1400000\n"),
        "scenario",
        "warn",
        "is unusual",
        2,
    )

    # 3 site consistency
    def southern(rows):
        out = list(rows)
        f = out[0].split(",")
        f[6], f[7] = "-33.93", "18.42"
        out[0] = ",".join(f)
        return out

    case("epw_cape_town.epw", lines(southern(EPW)), "data", "accept")
    case(
        "scenario_weather_other_hemisphere.toml",
        scenario('[weather]\nsource = "file"\nfile = "epw_cape_town.epw"\n'),
        "weather-scenario",
        "error",
        "km from the scenario's site",
        3,
    )

    def nearby(rows):
        out = list(rows)
        f = out[0].split(",")
        f[6] = "50.80"
        out[0] = ",".join(f)
        return out

    case("epw_80km_north.epw", lines(nearby(EPW)), "data", "accept")
    case(
        "scenario_weather_80km.toml",
        scenario('[weather]\nsource = "file"\nfile = "epw_80km_north.epw"\n'),
        "weather-scenario",
        "warn",
        "km from the site",
        3,
    )
    shifted = [r.replace("+0100,", "-0400,").replace("+0200,", "-0300,") for r in CSV]
    case("weather_csv_wrong_offset.csv", lines(shifted), "weather", "error", "below the horizon", 3)
    # 4 degenerate systems
    case("scenario_no_buildings.toml", scenario(buildings=""), "run", "error", "no buildings", 4)
    case(
        "scenario_battery_inf.toml",
        scenario(buildings=BUILDING + "battery = {capacity_kwh = inf, power_kw = 50}\n"),
        "scenario",
        "error",
        "not a finite number",
        4,
    )
    case(
        "scenario_pv_nan.toml",
        scenario(buildings=BUILDING + "pv = {kwp = nan}\n"),
        "scenario",
        "error",
        "not a finite number",
        4,
    )
    case(
        "scenario_floor_area_1e12.toml",
        scenario(buildings=BUILDING.replace("2000", "1e12")),
        "scenario",
        "error",
        "floor_area_m2 = 1e+12 m2 is outside the plausible range",
        4,
    )
    case(
        "scenario_huge_rooftop_pv.toml",
        scenario(buildings=BUILDING + "pv = {kwp = 500000}\n"),
        "scenario",
        "error",
        "pv.kwp",
        4,
    )
    case(
        "scenario_residents_crowded.toml",
        scenario(buildings=BUILDING.replace("residents = 60", "residents = 20000")),
        "scenario",
        "error",
        "floor area per resident",
        4,
    )
    case(
        "scenario_grid_limit_inf.toml",
        scenario("[grid]\nimport_limit_kw = inf\n"),
        "scenario",
        "error",
        "not a finite number",
        4,
    )
    # 5 dates
    case(
        "price_dotted_dates.csv",
        lines(hours(3, [0.2], fmt=lambda i: f"1.6.2025 {17 + i}:00+02:00")),
        "price",
        "error",
        "not an ISO 8601",
        5,
        "TimeIndexError",
    )
    case(
        "price_us_dates.csv",
        lines(hours(3, [0.2], fmt=lambda i: f"06/01/2025 {17 + i}:00")),
        "price",
        "error",
        "ISO 8601",
        5,
        "TimeIndexError",
    )
    case(
        "price_naive_iso.csv",
        lines(hours(3, [0.2], fmt=lambda i: f"2025-06-01T{17 + i}:00")),
        "price",
        "error",
        "no UTC offset",
        5,
        "TimeIndexError",
    )
    dotted = [
        r if not r.startswith("2019-") else f"{r[8:10]}.{r[5:7]}.{r[0:4]} {r[11:16]}{r[16:]}"
        for r in CSV
    ]
    case("weather_csv_dotted_dates.csv", lines(dotted), "weather", "error", "ISO 8601", 5)
    # 6 valid data stays valid
    case("scenario_bom.toml", b"\xef\xbb\xbf" + scenario().encode(), "scenario", "accept", "", 6)
    case("scenario_crlf.toml", scenario().replace("\n", "\r\n"), "scenario", "accept", "", 6)
    case(
        "stock_bom_trailing.csv",
        b"\xef\xbb\xbfid,use,floor_area_m2\r\nb1,office,1200\r\n,,\r\n,,\r\n\r\n",
        "data",
        "accept",
    )
    case(
        "scenario_stock_bom_trailing.toml",
        scenario('buildings_file = "stock_bom_trailing.csv"', ""),
        "scenario",
        "accept",
        "",
        6,
    )
    negative = [0.0812, 0.0455, -0.0123, -0.0051, 0.0034, 0.1121]
    case(
        "price_negative_bom_crlf_trailing.csv",
        b"\xef\xbb\xbf" + lines(hours(24, negative), crlf=True).encode() + b",\r\n,\r\n\r\n",
        "price",
        "accept",
        "",
        6,
    )
    case(
        "co2_bom.csv",
        b"\xef\xbb\xbf" + lines(hours(24, [0.38, 0.41, 0.29], "co2_kg_per_kwh")).encode(),
        "co2",
        "accept",
        "",
        6,
    )
    case(
        "weather_csv_trailing_rows.csv",
        lines([*CSV, ",,,,,", "", ",,,,,"], crlf=True),
        "weather",
        "accept",
        "",
        6,
    )
    case("epw_trailing_rows.epw", lines([*EPW, "," * 34, "," * 34]), "weather", "accept", "", 6)
    case(
        "nsrdb_crlf_trailing.csv",
        lines([*NSRDB, ",,,"], crlf=True),
        "weather-nsrdb",
        "accept",
        "",
        6,
    )
    for name in ("nsrdb_2019_athens.csv", "nsrdb_2019_potsdam.csv", "nsrdb_2019_prague.csv"):
        CASES.append(
            {
                "file": f"../../../src/sparcs/data/weather/{name}",
                "kind": "weather",
                "expect": "accept",
                "message": "",
                "rule": 6,
                "error": "",
                "args": "",
            }
        )
    for name in (
        "epw_prague_2019_3days.epw",
        "nsrdb_prague_2019_3days.csv",
        "weather_prague_2019_3days.csv",
        "nsrdb_2019_60min_prague_50.09_14.42.csv",
    ):
        CASES.append(
            {
                "file": f"../{name}",
                "kind": "weather-nsrdb" if "nsrdb" in name else "weather",
                "expect": "accept",
                "message": "",
                "rule": 6,
                "error": "",
                "args": "",
            }
        )
    # 7 one-line errors, no traceback
    case(
        "scenario_deeply_nested.toml",
        "name = " + "[" * 3000 + "]" * 3000 + "\n",
        "scenario",
        "error",
        "nested too deeply",
        7,
    )
    case(
        "scenario_buildings_table.toml",
        scenario(buildings='[buildings]\nid = "a"\nfloor_area_m2 = 10\n'),
        "scenario",
        "error",
        "array of tables",
        7,
    )
    case("stock_missing_column.csv", "id,use\nb1,office\nb2,school\nb3,retail\n", "data", "accept")
    case(
        "scenario_stock_missing_column.toml",
        scenario('buildings_file = "stock_missing_column.csv"', ""),
        "scenario",
        "error",
        "column floor_area_m2 is missing",
        7,
    )
    case(
        "costs_malformed.toml",
        'discount_rate = "five"\n[technologies.pv]\ncapex = "cheap"\nlifetime_years = -3\n',
        "costs",
        "error",
        "pv.capex: 'cheap' is not a number",
        7,
    )
    case(
        "costs_nested.toml",
        "x = " + "[" * 3000 + "]" * 3000 + "\n",
        "costs",
        "error",
        "nested too deeply",
        7,
    )
    case(
        "scenario_costs_table_bad.toml",
        scenario('[costs.pv]\ncapex = "cheap"\n'),
        "scenario",
        "error",
        "costs.pv.capex",
        7,
    )
    case(
        "scenario_not_utf8.toml",
        scenario('description = "Gr\u00fcnau"\n').encode("latin-1"),
        "scenario",
        "error",
        "not UTF-8",
        7,
    )
    CASES.append(
        {
            "file": "scenario_deeply_nested.toml",
            "kind": "cli",
            "expect": "error",
            "message": "nested too deeply",
            "rule": 7,
            "error": "",
            "args": "validate {file}",
        }
    )
    CASES.append(
        {
            "file": "scenario_bom.toml",
            "kind": "cli",
            "expect": "accept",
            "message": "ok",
            "rule": 6,
            "error": "",
            "args": "validate {file}",
        }
    )
    CASES.append(
        {
            "file": "scenario_stock_short_row.toml",
            "kind": "cli",
            "expect": "error",
            "message": "field(s) but the header",
            "rule": 7,
            "error": "",
            "args": "validate {file}",
        }
    )
    CASES.append(
        {
            "file": "scenario_no_buildings.toml",
            "kind": "cli",
            "expect": "error",
            "message": "no buildings",
            "rule": 4,
            "error": "",
            "args": "run {file} --out {tmp}",
        }
    )
    CASES.append(
        {
            "file": "scenario_weather_other_hemisphere.toml",
            "kind": "cli",
            "expect": "error",
            "message": "km from the scenario's site",
            "rule": 3,
            "error": "",
            "args": "run {file} --out {tmp}",
        }
    )
    head = (
        "# Malformed-input corpus: written by make_cases.py; "
        "run by tests/test_malformed_corpus.py\n"
        "# kind: scenario | run | weather | weather-nsrdb | weather-scenario | price | co2 | "
        "costs | cli\n"
        "# expect: error (message must contain `message`) | accept | warn (PlausibilityWarning)\n"
        "# rule: the rule of docs/validation.md the case covers\n\n"
    )
    rows = [{k: v for k, v in c.items() if v != ""} for c in CASES]
    (HERE / "cases.toml").write_text(head + tomli_w.dumps({"case": rows}), encoding="utf-8")


if __name__ == "__main__":
    main()
