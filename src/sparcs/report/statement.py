"""Printable monthly statements of an energy community, one HTML page per member and month.

Pages are plain HTML with a print style sheet (A4, no script), in the member's language
(:mod:`sparcs.i18n`, domain ``community``): ``<html lang>`` set, numbers, money and months
in the language's format, tables with captions and header cells for screen readers.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from html import escape
from pathlib import Path
from string import Template

import pandas as pd

from sparcs.community.prices import Prices
from sparcs.community.settle import Settlement
from sparcs.i18n.catalogue import translations
from sparcs.i18n.formats import Formats, formats

__all__ = ["DOMAIN", "file_names", "render_statement", "write_statement_pages"]

#: Catalogue domain of the statements.
DOMAIN = "community"

_STYLE = """
body { font-family: "Noto Sans", "Liberation Sans", Arial, sans-serif; color: #1f2933;
  margin: 0 auto; max-width: 48rem; padding: 1.5rem; line-height: 1.45; font-size: 1rem; }
header { border-bottom: 3px solid #1b263b; margin-bottom: 1rem; }
h1 { font-size: 1.5rem; margin: 0 0 .25rem; }
.eyebrow { margin: 0; color: #52606d; font-size: .9rem; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: 1rem 0; }
dl.meta dt { color: #52606d; } dl.meta dd { margin: 0; font-weight: 600; }
table { border-collapse: collapse; width: 100%; margin: 0 0 1.25rem; }
caption { text-align: left; font-weight: 700; font-size: 1.1rem; padding: .25rem 0; }
th, td { border-bottom: 1px solid #cbd2d9; padding: .35rem .5rem; text-align: left; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.total th, tr.total td { font-weight: 700; border-top: 2px solid #1f2933; }
p.note { color: #3e4c59; font-size: .9rem; }
a { color: #1d4ed8; } a:focus { outline: 3px solid #1d4ed8; outline-offset: 2px; }
@media print { body { max-width: none; padding: 0; font-size: 10.5pt; } a { color: inherit; }
  @page { size: A4; margin: 18mm; } table { page-break-inside: avoid; } }
"""

_PAGE = Template("""<!DOCTYPE html>
<html lang="$lang">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>$title</title>
<style>$style</style>
</head>
<body>
<header>
<p class="eyebrow">$community</p>
<h1>$heading</h1>
</header>
<main>
$body
</main>
</body>
</html>
""")


def _key_text(settlement: Settlement, language: str) -> str:
    _ = translations(language, DOMAIN).gettext
    key = settlement.key
    if key == "static":
        return _("static shares")
    if key == "iterative":
        return _("static shares, what is left redistributed (up to %(rounds)s rounds)") % {
            "rounds": settlement.rounds
        }
    if key == "proportional":
        return _("in proportion to consumption in each interval")
    if key == "priority":
        return _("priority order")
    return _("own building first, then shares")


def _rows(rows: Sequence[Sequence[str]], total: int | None = None) -> str:
    cells = []
    for i, (label, *values) in enumerate(rows):
        kind = ' class="total"' if total is not None and i == total else ""
        tds = "".join(f'<td class="num">{escape(v)}</td>' for v in values)
        cells.append(f'<tr{kind}><th scope="row">{escape(label)}</th>{tds}</tr>')
    return "\n".join(cells)


def _energy(row: pd.Series, f: Formats, language: str) -> str:
    _ = translations(language, DOMAIN).gettext

    def kwh(name: str) -> str:
        return f"{f.number(float(row[name]), 1)} kWh"

    consumption = float(row["consumption_kwh"])
    cover = 100 * float(row["allocated_kwh"]) / consumption if consumption > 0 else 0.0
    rows = [
        (_("Consumption"), kwh("consumption_kwh")),
        (_("Community energy allocated to you"), kwh("allocated_kwh")),
        (_("Grid import (billed by your supplier)"), kwh("grid_import_kwh")),
        (_("Share of your consumption covered by the community"), f"{f.number(cover, 1)} %"),
    ]
    if float(row["production_kwh"]) > 0:
        rows += [
            (_("Your production fed to the community"), kwh("production_kwh")),
            (_("Shared with community members"), kwh("shared_kwh")),
            (_("Exported to the grid"), kwh("own_export_kwh")),
        ]
    item, energy = _("Item"), _("Energy")
    head = (
        f'<tr><th scope="col">{escape(item)}</th>'
        f'<th scope="col" class="num">{escape(energy)}</th></tr>'
    )
    return (
        f"<table>\n<caption>{escape(energy)}</caption>\n<thead>{head}</thead>\n"
        f"<tbody>{_rows(rows)}</tbody>\n</table>"
    )


def _money(row: pd.Series, prices: Prices, rows_: slice, f: Formats, language: str) -> str:
    _ = translations(language, DOMAIN).gettext

    def eur(name: str) -> str:
        return f.money(float(row[name]))

    def per_kwh(price: float) -> str:
        return f"{f.money(price)}/kWh"

    grid = float(row["grid_import_kwh"])
    mean_grid = (
        float(row["grid_cost_eur"]) / grid
        if grid > 0
        else float(prices.grid_import_eur_per_kwh[rows_].mean())
    )
    lines: list[tuple[str, str, str, str]] = [
        (
            _("Community energy"),
            f"{f.number(float(row['allocated_kwh']), 1)} kWh",
            per_kwh(prices.community_eur_per_kwh),
            eur("community_cost_eur"),
        ),
        (
            _("Grid electricity"),
            f"{f.number(grid, 1)} kWh",
            per_kwh(mean_grid),
            eur("grid_cost_eur"),
        ),
        (_("Your energy bill"), "", "", eur("bill_eur")),
        (_("The same consumption without the community"), "", "", eur("without_community_eur")),
        (_("Your saving"), "", "", eur("savings_eur")),
    ]
    total = 2
    if float(row["production_kwh"]) > 0:
        lines += [
            (
                _("Income from energy shared"),
                f"{f.number(float(row['shared_kwh']), 1)} kWh",
                per_kwh(prices.community_eur_per_kwh),
                eur("shared_income_eur"),
            ),
            (
                _("Income from export"),
                f"{f.number(float(row['own_export_kwh']), 1)} kWh",
                per_kwh(prices.grid_export_eur_per_kwh),
                eur("export_income_eur"),
            ),
            (_("Net amount"), "", "", eur("net_eur")),
        ]
        total = len(lines) - 1
    titles = (_("Item"), _("Quantity"), _("Price"), _("Amount"))
    number = ' class="num"'
    head = "".join(
        f'<th scope="col"{number if i else ""}>{escape(t)}</th>' for i, t in enumerate(titles)
    )
    caption = _("Costs and income")
    return (
        f"<table>\n<caption>{escape(caption)}</caption>\n<thead><tr>{head}</tr></thead>\n"
        f"<tbody>{_rows(lines, total)}</tbody>\n</table>"
    )


def render_statement(
    settlement: Settlement,
    row: pd.Series,
    rows: slice,
    prices: Prices | None = None,
    *,
    language: str = "en",
) -> str:
    """One member's statement for one month as a printable HTML page.

    Parameters
    ----------
    settlement
        The settlement.
    row
        The member's row of the statement table for the month (energy [kWh], money [EUR]).
    rows
        The month's intervals in the settlement.
    prices
        The prices of the table; None for energy only.
    language
        Language code of :data:`sparcs.i18n.LANGUAGES`.

    Returns
    -------
    str
        The page.
    """
    _ = translations(language, DOMAIN).gettext
    f = formats(language)
    year, month = (int(part) for part in str(row["month"]).split("-"))
    period = f.month(year, month)
    readings = settlement.readings
    first, last = readings.local_time[rows][[0, -1]]
    meta = [
        (_("Member"), str(row["member"])),
        (_("Period"), period),
        (_("Settlement key"), _key_text(settlement, language)),
        (
            _("Intervals"),
            _("%(count)s intervals of %(minutes)s minutes, %(first)s to %(last)s")
            % {
                "count": f.number(rows.stop - rows.start, 0),
                "minutes": readings.step_min,
                "first": first.strftime("%Y-%m-%d %H:%M"),
                "last": last.strftime("%Y-%m-%d %H:%M"),
            },
        ),
    ]
    body = (
        ['<dl class="meta">']
        + [f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in meta]
        + ["</dl>", _energy(row, f, language)]
    )
    if prices is not None:
        body.append(_money(row, prices, rows, f, language))
    note = _(
        "Every interval is settled on its own: the community energy allocated to you never "
        "exceeds what you used in that interval. Your supplier bills the grid import."
    )
    body.append(f'<p class="note">{escape(note)}</p>')
    community = settlement.community.name or _("Energy community")
    heading = _("Energy community statement")
    return _PAGE.substitute(
        lang=escape(language),
        title=escape(f"{heading}: {row['member']}, {period}"),
        style=_STYLE,
        community=escape(community),
        heading=escape(heading),
        body="\n".join(body),
    )


def file_names(members: tuple[str, ...]) -> dict[str, str]:
    """A safe, unique file stem per member id (characters other than letters, digits,
    ``.``, ``_`` and ``-`` become ``_``; a clash gets ``-2``, ``-3``, ...).

    Parameters
    ----------
    members
        Member ids.

    Returns
    -------
    dict of str to str
        Member -> file stem.

    Examples
    --------
    >>> file_names(("flat 1", "flat/1", "b"))
    {'flat 1': 'flat_1', 'flat/1': 'flat_1-2', 'b': 'b'}
    """
    taken: set[str] = set()
    names = {}
    for member in members:
        stem = re.sub(r"[^A-Za-z0-9._-]", "_", member).lstrip(".") or "member"
        candidate, n = stem, 1
        while candidate.lower() in taken:
            n += 1
            candidate = f"{stem}-{n}"
        taken.add(candidate.lower())
        names[member] = candidate
    return names


def _index(
    months: list[tuple[str, slice]],
    members: tuple[str, ...],
    stems: dict[str, str],
    language: str,
    name: str,
) -> str:
    _ = translations(language, DOMAIN).gettext
    f = formats(language)
    parts = []
    for label, _interval_rows in months:
        year, month = (int(p) for p in label.split("-"))
        links = "".join(
            f'<li><a href="{label}/{escape(stems[m])}.html">{escape(m)}</a></li>' for m in members
        )
        parts.append(f"<section><h2>{escape(f.month(year, month))}</h2><ul>{links}</ul></section>")
    return _PAGE.substitute(
        lang=escape(language),
        title=escape(_("Statements")),
        style=_STYLE,
        community=escape(name or _("Energy community")),
        heading=escape(_("Statements")),
        body="\n".join(parts),
    )


def write_statement_pages(
    folder: Path,
    settlement: Settlement,
    table: pd.DataFrame,
    prices: Prices | None,
    *,
    languages: Mapping[str, str],
    default_language: str = "en",
    progress: Callable[[int, int], None] | None = None,
) -> Path:
    """Write every member's monthly statements and an index page.

    Parameters
    ----------
    folder
        Folder to write into (``<YYYY-MM>/<member>.html`` and ``index.html``).
    settlement
        The settlement.
    table
        Its statement table (:func:`sparcs.community.statement_table`).
    prices
        The prices of ``table``; None for energy only.
    languages
        Member -> language; others get ``default_language``.
    default_language
        Language of the other members and of the index.
    progress
        Called with (pages written, pages in all).

    Returns
    -------
    Path
        The index page.
    """
    from sparcs.community.statements import month_slices

    members = settlement.readings.members
    stems = file_names(members)
    months = month_slices(settlement)
    total = len(table)
    done = 0
    records = table.to_dict("records")
    for i, (label, rows) in enumerate(months):
        (folder / label).mkdir(parents=True, exist_ok=True)
        for j, member in enumerate(members):
            row = pd.Series(records[i * len(members) + j])
            page = render_statement(
                settlement, row, rows, prices, language=languages.get(member, default_language)
            )
            (folder / label / f"{stems[member]}.html").write_text(page, encoding="utf-8")
            done += 1
            if progress is not None and (done % 200 == 0 or done == total):
                progress(done, total)
    index = folder / "index.html"
    index.write_text(
        _index(months, members, stems, default_language, settlement.community.name),
        encoding="utf-8",
    )
    return index
