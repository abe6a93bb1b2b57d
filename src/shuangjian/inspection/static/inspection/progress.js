// A campaign's progress (Apache ECharts, vendored by the homework app): inspections done per county as bars, with the
// target per county as a line. The figures come from the page (json_script #ins-chart-data) and are also in the table.
(function () {
  "use strict";

  function draw() {
    var source = document.getElementById("ins-chart-data");
    var node = document.getElementById("ins-chart");
    if (!source || !node || typeof window.echarts === "undefined") {
      return;
    }
    var data = JSON.parse(source.textContent);
    var chart = window.echarts.init(node, null, { renderer: "svg" });
    node.style.height = Math.max(12, data.names.length * 2.6 + 5) + "rem";
    chart.resize();
    chart.setOption({
      animation: false,
      textStyle: { fontFamily: getComputedStyle(document.body).fontFamily },
      grid: { left: 8, right: 32, top: 28, bottom: 8, containLabel: true },
      legend: { top: 0 },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      xAxis: { type: "value", minInterval: 1, max: Math.max.apply(null, data.done.concat([data.target])) },
      yAxis: { type: "category", data: data.names.slice().reverse() },
      series: [
        {
          name: data.labels.done,
          type: "bar",
          color: "#0f4c81",
          barMaxWidth: 18,
          label: { show: true, position: "right" },
          data: data.done.slice().reverse(),
          markLine: {
            symbol: "none",
            lineStyle: { color: "#b42318", type: "dashed" },
            label: { formatter: data.labels.target + " {c}" },
            data: [{ xAxis: data.target }],
          },
        },
      ],
    });
    window.addEventListener("resize", function () {
      chart.resize();
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
