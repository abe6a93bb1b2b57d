// Participation charts (Apache ECharts, vendored by the homework app): the student participation rate per county
// or school, and the fill rate per course, as horizontal bars. The figures come from the page (json_script
// #as-chart-data); suppressed cells are null and draw no bar. The same figures are in the tables on the page.
(function () {
  "use strict";

  function bars(node, data, suppressed, color) {
    var chart = window.echarts.init(node, null, { renderer: "svg" });
    var names = data.names.slice().reverse();
    // A suppressed cell draws no bar but says why, where its bar would be.
    var values = data.values
      .slice()
      .reverse()
      .map(function (value) {
        if (value !== null && value !== undefined) {
          return value;
        }
        return { value: 0, itemStyle: { color: "transparent" }, label: { show: true, formatter: suppressed, color: "#4d5969" } };
      });
    node.style.height = Math.max(12, names.length * 2.2 + 4) + "rem";
    chart.resize();
    chart.setOption({
      animation: false,
      color: [color],
      textStyle: { fontFamily: getComputedStyle(document.body).fontFamily },
      grid: { left: 8, right: 48, top: 8, bottom: 8, containLabel: true },
      tooltip: {
        trigger: "axis",
        axisPointer: { type: "shadow" },
        formatter: function (items) {
          var item = items[0];
          var hidden = item.data !== null && typeof item.data === "object";
          return item.name + "<br>" + (hidden ? suppressed : item.value + "%");
        },
      },
      xAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
      yAxis: {
        type: "category",
        data: names,
        axisLabel: { width: node.clientWidth < 480 ? 96 : 180, overflow: "truncate" },
      },
      series: [
        {
          name: data.title,
          type: "bar",
          data: values,
          barMaxWidth: 18,
          label: {
            show: true,
            position: "right",
            formatter: "{c}%",
          },
        },
      ],
    });
    return chart;
  }

  function draw() {
    var source = document.getElementById("as-chart-data");
    if (!source || typeof window.echarts === "undefined") {
      return;
    }
    var data = JSON.parse(source.textContent);
    var charts = [];
    var participation = document.getElementById("chart-participation");
    if (participation) {
      charts.push(bars(participation, data.participation, data.suppressed, "#0f4c81"));
    }
    var fill = document.getElementById("chart-fill");
    if (fill) {
      charts.push(bars(fill, data.fill, data.suppressed, "#1a7f45"));
    }
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
