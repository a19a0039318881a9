/* A sweep cell's training error per epoch (log axes): the band every seed spans at each kept
   epoch, their median, the shown (median) seed, the noise floor, and a marker at the shown
   epoch. The pointer reads the band at an epoch.

   bandPanel(uPlot, { cell, theme, colour, width, height, onReadout }) → { node, setCell(cell),
   setEpoch(epoch), resize(w, h), retheme(theme), drawn(), destroy() }. */

import { formatEpoch, formatError, lossLimits } from "./numbers.js";
import { canvasReport, clip, fontSizes, logAxis, pixelRatio, plain } from "./plot.js";
import { median } from "./sweep_data.js";
import { css } from "./theme.js";

/* per kept epoch: the least, median and greatest finite error over the seeds */
export function band(cell) {
  const kept = cell.lossEpochs.length, seeds = cell.seeds.length;
  const low = new Float64Array(kept), middle = new Float64Array(kept), high = new Float64Array(kept);
  const rows = cell.seeds.map((seed, index) => cell.losses(index));
  const column = new Float64Array(seeds);
  for (let i = 0; i < kept; i++) {
    let least = Infinity, most = -Infinity;
    for (let s = 0; s < seeds; s++) {
      const value = rows[s][i];
      column[s] = isFinite(value) ? value : Infinity;   // a diverged seed sorts last, as the finals
      if (isFinite(value)) { least = Math.min(least, value); most = Math.max(most, value); }
    }
    low[i] = isFinite(least) ? least : NaN;
    high[i] = isFinite(most) ? most : NaN;
    middle[i] = median(column);
  }
  return { low, middle, high, shown: rows[cell.shownIndex] };
}

export function bandPanel(uPlot, { cell: firstCell, theme, colour, width, height, floor, onReadout }) {
  const holder = { theme };
  const state = { cell: firstCell, band: band(firstCell), epoch: null, reading: null };
  const line = () => holder.theme.net(colour);

  function data() {
    const { low, middle, high, shown } = state.band;
    return [Array.from(state.cell.lossEpochs), plain(low), plain(high), plain(middle), plain(shown)];
  }
  function ranges() {
    const values = [];
    for (const array of [state.band.low, state.band.high]) for (const value of array) values.push(value);
    return lossLimits(values, floor || 0);
  }

  function drawBand(u) {
    const ratio = pixelRatio();
    const [epochs, low, high] = u.data;
    clip(u, (context) => {
      context.fillStyle = css(line().line, 0.22);
      let open = false;
      const segment = [];
      const flush = () => {
        if (segment.length > 1) {
          context.beginPath();
          segment.forEach(([x, y]) => context.lineTo(x, y));
          for (let i = segment.length - 1; i >= 0; i--) context.lineTo(segment[i][0], segment[i][2]);
          context.closePath();
          context.fill();
        }
        segment.length = 0;
      };
      for (let i = 0; i < epochs.length; i++) {
        if (low[i] == null || high[i] == null) { if (open) flush(); open = false; continue; }
        open = true;
        segment.push([u.valToPos(epochs[i], "x", true), u.valToPos(high[i], "y", true), u.valToPos(low[i], "y", true)]);
      }
      flush();
      if (floor > 0) {
        const y = u.valToPos(floor, "y", true);
        context.strokeStyle = css(holder.theme.floor);
        context.lineWidth = 1.5 * ratio;
        context.setLineDash([6 * ratio, 4 * ratio]);
        context.beginPath(); context.moveTo(u.bbox.left, y); context.lineTo(u.bbox.left + u.bbox.width, y); context.stroke();
        context.setLineDash([]);
      }
      if (state.epoch >= 1) {
        const x = u.valToPos(state.epoch, "x", true);
        context.strokeStyle = css(holder.theme.axis);
        context.lineWidth = ratio;
        context.beginPath(); context.moveTo(x, u.bbox.top); context.lineTo(x, u.bbox.top + u.bbox.height); context.stroke();
      }
    });
  }

  const chart = new uPlot({
    width, height,
    legend: { show: false },
    cursor: { show: true, x: true, y: false, points: { show: false },
              drag: { x: false, y: false, setScale: false }, focus: { prox: -1 } },
    select: { show: false },
    scales: { x: { time: false, distr: 3, log: 10, range: () => [1, Math.max(state.cell.net.epochs, 2)] },
              y: { distr: 3, log: 10, range: () => ranges() } },
    axes: [logAxis(holder, "epoch", { size: 34 }), logAxis(holder, "training error", { size: 50 })],
    series: [{},
      { label: "least", show: true, stroke: "transparent", width: 0, points: { show: false } },
      { label: "greatest", show: true, stroke: "transparent", width: 0, points: { show: false } },
      { label: "median of the seeds", stroke: () => css(holder.theme.median), width: 2.5, points: { show: false } },
      { label: "median seed", stroke: () => css(line().line), width: 1.8, dash: [5, 3], points: { show: false } }],
    hooks: {
      drawClear: [drawBand],
      setCursor: [(u) => {
        const index = u.cursor.idx;
        if (index == null || u.cursor.left < 0) { state.reading = null; if (onReadout) onReadout(""); return; }
        state.reading = index;
        const { low, middle, high } = state.band;
        if (onReadout) {
          onReadout(state.cell.label + ", epoch " + formatEpoch(state.cell.lossEpochs[index]) + ": median training error " +
                    formatError(middle[index]) + ", seeds from " + formatError(low[index]) + " to " + formatError(high[index]));
        }
      }],
    },
  }, data());
  chart.root.setAttribute("aria-hidden", "true");

  return {
    node: chart.root, chart,
    setCell(cell) {
      state.cell = cell;
      state.band = band(cell);
      chart.setData(data(), true);
    },
    setEpoch(epoch) { state.epoch = epoch; chart.redraw(false); },
    resize(w, h) { chart.setSize({ width: w, height: h }); },
    retheme(next) { holder.theme = next; chart.redraw(false); },
    destroy() { chart.destroy(); },
    drawn() {
      return { cell: state.cell.position, epochs: chart.data[0], low: chart.data[1], high: chart.data[2],
               median: chart.data[3], shown: chart.data[4], floor,
               yRange: [chart.scales.y.min, chart.scales.y.max], fontSizes: fontSizes(chart),
               canvas: canvasReport(chart) };
    },
  };
}
