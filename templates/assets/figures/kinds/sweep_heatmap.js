/* sweep_heatmap(sweep): the median final training error of every cell (rows the first varied
   key's values, columns the second's), coloured on a log scale whose legend marks the noise
   floor; ▲ marks cells with stuck or diverged seeds (the legend says so). Selecting a cell
   (click, or the arrow keys in the table) shows that cell below: its median seed's prediction
   learning over the data, and its training error per epoch as the band every seed spans with
   their median; one player, over the epochs every cell recorded.
   URL state: cell (its place in the sweep's order, from 1), epoch. */

import { stylesheet } from "../core.js";
import { loadUPlot } from "../plot.js";
import { formatEpoch, formatError, logSplits, valueLimits } from "../numbers.js";
import { playback } from "../playback.js";
import { element, player, readoutLine } from "../controls.js";
import { lastAtOrBefore } from "../data.js";
import { contrast, css } from "../theme.js";
import { panelSizes, watchWidth } from "../layout.js";
import { predictionPanel } from "../prediction_panel.js";
import { sequential } from "../colormap.js";
import { colourBar } from "../colour_bar.js";
import { bandPanel } from "../band_panel.js";
import { lineEntry } from "../plane_key.js";
import { cellName, sweepOf } from "../sweep_data.js";

const COLOUR = "#0072B2";   // the selected cell's lines (the net colour of a sweep's figures)
const WHITE = { r: 255, g: 255, b: 255, a: 1 }, BLACK = { r: 0, g: 0, b: 0, a: 1 };

/* the log colour scale's ends: the finite medians and the floor, at least a decade */
export function heatmapRange(sweep) {
  const finite = sweep.cells.map((cell) => cell.median).filter((value) => isFinite(value) && value > 0);
  let low = finite.length ? Math.min(...finite) : 1e-3, high = finite.length ? Math.max(...finite) : 1;
  if (sweep.floor > 0) low = Math.min(low, sweep.floor);
  if (high / low < 10) high = low * 10;
  return [low, high];
}

export function marksText(cell) {
  const parts = [];
  if (cell.diverged) parts.push(cell.diverged + " diverged");
  if (cell.stuck - cell.diverged > 0) parts.push(cell.stuck - cell.diverged + " stuck");
  return parts.join(", ");
}

export default async function create(context) {
  const sweep = sweepOf(context.nets);
  const [uPlot] = await Promise.all([loadUPlot(), stylesheet("./plane.css"), stylesheet("./sweep.css")]);
  let theme = context.theme;
  const [low, high] = heatmapRange(sweep);
  let map = sequential(theme, Math.log10(low), Math.log10(high));
  let selected = sweep.best;
  let index = sweep.timeline.length - 1;
  const rowsKey = sweep.keys.length === 2 ? sweep.keys[0] : null;
  const columnsKey = sweep.keys[sweep.keys.length - 1];

  const root = element("div", "tn-live tn-live-sweep-heatmap");
  const title = element("p", "tn-live-title");
  title.append(element("strong", null, sweep.label), " ",
               element("span", "tn-status", "· median final training error of " + sweep.cells[0].seeds.length + " seeds per cell"));

  // the table: a button per cell, arrow keys move the selection
  const table = element("table", "tn-heatmap");
  const caption = element("caption", "tn-visually-hidden",
    "Median final training error per cell; press a cell to show it learning below.");
  const head = element("thead"), body = element("tbody");
  const keyRow = element("tr");
  keyRow.append(element("th", "tn-heatmap-corner", rowsKey ? rowsKey.name : ""));
  const keyHeader = element("th", "tn-heatmap-key", columnsKey.name);
  keyHeader.colSpan = columnsKey.texts.length;
  keyHeader.scope = "colgroup";
  keyRow.append(keyHeader);
  const valueRow = element("tr");
  valueRow.append(element("th"));
  for (const text of columnsKey.texts) {
    const header = element("th", "tn-heatmap-column", text);
    header.scope = "col";
    valueRow.append(header);
  }
  head.append(keyRow, valueRow);
  table.append(caption, head, body);
  const rowTexts = rowsKey ? rowsKey.texts : [""];
  const buttons = [];
  rowTexts.forEach((rowText, row) => {
    const tr = element("tr");
    const header = element("th", "tn-heatmap-row", rowText);
    header.scope = "row";
    tr.append(header);
    columnsKey.texts.forEach((columnText, column) => {
      const cell = sweep.cellAt(rowsKey ? [row, column] : [column]);
      const td = element("td");
      const button = element("button", "tn-heatmap-cell");
      button.type = "button";
      const value = element("span", "tn-heatmap-value", isFinite(cell.median) ? formatError(cell.median) : "diverged");
      button.append(value);
      const marks = marksText(cell);
      if (marks) button.append(element("span", "tn-heatmap-mark", "▲" + (cell.stuck || cell.diverged)));
      button.setAttribute("aria-label", cellName(sweep, cell) + ": median final training error " +
        formatError(cell.median) + (marks ? "; of " + cell.seeds.length + " seeds " + marks : ""));
      button.addEventListener("click", () => { select(cell); save(); });
      button.addEventListener("keydown", (event) => move(event, row, column));
      td.append(button);
      tr.append(td);
      buttons.push({ cell, button, row, column });
    });
    body.append(tr);
  });
  const tableBox = element("div", "tn-heatmap-box");
  tableBox.append(table);

  const bar = colourBar({ theme, width: context.width });
  const note = element("p", "tn-key tn-heatmap-note",
    "▲n: n of the " + sweep.cells[0].seeds.length + " seeds stuck (final error above " +
    (sweep.stuckLimit != null ? formatError(sweep.stuckLimit) : "the stuck limit") + ") or diverged" +
    (sweep.floor > 0 ? "; the bar's dashed mark: the noise floor " + formatError(sweep.floor) : "") + ".");

  // the selected cell, below
  const detail = element("div", "tn-sweep-detail");
  const detailTitle = element("p", "tn-live-title");
  const detailStatus = element("span", "tn-status");
  const detailName = element("strong");
  detailTitle.append("Selected: ", detailName, " ", detailStatus);
  const sizes = () => panelSizes(lastWidth, 2);
  let lastWidth = context.width;
  const panels = element("div", "tn-panels");
  const left = element("div", "tn-panel"), right = element("div", "tn-panel");
  panels.append(left, right);
  const leftKey = element("p", "tn-key"), rightKey = element("p", "tn-key");
  const readout = readoutLine("");
  const yRange = valueLimits([sweep.cells[0].net]);
  let prediction = null;
  const band = bandPanel(uPlot, { cell: selected, theme, colour: COLOUR, width: sizes().width,
                                  height: sizes().height, floor: sweep.floor,
                                  onReadout: (text) => { readout.textContent = text; } });
  right.append(rightKey, band.node);
  left.append(leftKey);
  const play = player({
    timeline: sweep.timeline, what: "the selected cell",
    onShow(position) { index = position; draw(); },
    onReader() { save(); },
  });
  const playing = playback(context, play);
  const controls = element("div", "tn-controls");
  controls.append(play.node);
  detail.append(detailTitle, panels, readout, controls);
  root.append(title, tableBox, bar.node, note, detail);

  function move(event, row, column) {
    const rows = rowTexts.length, columns = columnsKey.texts.length;
    const targets = { ArrowLeft: [row, column - 1], ArrowRight: [row, column + 1], ArrowUp: [row - 1, column],
                      ArrowDown: [row + 1, column], Home: [row, 0], End: [row, columns - 1] };
    if (!(event.key in targets)) return;
    event.preventDefault();
    const [r, c] = targets[event.key];
    if (r < 0 || r >= rows || c < 0 || c >= columns) return;
    const target = buttons.find((entry) => entry.row === r && entry.column === c);
    select(target.cell);
    target.button.focus();
    save();
  }

  function select(cell) {
    selected = cell;
    for (const entry of buttons) {
      const on = entry.cell === cell;
      entry.button.setAttribute("aria-pressed", on ? "true" : "false");
      entry.button.tabIndex = on ? 0 : -1;   // one tab stop: the arrows move within the table
    }
    if (prediction) { prediction.destroy(); prediction.node.remove(); }
    prediction = cell.predictionNet
      ? predictionPanel(uPlot, { net: cell.predictionNet, theme, width: sizes().width, height: sizes().height, yRange })
      : null;
    if (prediction) left.append(prediction.node);
    band.setCell(cell);
    detailName.textContent = cellName(sweep, cell);
    paintKeys();
    draw();
  }

  function draw() {
    const epoch = sweep.timeline[index];
    const frame = selected.frameAt(epoch);
    const own = selected.frameEpochs[frame];
    if (prediction) prediction.show(frame, 0);
    band.setEpoch(own);
    const { error } = selected.errorAt(epoch);
    const marks = marksText(selected);
    const summary = "median final error " + formatError(selected.median) + "; seeds " +
      formatError(selected.low) + " to " + formatError(selected.high) + (marks ? "; " + marks : "");
    detailStatus.textContent = "· " + summary + " · median seed " + selected.shownSeed +
      " at epoch " + formatEpoch(own) + ": " + (own >= 1 ? "training error " + formatError(error) : "untrained") +
      (own !== epoch ? " (shows epoch " + formatEpoch(own) + ")" : "");
    context.element.dataset.tnEpoch = String(epoch);
  }

  function paintCells() {
    for (const { cell, button } of buttons) {
      const fill = isFinite(cell.median) && cell.median > 0 ? map.at(Math.log10(cell.median)) : null;
      const colour = fill ? { r: fill[0], g: fill[1], b: fill[2], a: 1 } : map.missing;
      button.style.background = css(colour);
      button.style.color = css(contrast(BLACK, colour) >= contrast(WHITE, colour) ? BLACK : WHITE);
    }
  }

  function paintKeys() {
    const line = css(theme.net(COLOUR).line);
    leftKey.replaceChildren(lineEntry("median seed (" + selected.shownSeed + ")", line, null, 2.5),
                            lineEntry("true function", css(theme.truth), null, 4));
    rightKey.replaceChildren(lineEntry("band: every seed", css(theme.net(COLOUR).line, 0.35), null, 8),
                             lineEntry("median of the seeds", css(theme.median), null, 2.5),
                             lineEntry("median seed", line, "5 3", 1.8),
                             ...(sweep.floor > 0 ? [lineEntry("noise floor", css(theme.floor), "4 3", 1.5)] : []));
  }

  function legend() {
    const [from, to] = [Math.log10(low), Math.log10(high)];
    bar.set({ map, title: "median final training error (log scale)", log: true,
              ticks: logSplits(Math.pow(10, from), Math.pow(10, to)),
              marks: sweep.floor > 0 ? [{ value: sweep.floor, label: "noise floor", dashed: true }] : [] });
  }

  function save() {
    context.save({ cell: String(selected.position + 1), epoch: String(sweep.timeline[index]) });
  }

  function relayout(width) {
    lastWidth = width;
    const next = sizes();
    panels.classList.toggle("tn-stacked", next.stacked);
    if (prediction) prediction.resize(next.width, next.height);
    band.resize(next.width, next.height);
    bar.resize(Math.min(width, 420));
  }
  panels.classList.toggle("tn-stacked", sizes().stacked);
  const stopWatching = watchWidth(root, relayout);

  function restore(state) {
    const position = Number(state.cell) - 1;
    if (state.cell != null && position >= 0 && position < sweep.cells.length) select(sweep.cells[position]);
    if (state.epoch != null && isFinite(Number(state.epoch))) {
      playing.restoreAt(lastAtOrBefore(sweep.timeline, Number(state.epoch)));
    }
  }

  paintCells();
  legend();
  select(selected);
  if (context.state) restore(context.state);


  return {
    node: root,
    drawn() {
      const epoch = sweep.timeline[index];
      const frame = selected.frameAt(epoch);
      const p = prediction ? prediction.drawn() : null;
      return {
        kind: "sweep_heatmap", epoch, playing: play.playing,
        cells: buttons.map(({ cell, button }) => ({
          position: cell.position, indices: cell.indices, label: cell.label, median: cell.median,
          low: cell.low, high: cell.high, stuck: cell.stuck, diverged: cell.diverged,
          text: button.textContent, background: button.style.background, color: button.style.color,
          ariaLabel: button.getAttribute("aria-label"), pressed: button.getAttribute("aria-pressed") === "true",
          textContrast: Math.round(contrast(parseRgb(button.style.color), parseRgb(button.style.background)) * 100) / 100,
        })),
        range: [low, high], legend: bar.drawn(),
        selected: { position: selected.position, label: selected.label, seed: selected.shownSeed, frame,
                    epoch: selected.frameEpochs[frame], prediction: p ? p.followed : null,
                    grid: p ? p.grid : null, band: band.drawn() },
        status: detailTitle.textContent, readout: readout.textContent,
        theme: theme.report({ selected: COLOUR }),
        fontSizes: (p ? p.fontSizes : []).concat(band.drawn().fontSizes, bar.drawn().fontSizes),
        canvases: (p ? [p.canvas] : []).concat([band.drawn().canvas]),
      };
    },
    state() { return { cell: selected.position + 1, epoch: sweep.timeline[index] }; },
    restore,
    retheme(next) {
      theme = next;
      map = sequential(theme, Math.log10(low), Math.log10(high));
      if (prediction) prediction.retheme(next);
      band.retheme(next);
      bar.retheme(next);
      paintCells();
      paintKeys();
      legend();
    },
    visible: playing.visible,
    motionChanged: playing.motionChanged,
    destroy() { play.destroy(); stopWatching(); band.destroy(); if (prediction) prediction.destroy(); },
  };
}

function parseRgb(text) {
  const parts = String(text).match(/[\d.]+/g) || ["0", "0", "0"];
  return { r: Number(parts[0]), g: Number(parts[1]), b: Number(parts[2]), a: 1 };
}
