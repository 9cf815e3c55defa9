// Draws the 督办 page's week-by-week 办结率 line from the table the page already shows (the table
// stays the source of truth, readable without JavaScript and when printed).
// <table data-trend-chart="canvas-id"> with one <tr data-label data-share> per week; data-share is
// the percentage, or empty when nothing was due that week (a gap in the line).
(function () {
  "use strict";
  if (typeof window.Chart === "undefined") return; // vendor file missing: the table is enough

  document.querySelectorAll("table[data-trend-chart]").forEach(function (table) {
    var canvas = document.getElementById(table.dataset.trendChart);
    if (!canvas) return;
    var rows = Array.prototype.slice.call(table.querySelectorAll("tbody tr[data-label]"));
    new window.Chart(canvas, {
      type: "line",
      data: {
        labels: rows.map(function (r) { return r.dataset.label; }),
        datasets: [
          {
            label: "办结率（%）",
            borderColor: "#1d4ed8",
            backgroundColor: "#1d4ed8",
            spanGaps: false,
            tension: 0,
            data: rows.map(function (r) {
              return r.dataset.share === "" ? null : Number(r.dataset.share);
            }),
          },
        ],
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: {
          y: { min: 0, max: 100, ticks: { callback: function (v) { return v + "%"; } } },
        },
        plugins: { legend: { display: false } },
      },
    });
  });
})();
