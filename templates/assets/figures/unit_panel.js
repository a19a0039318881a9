/* One unit's output over the input range, large (network.js: the Playground's neuron view,
   replayed from the recording). For the output unit it also shows the true function and the
   training points, as the prediction panel does. */

import { axis, canvasReport, fontSizes, plain } from "./plot.js";
import { drawDots } from "./prediction_panel.js";
import { css } from "./theme.js";

export function unitPanel(uPlot, { net, theme, width, height }) {
  const holder = { theme, color: net.color };
  const grid = Array.from(net.grid);
  const hasTruth = !!net.truth;
  const state = { values: grid.map(() => null), range: [0, 1], data: false };
  const series = [{}, { label: "true function", stroke: () => css(holder.theme.truth), width: 4,
                        points: { show: false } },
                  { label: "unit output", stroke: () => css(holder.theme.net(holder.color).line),
                    width: 2.5, points: { show: false } }];

  function drawPoints(u) {
    if (state.data) drawDots(u, holder.theme, net.pointsX, net.pointsY);
  }

  function dataNow() {
    const truth = state.data && hasTruth ? plain(net.truth) : grid.map(() => null);
    return [grid, truth, plain(state.values)];
  }

  const chart = new uPlot({
    width, height, legend: { show: false },
    cursor: { show: false, drag: { x: false, y: false, setScale: false } },
    select: { show: false },
    scales: { x: { time: false, range: [grid[0], grid[grid.length - 1]] },
              y: { range: () => state.range.slice() } },
    axes: [axis(holder, "input x", { size: 34 }), axis(holder, "output", { size: 46 })],
    series,
    hooks: { drawSeries: [(u, index) => { if (index === 1) drawPoints(u); }] },
  }, dataNow());
  chart.root.setAttribute("aria-hidden", "true");

  return {
    chart, node: chart.root,
    /* values on the grid, the y range to show them in, and whether to add the data (output) */
    show(values, range, withData) {
      state.values = values;
      state.range = range;
      state.data = withData;
      chart.setData(dataNow(), true);
    },
    resize(w, h) { chart.setSize({ width: w, height: h }); },
    retheme(next) { holder.theme = next; chart.redraw(false); },
    destroy() { chart.destroy(); },
    drawn() {
      return { x: chart.data[0], y: chart.data[2], truth: state.data && hasTruth ? chart.data[1] : null,
               points: state.data, yRange: [chart.scales.y.min, chart.scales.y.max],
               fontSizes: fontSizes(chart), canvas: canvasReport(chart) };
    },
  };
}
