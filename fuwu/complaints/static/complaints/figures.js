// Complaint figures (R6.5): ECharts from the aggregated data in #complaint-chart-data; a click on a
// bar or point opens the complaints behind it (the same filtered list the tables link to).
(() => {
  const source = document.getElementById("complaint-chart-data");
  if (!source || !window.echarts) return;
  const data = JSON.parse(source.textContent);
  const open = (params) => { window.location.href = `${data.list_url}?${new URLSearchParams(params)}`; };
  const draw = (name, option, onClick) => {
    const el = document.querySelector(`[data-chart="${name}"]`);
    if (!el) return;
    const chart = echarts.init(el);
    chart.setOption({ tooltip: { trigger: "axis" }, grid: { left: 40, right: 40, bottom: 60, top: 30 }, ...option });
    chart.on("click", onClick);
    window.addEventListener("resize", () => chart.resize());
  };
  draw("pareto", {
    legend: { top: 0 },
    xAxis: { type: "category", data: data.pareto.map((p) => p.label), axisLabel: { rotate: 30 } },
    yAxis: [{ type: "value", minInterval: 1 }, { type: "value", max: 100, axisLabel: { formatter: "{value}%" } }],
    series: [
      { name: data.labels.count, type: "bar", data: data.pareto.map((p) => p.count) },
      { name: data.labels.cumulative, type: "line", yAxisIndex: 1, data: data.pareto.map((p) => p.cumulative) },
    ],
  }, (e) => open({ root_cause: data.pareto[e.dataIndex].code, valid: "yes", received: data.period }));
  draw("causes", {
    legend: { top: 0, type: "scroll" },
    xAxis: { type: "category", data: data.months },
    yAxis: { type: "value", minInterval: 1 },
    series: data.causes.map((c) => ({ name: c.label, type: "bar", stack: "causes", data: c.counts })),
  }, (e) => open({ root_cause: data.causes[e.seriesIndex].code, valid: "yes", received: data.months[e.dataIndex] }));
  draw("months", {
    legend: { top: 0 },
    xAxis: { type: "category", data: data.by_month.map((m) => m.month) },
    yAxis: [{ type: "value", max: 100, axisLabel: { formatter: "{value}%" } }, { type: "value" }],
    series: [
      { name: data.labels.rate, type: "bar", data: data.by_month.map((m) => m.rate) },
      { name: data.labels.days, type: "line", yAxisIndex: 1, data: data.by_month.map((m) => m.days) },
    ],
  }, (e) => open(e.seriesIndex === 0 ? { closed: data.by_month[e.dataIndex].month, outcome: "agreed" }
                                     : { closed: data.by_month[e.dataIndex].month }));
})();
