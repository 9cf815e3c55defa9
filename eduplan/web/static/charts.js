// Draws a chart from a table the page already shows (the table stays the source of truth,
// readable without JavaScript and when printed). <table data-chart="canvas-id"> with one
// <tr data-label data-done data-progress data-overdue data-other> per bar; the canvas sits in a
// box whose data-height gives its height in pixels.
(function () {
  "use strict";
  if (typeof window.Chart === "undefined") return; // vendor file missing: the table is enough

  var SERIES = [
    ["done", "已完成", "#15803d"],
    ["progress", "进行中", "#1d4ed8"],
    ["overdue", "已逾期", "#b91c1c"],
    ["other", "未开始", "#cbd2d9"],
  ];

  document.querySelectorAll("table[data-chart]").forEach(function (table) {
    var canvas = document.getElementById(table.dataset.chart);
    if (!canvas) return;
    // The box's height comes from the page (one row per bar), set here: no inline styles (CSP).
    var box = canvas.closest("[data-height]");
    if (box) box.style.height = Number(box.dataset.height) + "px";
    var rows = Array.prototype.slice.call(table.querySelectorAll("tbody tr[data-label]"));
    new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: rows.map(function (r) { return r.dataset.label; }),
        datasets: SERIES.map(function (s) {
          return {
            label: s[1],
            backgroundColor: s[2],
            data: rows.map(function (r) { return Number(r.dataset[s[0]] || 0); }),
          };
        }),
      },
      options: {
        indexAxis: "y",
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: { x: { stacked: true, ticks: { precision: 0 } }, y: { stacked: true } },
        plugins: { legend: { position: "top" } },
      },
    });
  });
})();
