// Draws the consumption chart when JavaScript and plotly.js are there; the table stays the
// full alternative (the chart is an enhancement, hidden without JavaScript).
window.addEventListener("load", function () {
  var box = document.getElementById("chart");
  var data = document.getElementById("chart-data");
  if (!box || !data || !window.Plotly) { return; }
  var figure = JSON.parse(data.textContent);
  box.hidden = false;
  window.Plotly.newPlot(box, figure.data, figure.layout, {displayModeBar: false, responsive: true});
});
