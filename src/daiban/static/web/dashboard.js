// 驾驶舱 charts. Data comes from json_script blocks; tooltips render in the canvas (renderMode richText)
// because an HTML tooltip carries style="" attributes, which the Content-Security-Policy refuses.
(function () {
  "use strict";

  function data(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  function yi(value) {
    return value === null || value === undefined ? "—" : value.toLocaleString("zh-CN", { maximumFractionDigits: 2 }) + " 亿元";
  }

  function investmentChart() {
    var node = document.getElementById("investment-chart");
    var d = data("investment-data");
    if (!node || !d) return;
    var chart = echarts.init(node, null, { renderer: "canvas" });
    var series = [
      { name: "当月完成", type: "bar", data: d.completed, itemStyle: { color: "#5b8ff9" }, barMaxWidth: 28 },
      { name: "累计完成", type: "line", data: d.cumulative, smooth: false, symbolSize: 6, itemStyle: { color: "#1d3b63" }, lineStyle: { width: 3 } },
      { name: "计划序时进度", type: "line", data: d.pace, symbol: "none", itemStyle: { color: "#f59e0b" }, lineStyle: { type: "dashed", width: 2 } }
    ];
    if (d.targetPace) {
      series.push({ name: "目标序时进度", type: "line", data: d.targetPace, symbol: "none", itemStyle: { color: "#c62828" }, lineStyle: { type: "dotted", width: 2 } });
    }
    chart.setOption({
      animation: false,
      grid: { left: 56, right: 20, top: 40, bottom: 28 },
      legend: { top: 4 },
      tooltip: { trigger: "axis", renderMode: "richText", valueFormatter: yi },
      xAxis: { type: "category", data: d.months },
      yAxis: { type: "value", name: "亿元", nameTextStyle: { align: "right" } },
      series: series
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  var LIGHT_COLORS = { red: "#ef4444", yellow: "#f59e0b", green: "#22c55e", none: "#cbd5e1" };

  function lightsChart() {
    var node = document.getElementById("lights-chart");
    var d = data("lights-data");
    if (!node || !d) return;
    var chart = echarts.init(node, null, { renderer: "canvas" });
    chart.setOption({
      animation: false,
      tooltip: { trigger: "item", renderMode: "richText", formatter: "{b}：{c} 个（{d}%）" },
      series: [{
        type: "pie",
        radius: ["48%", "78%"],
        label: { formatter: "{b}\n{c}" },
        data: d.filter(function (item) { return item.value > 0; }).map(function (item) {
          return { name: item.name, value: item.value, key: item.key, itemStyle: { color: LIGHT_COLORS[item.key] } };
        })
      }]
    });
    // A slice opens the list filtered by that light, like the chips below it.
    chart.on("click", function (params) {
      var link = document.querySelector('a.chip[href$="light=' + params.data.key + '"]');
      if (link) window.location.href = link.getAttribute("href");
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  investmentChart();
  lightsChart();
})();
