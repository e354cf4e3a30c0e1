/* Statistics charts: <div data-chart="months|kinds|agencies" data-chart-source="ID"> drawn with ECharts from the
   json_script element ID when the page has loaded (no inline script: the Content-Security-Policy forbids it).
   Every chart's tooltip is drawn on the canvas (renderMode "richText", set below for all of them): ECharts' HTML
   tooltips carry inline style attributes (the series marker, the padding), which the policy's style-src 'self'
   refuses. */
(function () {
  "use strict";
  var builders = {
    months: function (data) {
      return {
        tooltip: { trigger: "axis" },
        legend: { top: 0, data: [data.received_label, data.closed_label] },
        grid: { left: 40, right: 16, top: 36, bottom: 28 },
        xAxis: { type: "category", data: data.months },
        yAxis: { type: "value", minInterval: 1 },
        series: [
          { name: data.received_label, type: "bar", data: data.months.map(function (m) { return data.received[m] || 0; }) },
          { name: data.closed_label, type: "bar", data: data.months.map(function (m) { return data.closed[m] || 0; }) },
        ],
      };
    },
    kinds: function (data) {
      return {
        tooltip: { trigger: "item", formatter: "{b}: {c} ({d}%)" },
        legend: { bottom: 0, type: "scroll" },
        series: [{ type: "pie", radius: ["30%", "58%"], center: ["50%", "42%"], data: data.kinds, label: { show: false } }],
      };
    },
    agencies: function (data) {
      return {
        tooltip: { trigger: "axis" },
        legend: { top: 0, data: [data.sent_label, data.answered_label] },
        grid: { left: 40, right: 16, top: 36, bottom: 60 },
        xAxis: { type: "category", data: data.agencies, axisLabel: { interval: 0, rotate: 30 } },
        yAxis: { type: "value", minInterval: 1 },
        series: [
          { name: data.sent_label, type: "bar", data: data.sent },
          { name: data.answered_label, type: "bar", data: data.answered },
        ],
      };
    },
  };
  document.addEventListener("DOMContentLoaded", function () {
    if (typeof window.echarts === "undefined") {
      return;
    }
    document.querySelectorAll("[data-chart]").forEach(function (element) {
      var source = document.getElementById(element.getAttribute("data-chart-source"));
      var build = builders[element.getAttribute("data-chart")];
      if (!source || !build) {
        return;
      }
      element.style.height = "300px";
      var chart = window.echarts.init(element);
      var option = build(JSON.parse(source.textContent));
      option.tooltip = Object.assign({}, option.tooltip, { renderMode: "richText" });
      chart.setOption(option);
      element.setAttribute("data-chart-drawn", "true");
      window.addEventListener("resize", function () { chart.resize(); });
    });
  });
})();
