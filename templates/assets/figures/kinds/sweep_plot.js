/* sweep_plot(sweep): the final training error against the first varied key's values, one line
   per value of the second key: the median of the seeds (line and dots) and the band every
   (finite) seed spans; log axes where the values spread over a decade or more; the noise floor
   dashed. A legend button per line hides or shows it; the pointer, or the arrow keys on the
   focused chart (left/right along the values, up/down between lines), read one cell.
   URL state: hidden (line indices from 1, joined by "+"). */

import { stylesheet } from "../core.js";
import { axis, canvasReport, clip, fontSizes, loadUPlot, logAxis, pixelRatio } from "../plot.js";
import { formatError, formatTick, lossLimits } from "../numbers.js";
import { element, readoutLine } from "../controls.js";
import { css } from "../theme.js";
import { watchWidth } from "../layout.js";
import { legendButton } from "../legend.js";
import { lineEntry } from "../plane_key.js";
import { sweepOf } from "../sweep_data.js";

export const LINE_COLOURS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#8C6D00"];

/* where a key's values go on the x axis: { positions, log } (numbers), or categories at 0, 1, … */
export function numericAxis(key) {
  const values = key.values;
  let numbers;
  if (key.key === "layers") {
    if (!values.every((value) => Array.isArray(value) && value.length === 1)) return null;
    numbers = values.map((value) => Number(value[0]));
  } else if (values.every((value) => typeof value === "number")) {
    numbers = values.slice();
  } else {
    return null;
  }
  const positive = numbers.every((number) => number > 0);
  return { positions: numbers,
           log: positive && numbers.length > 1 && Math.max(...numbers) / Math.min(...numbers) >= 10 };
}

function size(width) {
  return { width: Math.max(200, Math.floor(width)), height: Math.round(Math.max(260, Math.min(400, width * 0.5))) };
}

export default async function create(context) {
  const sweep = sweepOf(context.nets);
  const [uPlot] = await Promise.all([loadUPlot(), stylesheet("./plane.css"), stylesheet("./sweep.css")]);
  let theme = context.theme;
  const holder = { theme };
  const xKey = sweep.keys[0], lineKey = sweep.keys[1] || null;
  const numeric = numericAxis(xKey);
  const positions = numeric ? numeric.positions : xKey.texts.map((text, i) => i);
  const lineTexts = lineKey ? lineKey.texts : ["median of the seeds"];
  const lines = lineTexts.map((text, line) => {
    const cells = xKey.texts.map((x, column) => sweep.cellAt(lineKey ? [column, line] : [column]));
    return { text: lineKey ? lineKey.name + " " + text : text, cells, colour: LINE_COLOURS[line % LINE_COLOURS.length],
             median: cells.map((cell) => (isFinite(cell.median) ? cell.median : null)),
             low: cells.map((cell) => (isFinite(cell.low) ? cell.low : null)),
             high: cells.map((cell) => (isFinite(cell.high) ? cell.high : null)) };
  });
  const hidden = new Set();
  const state = { reading: null };

  const root = element("div", "tn-live tn-live-sweep-plot");
  const title = element("p", "tn-live-title");
  title.append(element("strong", null, sweep.label), " ",
               element("span", "tn-status", "· final training error, median and every seed's range"));
  const legend = element("div", "tn-legend");
  legend.setAttribute("role", "group");
  legend.setAttribute("aria-label", "Lines shown (press to hide or show one)");
  const key = element("p", "tn-key");
  const buttons = lines.map((line, index) => {
    const { button, swatch } = legendButton(line.text);
    button.addEventListener("click", () => {
      if (hidden.has(index)) hidden.delete(index); else hidden.add(index);
      apply();
      context.save({ hidden: Array.from(hidden).sort((a, b) => a - b).map((i) => i + 1).join("+") });
    });
    legend.append(button);
    return { button, swatch };
  });
  const readout = readoutLine("");

  const all = lines.flatMap((line) => line.low.concat(line.high)).filter((value) => value != null);
  const yRange = lossLimits(all, sweep.floor || 0);
  const xRange = numeric
    ? (numeric.log ? [Math.min(...positions) / 1.4, Math.max(...positions) * 1.4]
                   : padded(Math.min(...positions), Math.max(...positions)))
    : [-0.5, positions.length - 0.5];

  function drawExtras(u) {
    const ratio = pixelRatio();
    clip(u, (context) => {
      lines.forEach((line, index) => {
        if (hidden.has(index)) return;
        context.fillStyle = css(holder.theme.net(line.colour).line, 0.18);
        let run = [];
        const flush = () => {
          if (run.length) {
            context.beginPath();
            run.forEach(([x, top]) => context.lineTo(x, top));
            for (let i = run.length - 1; i >= 0; i--) context.lineTo(run[i][0], run[i][2]);
            context.closePath();
            if (run.length === 1) context.rect(run[0][0] - 3 * ratio, run[0][1], 6 * ratio, run[0][2] - run[0][1]);
            context.fill();
          }
          run = [];
        };
        positions.forEach((position, i) => {
          if (line.low[i] == null) { flush(); return; }
          run.push([u.valToPos(position, "x", true), u.valToPos(line.high[i], "y", true), u.valToPos(line.low[i], "y", true)]);
        });
        flush();
      });
      if (sweep.floor > 0) {
        const y = u.valToPos(sweep.floor, "y", true);
        context.strokeStyle = css(holder.theme.floor);
        context.lineWidth = 1.5 * ratio;
        context.setLineDash([6 * ratio, 4 * ratio]);
        context.beginPath(); context.moveTo(u.bbox.left, y); context.lineTo(u.bbox.left + u.bbox.width, y); context.stroke();
        context.setLineDash([]);
      }
      if (state.reading) {
        const { line, column } = state.reading;
        const value = lines[line].median[column];
        if (value != null) {
          context.beginPath();
          context.arc(u.valToPos(positions[column], "x", true), u.valToPos(value, "y", true), 6 * ratio, 0, 2 * Math.PI);
          context.lineWidth = 2 * ratio;
          context.strokeStyle = css(holder.theme.ink);
          context.stroke();
        }
      }
    });
  }

  function describe(line, column) {
    const cell = lines[line].cells[column];
    return xKey.name + " " + xKey.texts[column] + (lineKey ? ", " + lines[line].text : "") + ": median final error " +
      formatError(cell.median) + " (seeds " + formatError(cell.low) + " to " + formatError(cell.high) + ")" +
      (cell.diverged ? "; " + cell.diverged + " of " + cell.seeds.length + " seeds diverged" : "");
  }

  function read(reading, announce) {
    state.reading = reading;
    readout.textContent = reading ? describe(reading.line, reading.column) : "";
    readout.setAttribute("aria-live", announce ? "polite" : "off");
    chart.redraw(false);
  }

  const first = size(context.width);
  const chart = new uPlot({
    width: first.width, height: first.height,
    legend: { show: false },
    cursor: { show: true, x: true, y: false, points: { show: false },
              drag: { x: false, y: false, setScale: false }, focus: { prox: -1 } },
    select: { show: false },
    scales: { x: numeric && numeric.log ? { time: false, distr: 3, log: 10, range: xRange }
                                        : { time: false, range: xRange },
              y: { distr: 3, log: 10, range: yRange } },
    axes: [axis(holder, xKey.name, {
             size: 40,
             splits: () => positions.slice(),
             filter: (u, splits) => splits,
             values: (u, splits) => splits.map((value) => xKey.texts[positions.indexOf(value)] || formatTick(value)),
           }),
           logAxis(holder, "final training error", { size: 50 })],
    series: [{}].concat(lines.map((line) => ({
      label: line.text, stroke: () => css(holder.theme.net(line.colour).line), width: 2.4,
      points: { show: true, size: 7, fill: () => css(holder.theme.net(line.colour).line) }, spanGaps: false,
    }))),
    hooks: {
      drawClear: [drawExtras],
      setCursor: [(u) => {
        const column = u.cursor.idx;
        if (column == null || u.cursor.left < 0) { if (!state.keyboard && state.reading) read(null); return; }
        state.keyboard = false;
        let best = null, distance = Infinity;
        lines.forEach((line, index) => {
          if (hidden.has(index) || line.median[column] == null) return;
          const gap = Math.abs(u.valToPos(line.median[column], "y") - u.cursor.top);
          if (gap < distance) { distance = gap; best = index; }
        });
        read(best == null ? null : { line: best, column }, false);
      }],
    },
  }, [positions].concat(lines.map((line) => line.median)));
  chart.root.setAttribute("aria-hidden", "true");
  const focus = element("div", "tn-chart-focus tn-sweep-plot-chart");
  focus.tabIndex = 0;
  focus.setAttribute("role", "group");
  focus.setAttribute("aria-label", "Final training error by " + xKey.name + (lineKey ? ", one line per " + lineKey.name : "") +
                     ": arrow keys read a cell");
  focus.append(chart.root);
  focus.addEventListener("keydown", (event) => {
    const shown = lines.map((line, index) => index).filter((index) => !hidden.has(index));
    if (!shown.length) return;
    let { line, column } = state.reading || { line: shown[0], column: positions.length - 1 };
    const step = (direction) => shown[(shown.indexOf(line) + direction + shown.length) % shown.length];
    if (state.reading) {
      if (event.key === "ArrowRight") column = Math.min(column + 1, positions.length - 1);
      else if (event.key === "ArrowLeft") column = Math.max(column - 1, 0);
      else if (event.key === "ArrowUp") line = step(1);
      else if (event.key === "ArrowDown") line = step(-1);
      else if (event.key === "Home") column = 0;
      else if (event.key === "End") column = positions.length - 1;
      else return;
    } else if (!["ArrowRight", "ArrowLeft", "ArrowUp", "ArrowDown", "Home", "End"].includes(event.key)) return;
    event.preventDefault();
    state.keyboard = true;
    read({ line, column }, true);
  });
  focus.addEventListener("focus", () => {
    const shown = lines.findIndex((line, index) => !hidden.has(index));
    if (shown >= 0) { state.keyboard = true; read({ line: shown, column: positions.length - 1 }, true); }
  });
  focus.addEventListener("blur", () => { state.keyboard = false; read(null); });
  root.append(title, legend, key, focus, readout);

  function apply() {
    buttons.forEach(({ button }, index) => button.setAttribute("aria-pressed", hidden.has(index) ? "false" : "true"));
    lines.forEach((line, index) => chart.setSeries(index + 1, { show: !hidden.has(index) }));
    if (state.reading && hidden.has(state.reading.line)) read(null);
    chart.redraw(false);
  }

  function paint() {
    buttons.forEach(({ swatch }, index) => { swatch.style.background = css(holder.theme.net(lines[index].colour).line); });
    key.replaceChildren(lineEntry("median of the seeds (line and dots)", css(holder.theme.ink), null, 2.4),
                        lineEntry("band: every seed's final error", css(holder.theme.ink, 0.25), null, 8),
                        ...(sweep.floor > 0 ? [lineEntry("noise floor", css(holder.theme.floor), "4 3", 1.5)] : []));
  }

  const stopWatching = watchWidth(root, (width) => {
    const next = size(width);
    chart.setSize({ width: next.width, height: next.height });
  });

  function restore(saved) {
    if (saved.hidden != null) {
      hidden.clear();
      for (const part of String(saved.hidden).split("+")) {
        const index = Number(part) - 1;
        if (part !== "" && index >= 0 && index < lines.length) hidden.add(index);
      }
      apply();
    }
  }

  paint();
  if (context.state) restore(context.state);

  return {
    node: root,
    drawn() {
      return {
        kind: "sweep_plot", positions, log: { x: !!(numeric && numeric.log), y: true }, hidden: Array.from(hidden),
        lines: lines.map((line, index) => ({
          text: line.text, shown: chart.series[index + 1].show, median: chart.data[index + 1].slice(),
          low: line.low.slice(), high: line.high.slice(), cells: line.cells.map((cell) => cell.position),
        })),
        xTicks: xKey.texts.slice(), floor: sweep.floor, yRange: [chart.scales.y.min, chart.scales.y.max],
        xRange: [chart.scales.x.min, chart.scales.x.max], readout: readout.textContent,
        reading: state.reading && { ...state.reading },
        theme: holder.theme.report(Object.fromEntries(lines.map((line) => [line.text, line.colour]))),
        fontSizes: fontSizes(chart), canvases: [canvasReport(chart)],
      };
    },
    state() { return { hidden: Array.from(hidden) }; },
    restore,
    retheme(next) { theme = next; holder.theme = next; chart.redraw(false); paint(); },
    visible() {},
    motionChanged() {},
    destroy() { stopWatching(); chart.destroy(); },
  };
}

function padded(low, high) {
  const margin = (high - low) * 0.08 || 1;
  return [low - margin, high + margin];
}
