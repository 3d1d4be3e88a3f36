"""docs/scenario-reference.md is generated from the scenario models and kept up to date."""

from __future__ import annotations

import importlib.util
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _script():
    spec = importlib.util.spec_from_file_location(
        "scenario_reference", ROOT / "scripts" / "scenario_reference.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_committed_reference_is_up_to_date() -> None:
    committed = (ROOT / "docs" / "scenario-reference.md").read_text(encoding="utf-8")
    assert committed == _script().render(), (
        "docs/scenario-reference.md is out of date: run python scripts/scenario_reference.py"
    )


def test_the_reference_names_every_key_with_unit_default_and_allowed_values() -> None:
    from sparcs.scenario import Scenario
    from sparcs.scenario.assets import PV

    text = _script().render()
    for key in Scenario.model_fields:
        assert f"| `{key}` |" in text
    for key in PV.model_fields:
        assert f"| `{key}` |" in text
    assert "| `floor_area_m2` | number (> 0) | m2 | **required** | conditioned floor area |" in text
    assert "| `tilt_deg` | number (0 … 90) | deg | `35` | tilt from horizontal |" in text
    assert "one of: `synthetic`, `embedded`, `file`" in text
    example = text.split("```toml\n", 1)[1].split("```", 1)[0]
    assert tomllib.loads(example)["site"]["city"] == "maia"  # the example is a valid file
