// Monitoring charts (Apache ECharts, vendored): the daily share of students within the cap, and the daily minutes.
// The figures come from the page (json_script #hw-chart-data); suppressed days are null and show as gaps.
// The same figures are in the table under the charts, so nothing depends on this script.
(function () {
  "use strict";

  var COLORS = ["#1a7f45", "#b54708", "#0f4c81", "#6941c6", "#4d5969", "#b42318"];

  function line(name, data, extra) {
    var series = { name: name, type: "line", data: data, connectNulls: false, symbolSize: 7, smooth: false };
    if (extra) {
      Object.keys(extra).forEach(function (key) {
        series[key] = extra[key];
      });
    }
    return series;
  }

  function base(node, days, labels, unit) {
    // On a phone the legend may wrap onto a second line: leave room for it above the plot.
    var narrow = node.clientWidth < 480;
    return {
      color: COLORS,
      animation: false,
      textStyle: { fontFamily: getComputedStyle(document.body).fontFamily },
      grid: { left: 8, right: 28, top: narrow ? 52 : 40, bottom: 8, containLabel: true },
      legend: { top: 0, left: 0, itemGap: 10, itemWidth: 18, textStyle: { fontSize: 12 } },
      tooltip: {
        trigger: "axis",
        valueFormatter: function (value) {
          return value === null || value === undefined ? labels.suppressed : value + unit;
        },
      },
      xAxis: { type: "category", data: days, boundaryGap: false, axisLabel: { hideOverlap: true } },
    };
  }

  function draw() {
    var source = document.getElementById("hw-chart-data");
    if (!source || typeof window.echarts === "undefined") {
      return;
    }
    var data = JSON.parse(source.textContent);
    var labels = data.labels;
    var charts = [];

    var shareNode = document.getElementById("chart-share");
    if (shareNode) {
      var share = window.echarts.init(shareNode, null, { renderer: "svg" });
      var shareOption = base(shareNode, data.days, labels, "%");
      shareOption.yAxis = { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } };
      shareOption.series = [
        line(labels.within, data.within, { areaStyle: { opacity: 0.08 } }),
        line(labels.unfinished, data.unfinished),
      ];
      share.setOption(shareOption);
      charts.push(share);
    }

    var minutesNode = document.getElementById("chart-minutes");
    if (minutesNode) {
      var minutes = window.echarts.init(minutesNode, null, { renderer: "svg" });
      var minutesOption = base(minutesNode, data.days, labels, " " + labels.minutes);
      minutesOption.color = [COLORS[2], COLORS[3], COLORS[4], COLORS[5]];
      minutesOption.yAxis = { type: "value", min: 0 };
      minutesOption.series = [
        line(labels.median, data.median),
        line(labels.p90, data.p90),
        line(labels.estimated, data.estimated, { lineStyle: { type: "dashed" } }),
      ];
      if (data.cap) {
        minutesOption.series.push(line(labels.cap, data.cap, { step: "middle", symbol: "none", lineStyle: { width: 2 } }));
      }
      minutes.setOption(minutesOption);
      charts.push(minutes);
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
