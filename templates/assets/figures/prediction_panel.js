/* The prediction panel: the nets' predictions over the input, every seed faint, the followed
   seed bold, the true function and the training points (drawn in a hook, under the seeds).
   Options for kinds that draw more (units.js): ``seedLines: false`` leaves the other seeds out;
   ``drawUnder(u, state, theme)`` / ``drawOver(u, state, theme)`` draw under every line / over
   everything, ``state`` being { frame, seedIndex }. */

import { predictionAt } from "./data.js";
import { axis, canvasReport, clip, fontSizes, pixelRatio, plain } from "./plot.js";
import { css } from "./theme.js";

/* the training points as dots in the theme's colour (comparison.js and unit_panel.js too) */
export function drawDots(u, theme, xs, ys) {
  const radius = 2.6 * pixelRatio();
  clip(u, (context) => {
    context.fillStyle = css(theme.points);
    context.beginPath();
    for (let i = 0; i < xs.length; i++) {
      const x = u.valToPos(xs[i], "x", true), y = u.valToPos(ys[i], "y", true);
      context.moveTo(x + radius, y);
      context.arc(x, y, radius, 0, 2 * Math.PI);
    }
    context.fill();
  });
}

export function predictionPanel(uPlot, { net, theme, width, height, yRange, title,
                                         seedLines = true, drawUnder, drawOver }) {
  const holder = { theme };
  const seeds = seedLines ? net.seeds.length : 0;
  const lineOf = () => holder.theme.net(net.color);
  const series = [{}];
  const hasTruth = !!net.truth;
  if (hasTruth) {
    series.push({ label: "true function", stroke: () => css(holder.theme.truth), width: 4,
                  points: { show: false } });
  }
  for (let index = 0; index < seeds; index++) {
    series.push({ label: "seed " + net.seeds[index], stroke: () => css(lineOf().faint),
                  width: 1, points: { show: false } });
  }
  series.push({ label: "followed seed", stroke: () => css(lineOf().line), width: 2.5,
                points: { show: false } });
  const firstSeed = hasTruth ? 2 : 1;
  const followed = series.length - 1;

  const drawPoints = (u) => drawDots(u, holder.theme, net.pointsX, net.pointsY);

  const grid = Array.from(net.grid);
  const state = { frame: net.frameEpochs.length - 1, seedIndex: net.seeds.indexOf(net.shownSeed),
                  hidden: false };
  function dataAt() {
    const data = [grid];
    if (hasTruth) data.push(plain(net.truth));
    for (let index = 0; index < seeds; index++) {
      data.push(plain(predictionAt(net, state.frame, index)));
    }
    data.push(plain(predictionAt(net, state.frame, state.seedIndex)));
    return data;
  }

  const chart = new uPlot({
    width, height, title: undefined,
    legend: { show: false },
    cursor: { show: false, drag: { x: false, y: false, setScale: false } },
    select: { show: false },
    scales: { x: { time: false, range: [grid[0], grid[grid.length - 1]] },
              y: { range: yRange.slice() } },
    axes: [axis(holder, "input x", { size: 34 }), axis(holder, "output y", { size: 46 })],
    series,
    hooks: {
      drawSeries: [(u, index) => { if (index === (hasTruth ? 1 : firstSeed)) drawPoints(u); }],
      drawAxes: [(u) => { if (drawUnder) drawUnder(u, state, holder.theme); }],
      draw: [(u) => { if (drawOver) drawOver(u, state, holder.theme); }],
    },
  }, dataAt());
  chart.root.setAttribute("aria-hidden", "true");   // described by the key and the status line
  if (!hasTruth) {
    // no truth series to draw the points after: draw them under the seeds
    chart.hooks.drawSeries = [(u, index) => { if (index === firstSeed) drawPoints(u); }];
  }

  return {
    chart, node: chart.root, title,
    show(frame, seedIndex) {
      state.frame = frame;
      state.seedIndex = seedIndex;
      chart.setData(dataAt(), false);
    },
    resize(w, h) { chart.setSize({ width: w, height: h }); },
    retheme(next) { holder.theme = next; chart.redraw(false); },
    destroy() { chart.destroy(); },
    drawn() {
      const seedsDrawn = {};
      for (let index = 0; index < seeds; index++) {
        seedsDrawn[net.seeds[index]] = chart.data[firstSeed + index];
      }
      return { frame: state.frame, epoch: net.frameEpochs[state.frame],
               seed: net.seeds[state.seedIndex], followed: chart.data[followed],
               seeds: seedsDrawn, truth: hasTruth ? chart.data[1] : null,
               grid: chart.data[0], yRange: [chart.scales.y.min, chart.scales.y.max],
               fontSizes: fontSizes(chart), canvas: canvasReport(chart) };
    },
  };
}
