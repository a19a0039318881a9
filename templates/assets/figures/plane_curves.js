/* The curves of a net on the plane: its error per epoch (log axes) and, for a classifier, its
   accuracy per epoch, each for the training points (solid) and the test points (dashed) of the
   followed seed, every seed's training curve faint behind; a marker at the shown epoch; the
   pointer or the keys read the followed seed's values at an epoch.

   planeCurves(uPlot, { plane, theme, width, height, marker, onReadout }) → { node, setSeed(i),
   setEpoch(epoch), readKey(key), stopReading(), valueAt(name, epoch), resize(w, h),
   retheme(theme), drawn(), destroy() }. */

import { element } from "./controls.js";
import { lastAtOrBefore } from "./data.js";
import { formatEpoch, formatError, lossLimits } from "./numbers.js";
import { axis, canvasReport, clip, fontSizes, logAxis, pixelRatio, plain } from "./plot.js";
import { css } from "./theme.js";

export function percent(value) {
  return isFinite(value) ? Math.round(value * 1000) / 10 + "%" : "–";
}

const PANELS = {
  error: { training: "losses", test: "test_losses", title: "error" },
  accuracy: { training: "accuracy", test: "test_accuracy", title: "accuracy" },
};

export function planeCurves(uPlot, { plane, theme, width, height, marker, onReadout }) {
  const holder = { theme };
  const node = element("div", "tn-plane-curves");
  const epochs = Array.from(plane.lossEpochs);
  const kept = epochs.length;
  const seeds = plane.seeds.length;
  const state = { seedIndex: plane.seeds.indexOf(plane.shownSeed), epoch: null, reading: null };
  const kinds = ["error"].concat(plane.curves.accuracy ? ["accuracy"] : []);
  const lineOf = () => holder.theme.net(plane.color);

  function keptIndex(epoch) {
    let low = 0, high = kept - 1, found = -1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      if (epochs[middle] <= epoch) { found = middle; low = middle + 1; } else high = middle - 1;
    }
    return found;
  }

  function seriesOf(kind) {
    const names = PANELS[kind];
    const training = plane.curves[names.training], test = plane.curves[names.test];
    return { training, test };
  }

  function makeChart(kind, chartHeight, last) {
    const { training, test } = seriesOf(kind);
    const series = [{}];
    for (let index = 0; index < seeds; index++) {
      series.push({ label: "seed " + plane.seeds[index], stroke: () => css(lineOf().faint), width: 1,
                    points: { show: false } });
    }
    series.push({ label: "training", stroke: () => css(lineOf().line), width: 2.2, points: { show: false } });
    if (test) {
      series.push({ label: "test", stroke: () => css(lineOf().line), width: 2, dash: [6, 4],
                    points: { show: false } });
    }
    const all = [];
    for (const set of [training, test]) if (set) for (const values of set) all.push(...values);
    const floor = kind === "error" ? plane.noiseFloor : null;
    const yRange = kind === "error" ? lossLimits(all, floor || 0) : accuracyRange(all);
    const data = () => {
      const rows = [epochs];
      for (let index = 0; index < seeds; index++) rows.push(plain(training[index]));
      rows.push(plain(training[state.seedIndex]));
      if (test) rows.push(plain(test[state.seedIndex]));
      return rows;
    };
    const drawExtras = (u) => {
      const ratio = pixelRatio();
      const currentTheme = holder.theme;
      if (floor > 0) {
        const y = u.valToPos(floor, "y", true);
        clip(u, (context) => {
          context.strokeStyle = css(currentTheme.floor);
          context.lineWidth = 1.5 * ratio;
          context.setLineDash([6 * ratio, 4 * ratio]);
          context.beginPath(); context.moveTo(u.bbox.left, y); context.lineTo(u.bbox.left + u.bbox.width, y);
          context.stroke();
        });
      }
      const dot = (index, values, colour) => {
        const value = values[index];
        if (!isFinite(value) || (kind === "error" && value <= 0)) return;
        const context = u.ctx;
        context.save();
        context.beginPath();
        context.arc(u.valToPos(epochs[index], "x", true), u.valToPos(value, "y", true), 4.5 * ratio, 0, 2 * Math.PI);
        context.fillStyle = colour;
        context.fill();
        context.lineWidth = 2 * ratio;
        context.strokeStyle = css(currentTheme.background);
        context.stroke();
        context.restore();
      };
      if (marker && state.epoch >= 1) {
        const x = u.valToPos(state.epoch, "x", true);
        clip(u, (context) => {
          context.strokeStyle = css(currentTheme.axis);
          context.lineWidth = ratio;
          context.beginPath(); context.moveTo(x, u.bbox.top); context.lineTo(x, u.bbox.top + u.bbox.height);
          context.stroke();
        });
        const index = keptIndex(state.epoch);
        if (index >= 0) dot(index, training[state.seedIndex], css(lineOf().line));
      }
      if (state.reading != null) {
        dot(state.reading, training[state.seedIndex], css(currentTheme.ink));
        if (test) dot(state.reading, test[state.seedIndex], css(currentTheme.ink));
      }
    };
    const chart = new uPlot({
      width, height: chartHeight,
      legend: { show: false },
      cursor: { show: true, x: true, y: false, points: { show: false },
                drag: { x: false, y: false, setScale: false }, focus: { prox: -1 } },
      select: { show: false },
      scales: { x: { time: false, distr: 3, log: 10, range: [1, Math.max(plane.epochs, 2)] },
                y: kind === "error" ? { distr: 3, log: 10, range: yRange } : { range: yRange } },
      axes: [logAxis(holder, last ? "epoch" : "", last ? { size: 34 }
                     : { size: 12, values: (u, splits) => splits.map(() => "") }),
             kind === "error" ? logAxis(holder, PANELS[kind].title, { size: 50 })
                              : axis(holder, PANELS[kind].title, { size: 50, values: (u, splits) => splits.map(percent) })],
      series,
      hooks: {
        draw: [drawExtras],
        setCursor: [(u) => {
          const index = u.cursor.idx;
          if (index == null || u.cursor.left < 0) { if (state.reading != null && !state.keyboard) read(null); return; }
          state.keyboard = false;
          read(index, false);
        }],
      },
    }, data());
    chart.root.setAttribute("aria-hidden", "true");
    return { kind, chart, data, training, test, floor, yRange };
  }

  function accuracyRange(values) {
    let low = 1;
    for (const value of values) if (isFinite(value)) low = Math.min(low, value);
    return [Math.max(0, Math.floor((low - 0.05) * 10) / 10), 1.0];
  }

  const heights = (total) => (kinds.length === 1 ? [total]
    : [Math.round(total * 0.52), total - Math.round(total * 0.52)]);
  let sizes = heights(height);
  const charts = kinds.map((kind, index) => makeChart(kind, sizes[index], index === kinds.length - 1));
  for (const entry of charts) node.append(entry.chart.root);

  function describe(index) {
    const seed = plane.seeds[state.seedIndex];
    let text = "seed " + seed + ", epoch " + formatEpoch(epochs[index]) + ": ";
    const parts = [];
    for (const entry of charts) {
      const format = entry.kind === "error" ? formatError : percent;
      parts.push("training " + entry.kind + " " + format(entry.training[state.seedIndex][index]));
      if (entry.test) parts.push("test " + entry.kind + " " + format(entry.test[state.seedIndex][index]));
    }
    return text + parts.join(", ");
  }

  function read(index, announce) {
    state.reading = index == null || index < 0 ? null : index;
    if (onReadout) onReadout(state.reading == null ? "" : describe(state.reading), announce);
    for (const entry of charts) entry.chart.redraw(false);
  }

  return {
    node, charts,
    setSeed(seedIndex) {
      state.seedIndex = seedIndex;
      for (const entry of charts) entry.chart.setData(entry.data(), false);
      if (state.reading != null) read(state.reading, false);
    },
    setEpoch(epoch) {
      if (state.epoch === epoch) return;
      state.epoch = epoch;
      for (const entry of charts) entry.chart.redraw(false);
    },
    /* the followed seed's value of a curve ("losses", "test_losses", "accuracy", …) at a kept epoch */
    valueAt(name, epoch) {
      const index = keptIndex(epoch);
      const values = plane.curves[name];
      return values && index >= 0 && epochs[index] === epoch ? values[state.seedIndex][index] : NaN;
    },
    readKey(key) {
      const page = Math.max(1, Math.round(kept / 10));
      let index = state.reading;
      if (index == null) {
        index = Math.max(keptIndex(state.epoch || plane.epochs), 0);
      } else if (key === "ArrowRight") index = Math.min(index + 1, kept - 1);
      else if (key === "ArrowLeft") index = Math.max(index - 1, 0);
      else if (key === "PageUp") index = Math.min(index + page, kept - 1);
      else if (key === "PageDown") index = Math.max(index - page, 0);
      else if (key === "Home") index = 0;
      else if (key === "End") index = kept - 1;
      else return false;
      state.keyboard = true;
      read(index, true);
      return true;
    },
    stopReading() { state.keyboard = false; read(null); },
    resize(w, h) {
      sizes = heights(h);
      charts.forEach((entry, index) => entry.chart.setSize({ width: w, height: sizes[index] }));
    },
    retheme(next) { holder.theme = next; for (const entry of charts) entry.chart.redraw(false); },
    destroy() { for (const entry of charts) entry.chart.destroy(); },
    drawn() {
      const index = state.epoch != null ? keptIndex(state.epoch) : -1;
      return {
        seed: plane.seeds[state.seedIndex],
        reading: state.reading == null ? null : { epoch: epochs[state.reading], text: describe(state.reading) },
        panels: charts.map((entry) => {
          const rows = entry.chart.data;
          return {
            kind: entry.kind, epochs: rows[0], training: rows[seeds + 1], test: entry.test ? rows[seeds + 2] : null,
            marker: marker && index >= 0 && state.epoch >= 1
              ? { epoch: epochs[index], value: entry.training[state.seedIndex][index] } : null,
            floor: entry.floor, yRange: [entry.chart.scales.y.min, entry.chart.scales.y.max],
            fontSizes: fontSizes(entry.chart), canvas: canvasReport(entry.chart),
          };
        }),
      };
    },
  };
}

export function curvesHeight(width, plane) {
  return Math.round(Math.max(240, Math.min(460, width * (plane.curves.accuracy ? 0.95 : 0.62))));
}

/* "test accuracy 79% (training 85%)", or the errors for a regression, at a recorded epoch */
export function headline(plane, seedIndex, epoch) {
  if (!(epoch >= 1)) return "untrained";
  const index = lastAtOrBefore(plane.lossEpochs, epoch);
  if (plane.lossEpochs[index] !== epoch) return "";
  const value = (name) => (plane.curves[name] ? plane.curves[name][seedIndex][index] : NaN);
  if (plane.curves.accuracy) {
    return (plane.curves.test_accuracy ? "test accuracy " + percent(value("test_accuracy")) + " (training " +
            percent(value("accuracy")) + ")" : "accuracy " + percent(value("accuracy")));
  }
  return plane.curves.test_losses
    ? "test error " + formatError(value("test_losses")) + " (training " + formatError(value("losses")) + ")"
    : "training error " + formatError(value("losses"));
}

/* the curves as one focusable group: the arrow keys read the values at an epoch */
export function curvesFocus(curves, plane) {
  const focus = element("div", "tn-chart-focus");
  focus.tabIndex = 0;
  focus.setAttribute("role", "group");
  focus.setAttribute("aria-label", "Error" + (plane.curves.accuracy ? " and accuracy" : "") + " of " +
                     plane.label + " by epoch: arrow keys read the values at an epoch");
  focus.append(curves.node);
  focus.addEventListener("keydown", (event) => { if (curves.readKey(event.key)) event.preventDefault(); });
  focus.addEventListener("focus", () => curves.readKey("focus"));
  focus.addEventListener("blur", () => curves.stopReading());
  return focus;
}
