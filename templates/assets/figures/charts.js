/* The two panels every 1-D figure is made of, drawn with uPlot (vendor/uplot) at the element's
   real size and device pixel ratio:

   predictionPanel  the nets' predictions over the input: every seed faint, the followed seed
                    bold, the true function, the training points (drawn in a hook);
   lossPanel        training error per epoch on log axes: every seed faint, the median bold,
                    the followed seed, the noise floor dashed and labelled, a marker at the
                    shown epoch, and a readout of one seed's value under the pointer or keys.

   Colours come from a theme (theme.js) held by reference, so retheme() only redraws. */

import { css } from "./theme.js";
import { lossesOf, predictionAt } from "./data.js";

/* --- uPlot, loaded once as a classic script (its minified IIFE build defines window.uPlot) -- */

let loading = null;

export function loadUPlot() {
  if (window.uPlot) return Promise.resolve(window.uPlot);
  if (!loading) {
    loading = new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = new URL("../vendor/uplot/uPlot.iife.min.js", import.meta.url).href;
      script.onload = () => (window.uPlot ? resolve(window.uPlot)
                                          : reject(new Error("uPlot did not define itself")));
      script.onerror = () => { loading = null; reject(new Error("cannot load " + script.src)); };
      document.head.appendChild(script);
    });
  }
  return loading;
}

/* --- Numbers as the figures write them ------------------------------------------------------ */

const MINUS = "\u2212";

export function formatTick(value) {
  if (value == null || !isFinite(value)) return "";
  const abs = Math.abs(value);
  let text;
  if (abs >= 1000) text = Math.round(value).toLocaleString("en");
  else if (abs !== 0 && abs < 1e-3) text = value.toExponential(0).replace("e", "e");
  else text = String(Number(value.toPrecision(6)));
  return text.replace("-", MINUS);
}

export function formatEpoch(epoch) {
  return Number(epoch).toLocaleString("en");
}

/* three significant digits, "diverged" for NaN (as the captions and the renderer write it) */
export function formatError(value) {
  if (value == null || !isFinite(value)) return "diverged";
  if (value !== 0 && Math.abs(value) < 1e-3) {
    return value.toExponential(2).replace(/\.?0+e/, "e").replace("-", MINUS);
  }
  return String(Number(value.toPrecision(3)));
}

function plain(values) {   // uPlot draws null as a gap; NaN and infinities become gaps
  const out = new Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = isFinite(values[i]) ? values[i] : null;
  return out;
}

function pixelRatio() {
  return (window.uPlot && window.uPlot.pxRatio) || window.devicePixelRatio || 1;
}

/* --- Axes -------------------------------------------------------------------------------------- */

/* Ticks of a log axis: every decade, and 2 and 5 (and 3) times it when few decades show. */
export function logSplits(min, max) {
  const decades = Math.log10(max / min);
  const mantissas = decades <= 1.3 ? [1, 2, 3, 5] : decades <= 2.6 ? [1, 2, 5] : [1];
  const every = decades > 7 ? 2 : 1;
  const splits = [];
  for (let exponent = Math.floor(Math.log10(min)); exponent <= Math.ceil(Math.log10(max)); exponent++) {
    if (exponent % every) continue;
    for (const mantissa of mantissas) {
      const value = Number((mantissa * Math.pow(10, exponent)).toPrecision(12));
      if (value >= min * (1 - 1e-9) && value <= max * (1 + 1e-9)) splits.push(value);
    }
  }
  return splits;
}

function axis(holder, label, options) {
  const theme = () => holder.theme;
  return {
    label,
    stroke: () => css(theme().muted),
    font: holder.theme.canvasFont(holder.theme.font.ticks),
    labelFont: holder.theme.canvasFont(holder.theme.font.text),
    labelSize: 22,
    labelGap: 2,
    gap: 4,
    grid: { stroke: () => css(theme().grid), width: 1 },
    ticks: { stroke: () => css(theme().axis), width: 1, size: 4 },
    border: { show: true, stroke: () => css(theme().axis), width: 1 },
    values: (u, splits) => splits.map(formatTick),
    ...options,
  };
}

function logAxis(holder, label, options) {
  return axis(holder, label, {
    splits: (u, axisIndex, min, max) => logSplits(min, max),
    filter: (u, splits) => splits,
    ...options,
  });
}

/* Log-axis limits of losses: from below the noise floor to above the finite losses, at least a
   decade (as the fallback's renderer sets them). */
export function lossLimits(values, floor) {
  const finite = [];
  for (const value of values) if (isFinite(value) && value > 0) finite.push(value);
  let low = 1e-3, high = 1;
  if (finite.length) {
    finite.sort((a, b) => a - b);
    const percentile = finite[Math.min(finite.length - 1, Math.floor(0.995 * (finite.length - 1)))];
    high = Math.min(finite[finite.length - 1], percentile * 10);
    low = finite[0];
  }
  if (floor > 0) low = Math.min(low, floor);
  low /= 1.6;
  high *= 1.6;
  if (high / low < 10) low = high / 10;
  return [low, high];
}

/* y limits that hold the data points and the true function with a margin (shared by panels). */
export function valueLimits(nets) {
  let low = Infinity, high = -Infinity;
  for (const net of nets) {
    for (const values of [net.pointsY, net.truth || []]) {
      for (const value of values) {
        if (isFinite(value)) { low = Math.min(low, value); high = Math.max(high, value); }
      }
    }
  }
  if (!(high > low)) { low = (isFinite(low) ? low : 0) - 1; high = low + 2; }
  const margin = 0.16 * (high - low);
  return [low - margin, high + margin];
}

function clip(u, draw) {
  const { left, top, width, height } = u.bbox;
  const context = u.ctx;
  context.save();
  context.beginPath();
  context.rect(left, top, width, height);
  context.clip();
  draw(context);
  context.restore();
}

/* CSS pixel sizes of the text uPlot draws (tick labels, axis titles) */
function fontSizes(u) {
  return u.axes.flatMap((axis) => [axis.font[2], axis.labelFont[2]]);
}

/* the canvas' pixel and CSS sizes, and the plotting area in viewport CSS pixels (test hook) */
function canvasReport(u) {
  const canvas = u.root.querySelector("canvas");
  const box = canvas.getBoundingClientRect();
  const plot = u.over.getBoundingClientRect();
  return { width: canvas.width, height: canvas.height, cssWidth: box.width, cssHeight: box.height,
           ratio: pixelRatio(),
           plot: { left: plot.left, top: plot.top, width: plot.width, height: plot.height } };
}

/* --- Prediction panel ------------------------------------------------------------------------ */

export function predictionPanel(uPlot, { net, theme, width, height, yRange, title }) {
  const holder = { theme };
  const seeds = net.seeds.length;
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

  function drawPoints(u) {
    const radius = 2.6 * pixelRatio();
    clip(u, (context) => {
      context.fillStyle = css(holder.theme.points);
      context.beginPath();
      for (let i = 0; i < net.pointsX.length; i++) {
        const x = u.valToPos(net.pointsX[i], "x", true), y = u.valToPos(net.pointsY[i], "y", true);
        context.moveTo(x + radius, y);
        context.arc(x, y, radius, 0, 2 * Math.PI);
      }
      context.fill();
    });
  }

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

/* --- Loss panel --------------------------------------------------------------------------------
   ``marker``: show the epoch marker (animated figures); ``onReadout(text)``: the readout line. */

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
    if (floor > 0) {
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
