"""``sparcs profiles``: weather and profiles of a scenario to Parquet, PNG and HTML."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from sparcs.cli._console import console, print_paths, user_errors
from sparcs.cli._inputs import check_output_folder, load_checked, scenario_file
from sparcs.climate import load_weather
from sparcs.profiles.build import build_inputs
from sparcs.profiles.inputs import BUILDING_SERIES, DISTRICT_SERIES, Inputs
from sparcs.report.profile_plots import plot_profiles_html, plot_profiles_png
from sparcs.scenario import load_scenario

__all__ = ["profiles_to_files", "write_profiles"]


def _long_frame(inputs: Inputs) -> pd.DataFrame:
    n_t, n_b = inputs.n_steps, inputs.n_buildings
    frame = pd.DataFrame(
        {
            "time": np.repeat(inputs.time, n_b),
            "building": np.tile(np.array(inputs.building_ids, dtype=object), n_t),
        }
    )
    for name in BUILDING_SERIES:
        frame[name] = inputs.building[name].reshape(-1)
    return frame


def write_profiles(scenario_path: Path, out_dir: Path) -> dict[str, Path]:
    """Compute weather and profiles for a scenario file and write them with plots.

    Writes ``profiles.parquet`` (long form: time, building, one column per series [kW]),
    ``district.parquet`` (district series), ``weather.parquet``, ``profiles_week.png``,
    ``profiles_year.png`` and ``profiles.html``.
    """
    scenario = load_scenario(scenario_path)
    weather = load_weather(scenario)
    inputs = build_inputs(scenario, weather)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {
        "profiles": out_dir / "profiles.parquet",
        "district": out_dir / "district.parquet",
        "weather": out_dir / "weather.parquet",
    }
    _long_frame(inputs).to_parquet(paths["profiles"], index=False)
    pd.DataFrame({k: inputs.district[k] for k in DISTRICT_SERIES}, index=inputs.time).to_parquet(
        paths["district"]
    )
    weather.data.to_parquet(paths["weather"])
    week, year = plot_profiles_png(inputs, scenario.timezone, out_dir, scenario.name)
    paths |= {"week_png": week, "year_png": year}
    paths["html"] = plot_profiles_html(
        inputs, scenario.timezone, out_dir / "profiles.html", scenario.name
    )
    return paths


def profiles_to_files(scenario: Path, out: Path) -> None:
    """``sparcs profiles``: check the paths, write the profiles, print the files written.

    The options are those of the command (:func:`sparcs.cli.app.profiles`).
    """
    with user_errors():
        path = scenario_file(scenario, "profiles")
        load_checked(path)
        check_output_folder(out)
        with console.status("computing weather and profiles"):
            paths = write_profiles(path, out)
    print_paths(paths)
