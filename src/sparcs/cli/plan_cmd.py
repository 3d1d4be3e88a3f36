"""``sparcs plan``: size the measures of a district, write plan.toml, plan.json and the report."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from pathlib import Path
from typing import get_args

from rich.markup import escape
from rich.table import Table

from sparcs.cli._console import UsageError, console, print_paths, user_errors
from sparcs.cli._inputs import check_output_folder, load_checked, parse_choice, scenario_file
from sparcs.planning import (
    PlanConfig,
    PlanOutcome,
    PlanResult,
    parse_target,
    plan_district,
    read_cost_overrides,
    typical_days_for,
    write_plan,
)
from sparcs.planning.verify import VerifyStrategy
from sparcs.report.format import format_number
from sparcs.report.plan_report import write_plan_report
from sparcs.scenario import Scenario, load_scenario

__all__ = ["actors_table", "plan_and_report", "plan_config", "plan_table", "run_plan"]

_VERIFY_STRATEGIES: tuple[VerifyStrategy, ...] = get_args(VerifyStrategy)


def _check_target(text: str) -> None:
    """``ss:<percent>`` in percent, as the help says; the planner works with shares."""
    kind, _, raw = text.strip().partition(":")
    if kind.strip().lower() != "ss" or not raw.strip():
        return
    try:
        value = float(raw)
    except ValueError:
        return  # parse_target names it
    if not 0 < value <= 100:
        msg = (
            f"--target {text}: a self-sufficiency target is a percentage between 0 and "
            f"100, e.g. ss:40; got {value:g} %"
        )
        raise UsageError(msg)


def _check_options(
    budget: float | None,
    typical_days: int,
    pareto: int,
    costs: Path | None,
    error_tolerance_pct: float,
) -> None:
    if budget is not None and budget < 0:
        msg = f"--budget is the largest investment in EUR and must not be negative, got {budget:g}"
        raise UsageError(msg)
    if pareto < 0 or pareto == 1:
        msg = f"--pareto must be 0 (no front) or 2 or more points, got {pareto}"
        raise UsageError(msg)
    if typical_days < 0:
        msg = f"--typical-days must be 0 (every step) or more, got {typical_days}"
        raise UsageError(msg)
    if not 0 < error_tolerance_pct < 100:
        msg = f"--error-tolerance must lie between 0 and 100 %, got {error_tolerance_pct:g}"
        raise UsageError(msg)
    if costs is not None and not costs.is_file():
        msg = f"--costs {costs} does not exist; give a TOML file of cost overrides"
        raise UsageError(msg)


def plan_config(
    targets: list[str],
    budget: float | None,
    typical_days: int,
    pareto: int,
    costs: Path | None,
    retrofit: str,
    verify: bool,
    error_tolerance_pct: float = 2.0,
    *,
    verify_strategy: str = "optimal",
    discrete: bool = False,
) -> PlanConfig:
    """The planning settings from the options of ``sparcs plan``; messages name the options.

    Raises
    ------
    UsageError
        For an option value out of range, named by its option and in its unit.
    """
    _check_options(budget, typical_days, pareto, costs, error_tolerance_pct)
    strategy = parse_choice(verify_strategy, _VERIFY_STRATEGIES, "--verify-strategy")
    for target in targets:
        _check_target(target)
    packages: tuple[str, ...] | None
    if retrofit == "all":
        packages = None
    elif retrofit == "none":
        packages = ()
    else:
        packages = tuple(p.strip() for p in retrofit.split(",") if p.strip())
    return PlanConfig(
        targets=tuple(parse_target(t) for t in targets),
        budget_eur=budget,
        typical_days=typical_days or None,
        pareto_points=pareto,
        retrofit=packages,
        costs=read_cost_overrides(costs) if costs is not None else {},
        verify=verify,
        error_tolerance=error_tolerance_pct / 100,
        verify_strategy=strategy,
        discrete=discrete,
    )


def run_plan(
    scenario_path: Path,
    *,
    out_dir: Path,
    config: PlanConfig,
) -> tuple[PlanResult, dict[str, Path]]:
    """Plan ``scenario_path`` and write ``plan.toml``, ``plan.json``, ``plan_report.html``."""
    result = plan_district(load_scenario(scenario_path), config)
    paths = write_plan(result, out_dir)
    paths["report"] = write_plan_report(out_dir / "plan_report.html", result)
    return result, paths


def plan_table(result: PlanResult) -> Table:
    """Baseline and plan side by side."""
    table = Table(title=escape(f"{result.baseline.scenario.name}: plan"), title_justify="left")
    for column in ("", "baseline", "plan"):
        table.add_column(column, justify="left" if not column else "right")
    rows: tuple[tuple[str, Callable[[PlanOutcome], float]], ...] = (
        ("PV [kWp]", lambda o: o.sizes["pv"]),
        ("heat pumps [kW_th]", lambda o: o.sizes["hp"]),
        ("batteries [kWh]", lambda o: o.sizes["battery_energy"]),
        ("tanks [kWh]", lambda o: o.sizes["tank"]),
        ("EV charge points [kW]", lambda o: o.sizes["ev"]),
        ("retrofit [m2]", lambda o: sum(o.retrofit_m2.values())),
        ("investment [EUR]", lambda o: o.capex_eur),
        ("total annual cost [EUR/a]", lambda o: o.total_annual_cost_eur),
        ("PE balance [MWh_PE/a]", lambda o: o.pe_balance_kwh / 1000),
        ("CO2 [t/a]", lambda o: o.co2_kg / 1000),
        ("net GHG [t/a]", lambda o: o.ghg_kg / 1000),
        ("self-sufficiency [%]", lambda o: 100 * o.self_sufficiency),
    )
    for label, get in rows:
        table.add_row(
            escape(label), format_number(get(result.baseline)), format_number(get(result.plan))
        )
    check = result.verification
    if check is not None and math.isfinite(check.cost_error):
        table.caption = (
            f"figures of the rounded plan operated over the full period "
            f"({check.strategy}); {escape(check.description)}: cost "
            f"{100 * check.cost_error:+.2f} %, PE balance "
            f"{100 * check.pe_error:+.2f} %, CO2 {100 * check.co2_error:+.2f} %"
        )
        if check.typical_days is not None and math.isfinite(check.tolerance):
            verdict = "within" if check.within_tolerance else "ABOVE"
            table.caption += (
                f" on {check.typical_days} typical days: {verdict} the "
                f"{100 * check.tolerance:g} % tolerance"
            )
        for c in check.targets:
            table.caption += f"\n{escape(c.describe())}"
        if check.unmet_reason:
            table.caption += f"\n{escape(check.unmet_reason)}"
    if result.continuous_plan is not None:
        gap = "n/a" if result.mip_gap is None else f"{100 * result.mip_gap:.2f} %"
        table.caption = (table.caption or "") + (
            f"\ndiscrete plan, MIP gap {gap}; the continuous plan (lower bound) costs "
            f"{format_number(result.continuous_plan.total_annual_cost_eur)} EUR/a"
        )
    return table


def actors_table(result: PlanResult) -> Table | None:
    """Who pays and who gains: NPV, IRR, payback and bill change per actor."""
    finance = result.finance
    if finance is None or not finance.actors:
        return None
    table = Table(title="who pays and who gains", title_justify="left")
    for column in (
        "actor",
        "invests [EUR]",
        "NPV [EUR]",
        "IRR [%]",
        "payback [a]",
        "bill, year 1 [EUR/a]",
    ):
        table.add_column(column, justify="left" if column == "actor" else "right")
    for a in finance.actors.values():
        table.add_row(
            escape(a.name.replace("_", " ")),
            format_number(a.invests_eur),
            format_number(a.npv_eur),
            format_number(100 * a.irr),
            format_number(a.payback_years),
            format_number(a.bill_change_eur),
        )
    if finance.split_incentives:
        table.caption = "split incentives: " + "; ".join(
            escape(s.describe()) for s in finance.split_incentives
        )
    return table


def default_typical_days(scenario: Scenario) -> int:
    """Typical days of ``sparcs plan`` without ``--typical-days``: by the district's size.

    The sizing LP grows with buildings x days, and its cold solve faster than that
    (:func:`sparcs.planning.typical_days_for`: 12, or 8 from 50 buildings).

    Parameters
    ----------
    scenario
        The district to plan.

    Returns
    -------
    int
        Typical days.
    """
    return typical_days_for(len(scenario.buildings))


def plan_and_report(
    scenario: Path,
    *,
    targets: list[str],
    budget: float | None,
    typical_days: int | None,
    pareto: int,
    costs: Path | None,
    retrofit: str,
    verify: bool,
    discrete: bool,
    verify_strategy: str,
    error_tolerance_pct: float,
    out: Path,
) -> None:
    """``sparcs plan``: check the options, plan, print the tables and the files written.

    The options are those of the command (:func:`sparcs.cli.app.plan`).
    """
    with user_errors():
        path = scenario_file(scenario, "plan")
        config = plan_config(
            targets,
            budget,
            12 if typical_days is None else typical_days,
            pareto,
            costs,
            retrofit,
            verify,
            error_tolerance_pct,
            verify_strategy=verify_strategy,
            discrete=discrete,
        )
        check_output_folder(out)
        district = load_checked(path)
        if typical_days is None:
            config = dataclasses.replace(config, typical_days=default_typical_days(district))
        with console.status("planning: profiles, sizing LP, economics, re-run"):
            result, paths = run_plan(path, out_dir=out, config=config)
    console.print(plan_table(result))
    actors = actors_table(result)
    if actors is not None:
        console.print(actors)
    check = result.verification
    if check is not None and not check.targets_hold:
        console.print(
            f"[bold red]not every target holds on the full period[/]: "
            f"{escape(check.unmet_reason)}; the plan written is the nearest one found"
        )
    print_paths(paths)
