// The coverage chart (Apache ECharts, vendored by the homework app): per institution, the prepaid fees still owed
// against its supervised funds and risk margin, in yuan. The figures come from the page (json_script
// #es-chart-data) and are the same as the table under the chart.
(function () {
  "use strict";

  function draw() {
    var source = document.getElementById("es-chart-data");
    var node = document.getElementById("es-coverage-chart");
    if (!source || !node || !window.echarts) {
      return;
    }
    var data = JSON.parse(source.textContent);
    var names = data.names.slice().reverse();
    node.style.height = Math.max(16, names.length * 3 + 6) + "rem";
    var chart = window.echarts.init(node, null, { renderer: "svg" });
    function series(key, color) {
      return { name: data.labels[key], type: "bar", data: data[key].slice().reverse(), barMaxWidth: 12, itemStyle: { color: color } };
    }
    chart.setOption({
      animation: false,
      textStyle: { fontFamily: getComputedStyle(document.body).fontFamily },
      legend: { top: 0 },
      grid: { left: 8, right: 24, top: 32, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      xAxis: {
        type: "value",
        name: data.labels.unit,
        splitNumber: node.clientWidth < 480 ? 3 : 5,
        axisLabel: {
          formatter: function (value) {
            return value >= 10000 ? value / 10000 + data.labels.tenThousand : String(value);
          },
        },
      },
      yAxis: { type: "category", data: names, axisLabel: { width: node.clientWidth < 480 ? 88 : 180, overflow: "truncate" } },
      series: [series("outstanding", "#b42318"), series("supervised", "#0f4c81"), series("margin", "#7a8a9e")],
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
