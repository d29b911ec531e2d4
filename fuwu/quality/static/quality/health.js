// Service health (R9.5): each figure's trend drawn with ECharts from the snapshots in
// #health-chart-data, the target and alert levels as lines; a click on a point opens the requests
// behind that period's figure.
(() => {
  const source = document.getElementById("health-chart-data");
  if (!source || !window.echarts) return;
  const data = JSON.parse(source.textContent);
  const charts = [];
  document.querySelectorAll("[data-trend]").forEach((el) => {
    const tile = data.tiles[Number(el.dataset.trend)];
    if (!tile) return;
    const chart = echarts.init(el);
    const marks = [];
    if (tile.target !== null) marks.push({ yAxis: tile.target, lineStyle: { color: "#2e8b57", type: "dashed" }, label: { show: false } });
    if (tile.alert !== null) marks.push({ yAxis: tile.alert, lineStyle: { color: "#c0392b", type: "dotted" }, label: { show: false } });
    chart.setOption({
      animation: false,
      grid: { left: 4, right: 4, top: 6, bottom: 4, containLabel: false },
      tooltip: { trigger: "axis", confine: true },
      xAxis: { type: "category", data: tile.labels, show: false, boundaryGap: false },
      yAxis: { type: "value", show: false, scale: true },
      series: [{ name: tile.name, type: "line", data: tile.values, symbolSize: 4, connectNulls: false,
                 lineStyle: { color: "#1d5bb5" }, itemStyle: { color: "#1d5bb5" },
                 markLine: { silent: true, symbol: "none", data: marks } }],
    });
    chart.on("click", (e) => { const url = tile.urls[e.dataIndex]; if (url) window.location.href = url; });
    charts.push(chart);
  });
  window.addEventListener("resize", () => charts.forEach((c) => c.resize()));
})();
