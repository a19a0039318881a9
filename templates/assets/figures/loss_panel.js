/* The loss panel: training error per epoch on log axes, every seed faint, the followed seed,
   the median bold, the noise floor dashed and labelled, a marker at the shown epoch, and a
   readout of one seed's value under the pointer or the keys. */

import { lossesOf } from "./data.js";
import { formatEpoch, formatError, lossLimits } from "./numbers.js";
import { canvasReport, clip, fontSizes, logAxis, pixelRatio, plain } from "./plot.js";
import { css } from "./theme.js";

/* The noise floor: a dashed line across the plot, labelled above it (the losses panel shares it). */
export function drawFloor(u, theme, floor) {
  if (!(floor > 0)) return;
  const ratio = pixelRatio();
  const y = u.valToPos(floor, "y", true);
  clip(u, (context) => {
    context.strokeStyle = css(theme.floor);
    context.lineWidth = 1.5 * ratio;
    context.setLineDash([6 * ratio, 4 * ratio]);
    context.beginPath();
    context.moveTo(u.bbox.left, y);
    context.lineTo(u.bbox.left + u.bbox.width, y);
    context.stroke();
  });
  const context = u.ctx;
  context.save();
  context.font = theme.canvasFont(theme.font.ticks * ratio);
  context.fillStyle = css(theme.muted);
  context.textAlign = "left";
  context.textBaseline = "bottom";   // above the line: below it are the axis' labels
  context.fillText("noise floor", u.bbox.left + 6 * ratio, y - 3 * ratio);
  context.restore();
}

/* ``marker``: show the epoch marker (animated figures); ``onReadout(text)``: the readout line. */

export function lossPanel(uPlot, { net, theme, width, height, marker, onReadout }) {
  const holder = { theme };
  const seeds = net.seeds.length;
  const kept = net.lossEpochs.length;
  const epochs = Array.from(net.lossEpochs);
  const perSeed = [];
  for (let index = 0; index < seeds; index++) perSeed.push(lossesOf(net, index));
  const median = new Float64Array(kept);
  const column = [];
  for (let i = 0; i < kept; i++) {
    column.length = 0;
    for (let index = 0; index < seeds; index++) {
      if (isFinite(perSeed[index][i])) column.push(perSeed[index][i]);
    }
    column.sort((a, b) => a - b);
    const n = column.length;
    median[i] = !n ? NaN : n % 2 ? column[(n - 1) / 2] : (column[n / 2 - 1] + column[n / 2]) / 2;
  }
  const lineOf = () => holder.theme.net(net.color);
  const series = [{}];
  for (let index = 0; index < seeds; index++) {
    series.push({ label: "seed " + net.seeds[index], stroke: () => css(lineOf().faint),
                  width: 1, points: { show: false } });
  }
  // the median is drawn last, over the followed seed: it is what the panel is about
  series.push({ label: "followed seed", stroke: () => css(lineOf().line), width: 2,
                points: { show: false } });
  series.push({ label: "median", stroke: () => css(holder.theme.median), width: 3,
                points: { show: false } });
  const followedSeries = seeds + 1, medianSeries = seeds + 2;
  const state = { seedIndex: net.seeds.indexOf(net.shownSeed), epoch: null, reading: null };
  const floor = net.noiseFloor;
  const yRange = lossLimits(net.losses.values, floor || 0);

  function dataNow() {
    const data = [epochs];
    for (let index = 0; index < seeds; index++) data.push(plain(perSeed[index]));
    data.push(plain(perSeed[state.seedIndex]));
    data.push(plain(median));
    return data;
  }

  function keptIndex(epoch) {   // the kept epoch at or before ``epoch`` (-1: none)
    let low = 0, high = kept - 1, found = -1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      if (epochs[middle] <= epoch) { found = middle; low = middle + 1; } else high = middle - 1;
    }
    return found;
  }

  function drawExtras(u) {
    const ratio = pixelRatio();
    const theme = holder.theme;
    drawFloor(u, theme, floor);
    const dot = (epoch, value, color, radius) => {
      if (!(epoch >= 1) || !isFinite(value) || value <= 0) return;
      const x = u.valToPos(epoch, "x", true), y = u.valToPos(value, "y", true);
      const context = u.ctx;
      context.save();
      context.beginPath();
      context.arc(x, y, radius * ratio, 0, 2 * Math.PI);
      context.fillStyle = color;
      context.fill();
      context.lineWidth = 2 * ratio;
      context.strokeStyle = css(theme.background);
      context.stroke();
      context.restore();
    };
    if (marker && state.epoch != null && state.epoch >= 1) {
      const x = u.valToPos(state.epoch, "x", true);
      clip(u, (context) => {
        context.strokeStyle = css(theme.axis);
        context.lineWidth = 1 * ratio;
        context.beginPath();
        context.moveTo(x, u.bbox.top);
        context.lineTo(x, u.bbox.top + u.bbox.height);
        context.stroke();
      });
      const index = keptIndex(state.epoch);
      if (index >= 0) dot(epochs[index], perSeed[state.seedIndex][index], css(lineOf().line), 5);
    }
    if (state.reading) {
      const { index, seedIndex } = state.reading;
      dot(epochs[index], perSeed[seedIndex][index], css(theme.ink), 4);
    }
  }

  function read(index, seedIndex, announce) {
    if (index == null || index < 0) {
      state.reading = null;
      if (onReadout) onReadout("", false);
    } else {
      state.reading = { index, seedIndex };
      if (onReadout) {
        onReadout("seed " + net.seeds[seedIndex] + ", epoch " + formatEpoch(epochs[index]) +
                  ": training error " + formatError(perSeed[seedIndex][index]), announce);
      }
    }
    chart.redraw(false);
  }

  function nearestSeed(u, index, top) {   // the seed whose curve passes closest to the pointer
    let best = state.seedIndex, distance = Infinity;
    for (let seedIndex = 0; seedIndex < seeds; seedIndex++) {
      const value = perSeed[seedIndex][index];
      if (!isFinite(value) || value <= 0) continue;
      const gap = Math.abs(u.valToPos(value, "y") - top);
      if (gap < distance) { distance = gap; best = seedIndex; }
    }
    return best;
  }

  const chart = new uPlot({
    width, height,
    legend: { show: false },
    cursor: { show: true, x: true, y: false, points: { show: false },
              drag: { x: false, y: false, setScale: false }, focus: { prox: -1 } },
    select: { show: false },
    scales: { x: { time: false, distr: 3, log: 10, range: [1, Math.max(net.epochs, 2)] },
              y: { distr: 3, log: 10, range: yRange } },
    axes: [logAxis(holder, "epoch", { size: 34 }),
           logAxis(holder, "training error", { size: 50 })],
    series,
    hooks: {
      draw: [drawExtras],
      setCursor: [(u) => {
        const index = u.cursor.idx;
        if (index == null || u.cursor.left < 0) { if (state.reading && !state.keyboard) read(null); return; }
        state.keyboard = false;
        read(index, nearestSeed(u, index, u.cursor.top), false);
      }],
    },
  }, dataNow());
  chart.root.setAttribute("aria-hidden", "true");

  return {
    chart, node: chart.root, epochs, median,
    setSeed(seedIndex) { state.seedIndex = seedIndex; chart.setData(dataNow(), false); },
    setEpoch(epoch) {
      if (state.epoch === epoch) return;
      state.epoch = epoch;
      chart.redraw(false);
    },
    valueAt(epoch, seedIndex) {
      const index = keptIndex(epoch);
      return index >= 0 && epochs[index] === epoch
        ? perSeed[seedIndex == null ? state.seedIndex : seedIndex][index] : NaN;
    },
    /* keyboard reading: step along the kept epochs, or to another seed */
    readKey(key) {
      let reading = state.reading || { index: Math.max(keptIndex(state.epoch || net.epochs), 0),
                                        seedIndex: state.seedIndex };
      const page = Math.max(1, Math.round(kept / 10));
      let { index, seedIndex } = reading;
      if (state.reading) {
        if (key === "ArrowRight") index = Math.min(index + 1, kept - 1);
        else if (key === "ArrowLeft") index = Math.max(index - 1, 0);
        else if (key === "PageUp") index = Math.min(index + page, kept - 1);
        else if (key === "PageDown") index = Math.max(index - page, 0);
        else if (key === "Home") index = 0;
        else if (key === "End") index = kept - 1;
        else if (key === "ArrowUp") seedIndex = (seedIndex + 1) % seeds;
        else if (key === "ArrowDown") seedIndex = (seedIndex + seeds - 1) % seeds;
        else return false;
      }
      state.keyboard = true;
      read(index, seedIndex, true);
      return true;
    },
    stopReading() { state.keyboard = false; read(null); },
    reading() {
      if (!state.reading) return null;
      const { index, seedIndex } = state.reading;
      return { seed: net.seeds[seedIndex], epoch: epochs[index], value: perSeed[seedIndex][index] };
    },
    resize(w, h) { chart.setSize({ width: w, height: h }); },
    retheme(next) { holder.theme = next; chart.redraw(false); },
    destroy() { chart.destroy(); },
    drawn() {
      const index = state.epoch != null ? keptIndex(state.epoch) : -1;
      return {
        seed: net.seeds[state.seedIndex], epochs: chart.data[0],
        followed: chart.data[followedSeries], median: chart.data[medianSeries],
        marker: marker && index >= 0 && state.epoch >= 1
          ? { epoch: epochs[index], value: perSeed[state.seedIndex][index] } : null,
        floor, yRange: [chart.scales.y.min, chart.scales.y.max],
        xRange: [chart.scales.x.min, chart.scales.x.max],
        fontSizes: fontSizes(chart).concat(floor > 0 ? [holder.theme.font.ticks] : []),
        canvas: canvasReport(chart),
      };
    },
  };
}
