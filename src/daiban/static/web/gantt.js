// The project page's charts: the approval Gantt (both baselines, the current plan, the critical path, today)
// and the monthly investment against 序时进度. Data comes from the data-json attribute of #gantt-data and
// #investment-data (htmx drops <script> elements from swapped fragments); htmx replaces them after a
// recorded event and the charts redraw when their data changed.
(function () {
  "use strict";
  var DAY = 86400000;
  var drawn = {};

  // "2026-03-02" → local midnight (dates carry no time zone in this system).
  function ts(iso) {
    var p = iso.split("-");
    return new Date(+p[0], +p[1] - 1, +p[2]).getTime();
  }
  function fmt(t) {
    var d = new Date(t);
    var m = d.getMonth() + 1, day = d.getDate();
    return d.getFullYear() + "-" + (m < 10 ? "0" : "") + m + "-" + (day < 10 ? "0" : "") + day;
  }
  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  // ---- Gantt --------------------------------------------------------------------------------------------
  // Three lanes per case: conventional baseline (top), agency baseline (middle), current plan (bottom); the
  // current plan is drawn by three series (done, open, critical) so the legend explains and toggles each.
  var LANES = {
    conventional: { offset: -1, name: "常规模式基线（法定时限）", color: "#c3cad5", critical: "#8893a3" },
    agency: { offset: 0, name: "代办模式基线（承诺时限）", color: "#a9cbf5", critical: "#4f8fdf" },
    done: { offset: 1, name: "已办结（实际）", color: "#22a35a" },
    current: { offset: 1, name: "当前计划", color: "#2a5288" },
    critical: { offset: 1, name: "关键路径（当前计划）", color: "#d9363e" }
  };
  var BASELINES = { conventional: true, agency: true };

  // Which series draws the current plan of a row.
  function currentLane(row) {
    if (row.decided) return "done";
    return row.current && row.current[2] ? "critical" : "current";
  }

  function barRenderer(lane) {
    return function (params, api) {
      var row = api.value(0);
      var start = api.coord([api.value(1), row]);
      var end = api.coord([api.value(2), row]);
      var band = api.size([0, 1])[1];
      var height = Math.max(band * 0.24, 3);
      var y = start[1] + LANES[lane].offset * band * 0.27 - height / 2;
      var shape = echarts.graphic.clipRectByRect(
        { x: start[0], y: y, width: Math.max(end[0] - start[0], 2), height: height },
        { x: params.coordSys.x, y: params.coordSys.y, width: params.coordSys.width, height: params.coordSys.height }
      );
      return shape && { type: "rect", transition: ["shape"], shape: shape, style: api.style() };
    };
  }

  function ganttItems(rows, lane) {
    var items = [];
    rows.forEach(function (row, index) {
      var key = BASELINES[lane] ? lane : "current";
      var bar = row[key];
      if (!bar || (!BASELINES[lane] && currentLane(row) !== lane)) return;
      var color = BASELINES[lane] && bar[2] ? LANES[lane].critical : LANES[lane].color;
      items.push({
        value: [index, ts(bar[0]), ts(bar[1]) + DAY, bar[2] ? 1 : 0],
        itemStyle: { color: color },
        row: row,
        lane: key
      });
    });
    return items;
  }

  function ganttTooltip(info) {
    var item = info.data, row = item.row, bar = row[item.lane];
    var lines = [
      "<strong>" + escapeHtml(row.name) + "</strong>",
      escapeHtml(row.stage) + " · " + escapeHtml(row.department || "—"),
      escapeHtml(info.seriesName) + "：" + bar[0] + " → " + bar[1] + (bar[2] ? "（关键路径）" : "")
    ];
    if (item.lane === "current") {
      if (row.accepted) lines.push("受理：" + row.accepted + (row.decided ? "，办结：" + row.decided : ""));
      if (row["float"] !== null && row["float"] !== undefined) lines.push("机动时间：" + row["float"] + " 个工作日");
    }
    return lines.join("<br>");
  }

  function ganttOption(data) {
    var rows = data.rows;
    var today = ts(data.today);
    var low = today, high = today;
    rows.forEach(function (row) {
      ["conventional", "agency", "current"].forEach(function (key) {
        if (!row[key]) return;
        low = Math.min(low, ts(row[key][0]));
        high = Math.max(high, ts(row[key][1]) + DAY);
      });
    });
    var series = ["conventional", "agency", "done", "current", "critical"].map(function (lane) {
      return {
        type: "custom",
        name: LANES[lane].name,
        renderItem: barRenderer(lane),
        encode: { x: [1, 2], y: 0 },
        itemStyle: { color: LANES[lane].color },
        data: ganttItems(rows, lane),
        clip: true
      };
    });
    // Today's line on a series of its own, so it stays when the legend hides a scenario.
    series.push({
      type: "line",
      name: "今天",
      data: [],
      itemStyle: { color: "#c62828" },
      markLine: {
        silent: true,
        symbol: ["none", "none"],
        lineStyle: { color: "#c62828", type: "dashed", width: 1.5 },
        label: { formatter: "今天 " + data.today, position: "end", color: "#c62828" },
        data: [{ xAxis: today }]
      }
    });
    return {
      animationDuration: 300,
      legend: { top: 0, left: 0, itemWidth: 18, itemHeight: 8 },
      tooltip: { trigger: "item", formatter: ganttTooltip, confine: true },
      grid: { left: 230, right: 24, top: 58, bottom: 46 },
      xAxis: {
        type: "time",
        position: "top",
        min: low - 3 * DAY,
        max: high + 3 * DAY,
        splitLine: { show: true, lineStyle: { color: "#eef1f5" } },
        axisLabel: { formatter: { year: "{yyyy}年", month: "{M}月", day: "{M}-{d}" }, hideOverlap: true }
      },
      yAxis: {
        type: "category",
        inverse: true,
        data: rows.map(function (row) { return row.name; }),
        axisTick: { show: false },
        splitLine: { show: true, lineStyle: { color: "#f3f4f6" } },
        axisLabel: {
          width: 215,
          overflow: "truncate",
          color: function (value, index) {
            var row = rows[index];
            return row && row.current && row.current[2] && !row.decided ? "#b91c1c" : "#374151";
          }
        }
      },
      dataZoom: [
        { type: "slider", xAxisIndex: 0, filterMode: "weakFilter", height: 16, bottom: 10, labelFormatter: fmt },
        { type: "inside", xAxisIndex: 0, filterMode: "weakFilter" }
      ],
      series: series
    };
  }

  // ---- investment -----------------------------------------------------------------------------------------
  function number(value) {
    return value === null || value === undefined ? null : Number(value);
  }

  function investmentOption(data) {
    var months = data.months;
    return {
      animationDuration: 300,
      legend: { top: 0 },
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v === null || v === undefined ? "—" : v.toFixed(2) + " 万元"; } },
      grid: { left: 70, right: 20, top: 40, bottom: 28 },
      xAxis: { type: "category", data: months.map(function (m) { return m.month + "月"; }) },
      yAxis: { type: "value", name: "万元", splitLine: { lineStyle: { color: "#eef1f5" } } },
      series: [
        { type: "bar", name: "当月完成投资", data: months.map(function (m) { return number(m.amount); }), itemStyle: { color: "#5b8fd6" }, barMaxWidth: 22 },
        { type: "line", name: "累计完成", data: months.map(function (m) { return number(m.cumulative); }), itemStyle: { color: "#15803d" }, symbolSize: 5 },
        { type: "line", name: "序时进度（年度计划 × 序时比例）", data: months.map(function (m) { return number(m.pace); }), itemStyle: { color: "#d97706" }, lineStyle: { type: "dashed" }, symbol: "none" }
      ]
    };
  }

  // ---- drawing ----------------------------------------------------------------------------------------------
  function draw(dataId, chartId, build, height) {
    var source = document.getElementById(dataId);
    var element = document.getElementById(chartId);
    if (!source || !element || !window.echarts) return;
    var text = source.getAttribute("data-json");
    var chart = echarts.getInstanceByDom(element);
    if (chart && drawn[chartId] === text) return;
    var data = JSON.parse(text);
    if (height) element.style.height = height(data) + "px"; // CSSOM, allowed by the CSP
    if (!chart) chart = echarts.init(element, null, { renderer: "canvas" });
    else chart.resize();
    chart.setOption(build(data), true);
    drawn[chartId] = text;
    element.setAttribute("data-drawn", String(Date.now()));
  }

  function refresh() {
    draw("gantt-data", "gantt-chart", ganttOption, function (data) {
      return Math.max(320, data.rows.length * 30 + 110);
    });
    draw("investment-data", "investment-chart", investmentOption);
  }

  // htmx swaps only 2xx answers by default; a refused event (409 concurrent edit, 422 rule broken, 403) still
  // returns the section with its message and the latest data, so it is swapped in too.
  document.body.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    if (status === 409 || status === 422 || status === 403) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
  document.body.addEventListener("htmx:afterSettle", function (event) {
    refresh();
    // A refused event's message sits at the top of its section: bring it into view (success stays put).
    var settled = event.target;
    var alert = settled && settled.querySelector ? settled.querySelector(".outcome[role=alert]") : null;
    if (alert) alert.scrollIntoView({ block: "nearest" });
  });
  window.addEventListener("resize", function () {
    ["gantt-chart", "investment-chart"].forEach(function (id) {
      var element = document.getElementById(id);
      var chart = element && window.echarts && echarts.getInstanceByDom(element);
      if (chart) chart.resize();
    });
  });
  refresh();
})();
