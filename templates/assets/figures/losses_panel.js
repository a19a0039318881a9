/* The losses panel: several nets' training error on one log-log plot, each net's median over
   its seeds in its colour, optionally the band its seeds span (min to max, diverged seeds left
   out) and a marker at the shown epoch; the noise floor dashed; nets can be hidden. The
   pointer or the keys read one net's median and range at a kept epoch.
   (comparison_losses draws it alone; compare under its panels, with data-tn-losses="shared".) */

import { lossesOf } from "./data.js";
import { drawFloor } from "./loss_panel.js";
import { formatEpoch, formatError, lossLimits } from "./numbers.js";
import { canvasReport, clip, fontSizes, logAxis, pixelRatio, plain } from "./plot.js";
import { css } from "./theme.js";

/* median, lowest and highest finite value over the seeds at each kept epoch; count of seeds
   that are not finite at the last one (diverged) */
export function seedSpread(net) {
  const kept = net.lossEpochs.length, seeds = net.seeds.length;
  const perSeed = Array.from({ length: seeds }, (_, index) => lossesOf(net, index));
  const median = new Float64Array(kept), low = new Float64Array(kept), high = new Float64Array(kept);
  const column = [];
  for (let i = 0; i < kept; i++) {
    column.length = 0;
    for (const values of perSeed) if (isFinite(values[i])) column.push(values[i]);
    column.sort((a, b) => a - b);
    const n = column.length;
    median[i] = !n ? NaN : n % 2 ? column[(n - 1) / 2] : (column[n / 2 - 1] + column[n / 2]) / 2;
    low[i] = n ? column[0] : NaN;
    high[i] = n ? column[n - 1] : NaN;
  }
  const diverged = perSeed.filter((values) => !isFinite(values[kept - 1])).length;
  return { epochs: Array.from(net.lossEpochs), median, low, high, diverged };
}

function keptIndex(epochs, epoch) {   // the kept epoch at or before ``epoch`` (-1: none)
  let low = 0, high = epochs.length - 1, found = -1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (epochs[middle] <= epoch) { found = middle; low = middle + 1; } else high = middle - 1;
  }
  return found;
}

export function lossesPanel(uPlot, { nets, theme, width, height, bands, marker, onReadout }) {
  const holder = { theme };
  const spreads = nets.map(seedSpread);
  const hidden = new Set();
  const state = { epochs: null, reading: null, keyboard: false };   // epochs: per net, its shown epoch
  const union = Array.from(new Set(spreads.flatMap((spread) => spread.epochs))).sort((a, b) => a - b);
  const floor = nets.map((net) => net.noiseFloor).find((value) => value > 0) || null;
  const yRange = lossLimits(nets.flatMap((net) => Array.from(net.losses.values)), floor || 0);
  const last = Math.max(2, ...nets.map((net) => net.lossEpochs[net.lossEpochs.length - 1]));

  const data = [union];
  const series = [{}];
  nets.forEach((net, index) => {
    const where = new Map(spreads[index].epochs.map((epoch, i) => [epoch, i]));
    const median = spreads[index].median;
    data.push(union.map((epoch) => {
      const i = where.get(epoch);
      return i == null || !isFinite(median[i]) ? null : median[i];
    }));
    series.push({ label: net.label, stroke: () => css(holder.theme.net(net.color).line), width: 2.5,
                  spanGaps: true, points: { show: false } });
  });

  function drawBands(u) {
    if (!bands) return;
    clip(u, (context) => {
      nets.forEach((net, index) => {
        if (hidden.has(net.name)) return;
        const { epochs, low, high } = spreads[index];
        context.fillStyle = css(holder.theme.net(net.color).line, 0.16);
        context.beginPath();
        let started = false;
        for (let i = 0; i < epochs.length; i++) {
          if (!(high[i] > 0)) continue;
          const x = u.valToPos(epochs[i], "x", true), y = u.valToPos(high[i], "y", true);
          if (started) context.lineTo(x, y); else { context.moveTo(x, y); started = true; }
        }
        for (let i = epochs.length - 1; i >= 0; i--) {
          if (!(low[i] > 0)) continue;
          context.lineTo(u.valToPos(epochs[i], "x", true), u.valToPos(low[i], "y", true));
        }
        context.closePath();
        context.fill();
      });
    });
  }

  function dot(u, epoch, value, color, radius) {
    if (!(epoch >= 1) || !isFinite(value) || value <= 0) return;
    const ratio = pixelRatio();
    const context = u.ctx;
    context.save();
    context.beginPath();
    context.arc(u.valToPos(epoch, "x", true), u.valToPos(value, "y", true), radius * ratio, 0, 2 * Math.PI);
    context.fillStyle = color;
    context.fill();
    context.lineWidth = 2 * ratio;
    context.strokeStyle = css(holder.theme.background);
    context.stroke();
    context.restore();
  }

  function markers() {   // per shown net: its median at the epoch it shows
    if (!marker || !state.epochs) return [];
    return nets.flatMap((net, index) => {
      const epoch = state.epochs[index];
      if (hidden.has(net.name) || !(epoch >= 1)) return [];
      const at = keptIndex(spreads[index].epochs, epoch);
      return at >= 0 ? [{ name: net.name, index, epoch: spreads[index].epochs[at], value: spreads[index].median[at] }] : [];
    });
  }

  function drawExtras(u) {
    const theme = holder.theme;
    const ratio = pixelRatio();
    drawFloor(u, theme, floor);
    if (marker && state.epochs) {
      const epoch = Math.max(...state.epochs);
      if (epoch >= 1) {
        const x = u.valToPos(epoch, "x", true);
        clip(u, (context) => {
          context.strokeStyle = css(theme.axis);
          context.lineWidth = ratio;
          context.beginPath();
          context.moveTo(x, u.bbox.top);
          context.lineTo(x, u.bbox.top + u.bbox.height);
          context.stroke();
        });
      }
      for (const mark of markers()) dot(u, mark.epoch, mark.value, css(theme.net(nets[mark.index].color).line), 5);
    }
    if (state.reading) {
      const { index, at } = state.reading;
      dot(u, spreads[index].epochs[at], spreads[index].median[at], css(theme.ink), 4);
    }
  }

  function reading() {
    if (!state.reading) return null;
    const { index, at } = state.reading;
    const spread = spreads[index];
    return { name: nets[index].name, label: nets[index].label, epoch: spread.epochs[at],
             median: spread.median[at], low: spread.low[at], high: spread.high[at] };
  }

  function read(index, at, announce) {
    state.reading = index == null ? null : { index, at };
    const value = reading();
    if (onReadout) {
      onReadout(value ? value.label + ", epoch " + formatEpoch(value.epoch) + ": median " +
        formatError(value.median) + ", range " + formatError(value.low) + "\u2013" +
        formatError(value.high) + " over " + nets[index].seeds.length + " seeds" : "", announce);
    }
    chart.redraw(false);
  }

  function shownIndices() {
    return nets.map((net, index) => index).filter((index) => !hidden.has(nets[index].name));
  }

  function pointed(u) {
    const left = u.cursor.left, top = u.cursor.top;
    if (left == null || left < 0) { if (state.reading && !state.keyboard) read(null); return; }
    state.keyboard = false;
    const epoch = u.posToVal(left, "x");
    let best = null, distance = Infinity;
    for (const index of shownIndices()) {
      const { epochs, median } = spreads[index];
      let at = keptIndex(epochs, epoch);
      if (at < 0) at = 0;
      if (at + 1 < epochs.length && Math.abs(Math.log(epochs[at + 1] / epoch)) < Math.abs(Math.log(epochs[at] / epoch))) at++;
      if (epoch > epochs[epochs.length - 1] * 1.05) continue;   // past this net's last epoch
      if (!isFinite(median[at]) || median[at] <= 0) continue;
      const gap = Math.abs(u.valToPos(median[at], "y") - top);
      if (gap < distance) { distance = gap; best = { index, at }; }
    }
    if (best) read(best.index, best.at, false); else read(null);
  }

  const chart = new uPlot({
    width, height, legend: { show: false },
    cursor: { show: true, x: true, y: false, points: { show: false },
              drag: { x: false, y: false, setScale: false }, focus: { prox: -1 } },
    select: { show: false },
    scales: { x: { time: false, distr: 3, log: 10, range: [1, last] },
              y: { distr: 3, log: 10, range: yRange } },
    axes: [logAxis(holder, "epoch", { size: 34 }), logAxis(holder, "training error", { size: 50 })],
    series,
    hooks: { drawAxes: [drawBands], draw: [drawExtras], setCursor: [pointed] },
  }, data);
  chart.root.setAttribute("aria-hidden", "true");

  return {
    chart, node: chart.root, spreads,
    setHidden(names) {
      hidden.clear();
      for (const name of names) hidden.add(name);
      nets.forEach((net, index) => chart.setSeries(index + 1, { show: !hidden.has(net.name) }));
      if (state.reading && hidden.has(nets[state.reading.index].name)) read(null);
      chart.redraw(false);
    },
    /* the epoch each net shows (compare: its own frame's epoch) */
    setEpochs(epochs) { state.epochs = epochs; chart.redraw(false); },
    readKey(key) {
      const shown = shownIndices();
      if (!shown.length) return false;
      let { index, at } = state.reading || { index: shown[0], at: spreads[shown[0]].epochs.length - 1 };
      if (state.reading) {
        const kept = spreads[index].epochs.length;
        const page = Math.max(1, Math.round(kept / 10));
        const position = shown.indexOf(index);
        const move = (offset) => {
          const next = shown[(position + offset + shown.length) % shown.length];
          const epoch = spreads[index].epochs[at];
          at = Math.max(0, keptIndex(spreads[next].epochs, epoch));
          index = next;
        };
        if (key === "ArrowRight") at = Math.min(at + 1, kept - 1);
        else if (key === "ArrowLeft") at = Math.max(at - 1, 0);
        else if (key === "PageUp") at = Math.min(at + page, kept - 1);
        else if (key === "PageDown") at = Math.max(at - page, 0);
        else if (key === "Home") at = 0;
        else if (key === "End") at = kept - 1;
        else if (key === "ArrowUp") move(1);
        else if (key === "ArrowDown") move(-1);
        else return false;
      }
      state.keyboard = true;
      read(index, at, true);
      return true;
    },
    stopReading() { state.keyboard = false; read(null); },
    /* the chart in a focusable group: the arrow keys read a value, up and down change the net */
    focusable() {
      const focus = document.createElement("div");
      focus.className = "tn-chart-focus";
      focus.tabIndex = 0;
      focus.setAttribute("role", "group");
      focus.setAttribute("aria-label", "Median training error of every net by epoch: arrow keys " +
                         "read a value, up and down change the net read");
      focus.append(chart.root);
      focus.addEventListener("keydown", (event) => { if (this.readKey(event.key)) event.preventDefault(); });
      focus.addEventListener("focus", () => this.readKey("focus"));
      focus.addEventListener("blur", () => this.stopReading());
      return focus;
    },
    reading,
    resize(w, h) { chart.setSize({ width: w, height: h }); },
    retheme(next) { holder.theme = next; chart.redraw(false); },
    destroy() { chart.destroy(); },
    drawn() {
      return {
        nets: nets.map((net, index) => ({
          name: net.name, label: net.label, hidden: hidden.has(net.name), shown: chart.series[index + 1].show,
          epochs: spreads[index].epochs, median: plain(spreads[index].median),
          low: plain(spreads[index].low), high: plain(spreads[index].high),
          line: chart.data[index + 1],
        })),
        x: chart.data[0], bands: !!bands, floor, markers: markers().map(({ name, epoch, value }) => ({ name, epoch, value })),
        yRange: [chart.scales.y.min, chart.scales.y.max], xRange: [chart.scales.x.min, chart.scales.x.max],
        reading: reading(),
        fontSizes: fontSizes(chart).concat(floor > 0 ? [holder.theme.font.ticks] : []),
        canvas: canvasReport(chart),
      };
    },
  };
}
