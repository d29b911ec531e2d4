// A report's charts (R8.4, R9.6): ECharts from the archived figures in #report-chart-data.
(() => {
  const source = document.getElementById("report-chart-data");
  if (!source || !window.echarts) return;
  const data = JSON.parse(source.textContent);
  const tones = { success: "#198754", warning: "#e0a800", danger: "#dc3545", secondary: "#6c757d" };
  const draw = (name, option) => {
    const el = document.querySelector(`[data-chart="${name}"]`);
    if (!el) return;
    const chart = echarts.init(el);
    chart.setOption({ tooltip: { trigger: "axis" }, grid: { left: 10, right: 50, top: 30, bottom: 10, containLabel: true }, ...option });
    chart.setOption({ series: option.series.map(() => ({ barMaxWidth: 18 })) });
    window.addEventListener("resize", () => chart.resize());
  };
  const reversed = (list) => [...list].reverse();
  const categories = (names) => ({ type: "category", data: reversed(names), axisLabel: { interval: 0 } });
  const i = data.indicators;
  draw("indicators", {
    legend: { top: 0, data: [data.labels.this, data.labels.target] },
    xAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
    yAxis: categories(i.names),
    series: [
      { name: data.labels.this, type: "bar", label: { show: true, position: "right", formatter: "{c}%" },
        data: reversed(i.values.map((v, n) => ({ value: v, itemStyle: { color: tones[i.tones[n]] || "#0d6efd" } }))) },
      { name: data.labels.target, type: "scatter", symbol: "rect", symbolSize: [3, 16], itemStyle: { color: "#000" },
        data: reversed(i.targets) },
    ],
  });
  draw("channels", {
    legend: { top: 0 },
    xAxis: { type: "value", minInterval: 1 },
    yAxis: categories(data.channels.names),
    series: [
      { name: data.labels.this, type: "bar", data: reversed(data.channels.now) },
      { name: data.labels.before, type: "bar", data: reversed(data.channels.before), itemStyle: { color: "#adb5bd" } },
    ],
  });
  draw("causes", {
    xAxis: { type: "value", minInterval: 1 },
    yAxis: categories(data.causes.names),
    series: [{ type: "bar", data: reversed(data.causes.values), itemStyle: { color: "#dc3545" } }],
  });
  draw("breaches", {
    xAxis: { type: "value", minInterval: 1 },
    yAxis: categories(data.breaches.names),
    series: [{ type: "bar", data: reversed(data.breaches.values), itemStyle: { color: "#e0a800" } }],
  });
})();
