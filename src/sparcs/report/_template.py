"""Page template, style sheet and script of the HTML report.

The page is filled with :class:`string.Template`; every value put in it is escaped by the
caller (:mod:`sparcs.report._sections`) except the pre-built HTML fragments. Nothing is loaded
from the network: fonts are the system's, plotly.js is inlined, the favicon is empty.
"""

from __future__ import annotations

from string import Template

__all__ = ["PAGE", "RENDER_JS", "SHELL", "STYLE", "page"]

STYLE = """
:root {
  --ink: #1f2933; --muted: #52606d; --line: #e4e7eb; --bg: #f5f7fa; --card: #ffffff;
  --brand: #1b263b; --accent: #2a9d8f;
  --ped-autonomous: #1b7f3b; --ped-dynamic: #2e9d4f; --ped-virtual: #1d6fa5;
  --pre-ped: #c77d0a; --not-ped: #b23a48;
  --font: -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue", Arial,
    "Noto Sans", "Liberation Sans", sans-serif;
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; font-family: var(--font); color: var(--ink); background: var(--bg);
  line-height: 1.5; font-size: 16px; }
.wrap { max-width: 1280px; margin: 0 auto; padding: 0 24px; }
.masthead { background: var(--brand); color: #fff; padding: 28px 0 24px; }
.eyebrow { margin: 0; text-transform: uppercase; letter-spacing: .08em; font-size: 12px;
  color: #a9bcd0; font-weight: 600; }
.masthead h1 { margin: 4px 0 8px; font-size: 30px; line-height: 1.2; }
.meta { margin: 0; color: #d9e2ec; font-size: 14px; }
.meta span + span::before { content: "·"; margin: 0 8px; color: #829ab1; }
main.wrap { padding-top: 24px; padding-bottom: 40px; }
section { margin: 0 0 32px; }
h2 { font-size: 20px; margin: 0 0 12px; }
h3 { font-size: 13px; margin: 20px 0 8px; text-transform: uppercase; letter-spacing: .06em;
  color: var(--muted); }
.verdict { display: flex; gap: 24px; align-items: center; background: var(--card);
  border: 1px solid var(--line); border-left: 8px solid var(--verdict); border-radius: 10px;
  padding: 20px 24px; }
.badge { background: var(--verdict); color: #fff; font-weight: 700; font-size: 28px;
  padding: 14px 24px; border-radius: 10px; white-space: nowrap; letter-spacing: .01em; }
.verdict h2 { margin: 0 0 4px; font-size: 14px; text-transform: uppercase; color: var(--muted);
  letter-spacing: .06em; }
.reason { margin: 0 0 8px; font-size: 18px; }
.balances { display: flex; flex-wrap: wrap; gap: 8px 24px; margin: 0; font-size: 14px;
  color: var(--muted); }
.balances dt { display: inline; } .balances dd { display: inline; margin: 0 0 0 4px;
  color: var(--ink); font-weight: 600; }
.ped-autonomous { --verdict: var(--ped-autonomous); }
.ped-dynamic { --verdict: var(--ped-dynamic); }
.ped-virtual { --verdict: var(--ped-virtual); }
.pre-ped { --verdict: var(--pre-ped); }
.not-ped { --verdict: var(--not-ped); }
.kpi-groups { display: flex; flex-wrap: wrap; gap: 4px 28px; }
.kpi-group { flex: 0 1 auto; max-width: 100%; }
.tiles { display: flex; flex-wrap: wrap; gap: 12px; }
.tile { position: relative; background: var(--card); border: 1px solid var(--line);
  border-radius: 10px; padding: 14px 16px; outline: none; flex: 1 1 190px; min-width: 190px;
  max-width: 260px; }
.tile:hover, .tile:focus { border-color: var(--accent); box-shadow: 0 2px 8px rgba(0,0,0,.08); }
.tile-label { font-size: 13px; color: var(--muted); }
.tile-value { font-size: 26px; font-weight: 700; font-variant-numeric: tabular-nums;
  line-height: 1.25; margin-top: 4px; }
.tile-unit { font-size: 14px; font-weight: 500; color: var(--muted); margin-left: 4px; }
.tip { display: none; position: absolute; z-index: 10; left: 8px; right: 8px; top: 100%;
  margin-top: 6px; background: var(--brand); color: #fff; font-size: 13px; padding: 8px 10px;
  border-radius: 6px; box-shadow: 0 4px 12px rgba(0,0,0,.2); }
.tile:hover .tip, .tile:focus .tip { display: block; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(520px, 1fr));
  gap: 16px; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 10px;
  padding: 8px 8px 4px; min-width: 0; break-inside: avoid; }
.card.wide { grid-column: 1 / -1; }
.chart { width: 100%; min-height: 300px; }
.caption { margin: 4px 12px 10px; font-size: 13px; color: var(--muted); }
.table-wrap { overflow-x: auto; background: var(--card); border: 1px solid var(--line);
  border-radius: 10px; }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
th, td { padding: 8px 12px; border-bottom: 1px solid var(--line); text-align: right;
  white-space: nowrap; }
th:first-child, td:first-child { text-align: left; position: sticky; left: 0; }
thead th { background: #f0f4f8; font-weight: 600; vertical-align: bottom; }
tbody tr, tbody th { background: var(--card); }
tbody tr:hover, tbody tr:hover th { background: #f8fafc; }
tbody th { font-weight: 600; }
td { font-variant-numeric: tabular-nums; }
th button { all: unset; cursor: pointer; display: inline-block; }
th button:focus-visible { outline: 2px solid var(--accent); }
th .unit { display: block; font-weight: 400; color: var(--muted); font-size: 12px; }
th[aria-sort="ascending"] button::after { content: " ▲"; font-size: 10px; }
th[aria-sort="descending"] button::after { content: " ▼"; font-size: 10px; }
.notes { background: var(--card); border: 1px solid var(--line); border-radius: 10px;
  padding: 12px 16px 12px 36px; font-size: 14px; color: var(--muted); margin: 0; }
.notes li { margin: 4px 0; }
footer { color: var(--muted); font-size: 12px; padding: 16px 0 32px; }
@media (max-width: 640px) {
  .wrap { padding: 0 14px; }
  .verdict { flex-direction: column; align-items: flex-start; }
  .kpi-group { flex: 1 1 100%; }
  .tile { flex-basis: 140px; min-width: 140px; padding: 12px; }
  .tile-value { font-size: 22px; }
  .charts { grid-template-columns: 1fr; }
  .masthead h1 { font-size: 24px; }
}
@media print {
  body { background: #fff; }
  .masthead { background: #fff; color: var(--ink); border-bottom: 2px solid var(--brand); }
  .meta, .eyebrow { color: var(--muted); }
  .charts { grid-template-columns: 1fr; }
  .tip { display: none !important; }
}
"""

RENDER_JS = """
(function () {
  "use strict";
  var config = {responsive: true, displaylogo: false,
    modeBarButtonsToRemove: ["lasso2d", "select2d"],
    toImageButtonOptions: {format: "png", scale: 2}};
  document.querySelectorAll("div.chart[data-figure]").forEach(function (el) {
    var figure = JSON.parse(document.getElementById(el.dataset.figure).textContent);
    Plotly.newPlot(el, figure.data, figure.layout || {}, config);
  });
  function cellValue(row, index) {
    var cell = row.cells[index];
    var raw = cell.getAttribute("data-value");
    return raw === null ? cell.textContent.trim() : parseFloat(raw);
  }
  function sortBy(table, th, index) {
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    table.querySelectorAll("thead th").forEach(function (other) {
      other.removeAttribute("aria-sort");
    });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = cellValue(a, index), y = cellValue(b, index);
      if (typeof x === "number" && isNaN(x)) { return 1; }
      if (typeof y === "number" && isNaN(y)) { return -1; }
      var order = typeof x === "number" ? x - y : String(x).localeCompare(String(y));
      return ascending ? order : -order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
  }
  document.querySelectorAll("table.sortable").forEach(function (table) {
    table.querySelectorAll("thead th").forEach(function (th, index) {
      var button = th.querySelector("button");
      if (button) { button.addEventListener("click", function () { sortBy(table, th, index); }); }
    });
  });
})();
"""

#: The page every report shares: head (style, plotly.js), masthead, main, footer, figure data
#: and the page script. ``$eyebrow`` names the kind of report, ``$main`` holds its sections.
SHELL = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="$generator">
<title>$title</title>
<link rel="icon" href="data:,">
<style>$style</style>
<script>$plotlyjs</script>
</head>
<body>
<header class="masthead">
  <div class="wrap">
    <p class="eyebrow">SPARCS · $eyebrow</p>
    <h1>$title</h1>
    <p class="meta">$meta</p>
  </div>
</header>
<main class="wrap">
$main
</main>
<footer class="wrap">$footer</footer>
$data
<script>$render</script>
</body>
</html>
"""


def page(eyebrow: str, main: str) -> Template:
    """The shared page with its kind and the sections of ``<main>``.

    ``main`` may hold placeholders of its own (``$verdict``); the page's placeholders
    (``$title``, ``$style``, ``$footer`` ...) stay for the caller to fill.
    """
    return Template(Template(SHELL).safe_substitute(eyebrow=eyebrow, main=main.strip("\n")))


PAGE = page(
    "Positive Energy District report",
    """
$verdict
$kpis
<section id="charts" aria-labelledby="charts-title">
  <h2 id="charts-title">Energy over the period</h2>
  <div class="charts">
$charts
  </div>
</section>
$buildings
$notes
""",
)
