// The leader's overview (Apache ECharts, vendored by the homework app): complaints and licences by status as
// horizontal bars, complaints received and licences cancelled per month as columns. The figures come from the page
// (json_script #tr-chart-data); the same figures are in the tables below the charts.
(function () {
  "use strict";

  function base(node) {
    var chart = window.echarts.init(node, null, { renderer: "svg" });
    return {
      chart: chart,
      option: {
        animation: false,
        textStyle: { fontFamily: getComputedStyle(document.body).fontFamily },
        grid: { left: 8, right: 32, top: 16, bottom: 8, containLabel: true },
        tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      },
    };
  }

  function bars(node, data, color) {
    var made = base(node);
    made.option.color = [color];
    made.option.xAxis = { type: "value", minInterval: 1 };
    made.option.yAxis = { type: "category", data: data.names.slice().reverse() };
    made.option.series = [
      { type: "bar", data: data.values.slice().reverse(), barMaxWidth: 18, label: { show: true, position: "right" } },
    ];
    made.chart.setOption(made.option);
    return made.chart;
  }

  function columns(node, months, values, name, color) {
    var made = base(node);
    made.option.color = [color];
    made.option.xAxis = { type: "category", data: months.map(function (m) { return m.slice(2); }) };
    made.option.yAxis = { type: "value", minInterval: 1 };
    made.option.series = [{ name: name, type: "bar", data: values, barMaxWidth: 18 }];
    made.chart.setOption(made.option);
    return made.chart;
  }

  function draw() {
    var source = document.getElementById("tr-chart-data");
    if (!source || typeof window.echarts === "undefined") {
      return;
    }
    var data = JSON.parse(source.textContent);
    var charts = [
      bars(document.getElementById("chart-status"), data.by_status, "#0f4c81"),
      columns(document.getElementById("chart-months"), data.months, data.by_month, data.labels.complaints, "#0f4c81"),
      bars(document.getElementById("chart-licences"), data.licences, "#1a7f45"),
      columns(document.getElementById("chart-cancellations"), data.months, data.cancellations, data.labels.cancellations, "#b42318"),
    ];
    window.addEventListener("resize", function () {
      charts.forEach(function (chart) {
        chart.resize();
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
