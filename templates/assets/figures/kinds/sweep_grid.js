/* sweep_grid(sweep): every cell's median seed learning, as small multiples (rows the first varied
   key's values, columns the second's) on one timeline with one player. Each cell is coloured by
   its state AT THE SHOWN EPOCH, from that seed's training error then: near the floor, in
   between, stuck (above the stuck limit), or diverged; a key says what the colours mean and a
   line counts the cells in each state. The pointer over a cell reads it.
   URL state: epoch. */

import { stylesheet } from "../core.js";
import { formatEpoch, formatError, valueLimits } from "../numbers.js";
import { element, readoutLine } from "../controls.js";
import { timelinePlayer } from "../group.js";
import { atLeast, css, mix } from "../theme.js";
import { watchWidth } from "../layout.js";
import { pixelRatio } from "../plot.js";
import { lineEntry } from "../plane_key.js";
import { cellName, stateOf, sweepOf } from "../sweep_data.js";

/* the states' colours (Okabe–Ito: told apart with the common colour-vision deficiencies, and by
   their lightness: blue dark, amber light, vermilion between), and their words */
export const STATES = {
  "near floor": { hex: "#0072B2", text: "near the floor" },
  "in between": { hex: "#E69F00", text: "in between" },
  "stuck": { hex: "#D55E00", text: "stuck" },
  "diverged": { hex: "#666666", text: "diverged" },
  "untrained": { hex: "#888888", text: "untrained (epoch 0)" },
};

function hexColour(hex) {
  const number = parseInt(hex.slice(1), 16);
  return { r: number >> 16, g: (number >> 8) & 255, b: number & 255, a: 1 };
}

export default async function create(context) {
  const sweep = sweepOf(context.nets);
  if (!sweep.cells.every((cell) => cell.predictionNet)) throw new Error("sweep_grid needs every cell's predictions");
  await Promise.all([stylesheet("./plane.css"), stylesheet("./sweep.css")]);
  let theme = context.theme;
  const rowsKey = sweep.keys.length === 2 ? sweep.keys[0] : null;
  const columnsKey = sweep.keys[sweep.keys.length - 1];
  const timeline = sweep.timeline;
  let tileWidth = 100, tileHeight = 70;
  let palette = colours();
  const net0 = sweep.cells[0].net;
  const yRange = valueLimits([net0]);
  const grid = Array.from(net0.grid);

  const root = element("div", "tn-live tn-live-sweep-grid");
  const title = element("p", "tn-live-title");
  const status = element("span", "tn-status");
  title.append(element("strong", null, sweep.label), " ", status);
  const key = element("p", "tn-key");
  const limits = element("p", "tn-sweep-grid-keys");
  limits.textContent = "Each cell: its median seed's prediction, coloured by that seed's training error at the " +
    "epoch shown" + (sweep.nearFloorLimit != null
      ? ": near the floor ≤ " + formatError(sweep.nearFloorLimit) + " < in between ≤ " + formatError(sweep.stuckLimit) +
        " < stuck." : ".") + (rowsKey ? " Rows: " + rowsKey.name + "; columns: " + columnsKey.name + "." : "");
  const table = element("div", "tn-sweep-grid");
  const columns = columnsKey.texts.length;
  table.style.gridTemplateColumns = (rowsKey ? "auto " : "") + "repeat(" + columns + ", minmax(0, 1fr))";
  if (rowsKey) table.append(element("span"));
  for (const text of columnsKey.texts) table.append(element("span", "tn-sweep-grid-header", text));
  const readout = readoutLine("");
  const tiles = [];
  (rowsKey ? rowsKey.texts : [""]).forEach((rowText, row) => {
    if (rowsKey) table.append(element("span", "tn-sweep-grid-row", rowText));
    columnsKey.texts.forEach((columnText, column) => {
      const cell = sweep.cellAt(rowsKey ? [row, column] : [column]);
      const canvas = element("canvas", "tn-sweep-grid-cell");
      canvas.setAttribute("role", "img");
      canvas.addEventListener("pointermove", () => { readout.textContent = describe(tile); });
      canvas.addEventListener("pointerleave", () => { readout.textContent = ""; });
      const tile = { cell, canvas, state: null, error: NaN, frame: 0, own: 0 };
      table.append(canvas);
      tiles.push(tile);
    });
  });
  const summary = element("p", "tn-sweep-summary");
  const controls = element("div", "tn-controls");
  const timed = timelinePlayer(context, { timeline, what: "every cell of this sweep", draw, save });
  controls.append(timed.play.node);
  root.append(title, key, limits, table, summary, readout, controls);

  function describe(tile) {
    return cellName(sweep, tile.cell) + ", median seed " + tile.cell.shownSeed + " at epoch " + formatEpoch(tile.own) +
      ": " + (tile.own >= 1 ? "training error " + formatError(tile.error) + " (" + STATES[tile.state].text + ")" : "untrained");
  }

  function colours() {
    const result = {};
    for (const [name, entry] of Object.entries(STATES)) {
      const line = atLeast(hexColour(entry.hex), theme.background, 3);
      result[name] = { line, tint: mix(theme.background, line, 0.12) };
    }
    return result;
  }

  function measure() {
    const first = tiles[0].canvas.getBoundingClientRect();
    tileWidth = Math.max(40, Math.floor(first.width || 100));
    tileHeight = Math.max(32, Math.round(tileWidth * 0.68));
  }

  function paintTile(tile) {
    const ratio = pixelRatio();
    const { canvas, cell } = tile;
    const width = Math.round(tileWidth * ratio), height = Math.round(tileHeight * ratio);
    if (canvas.width !== width) canvas.width = width;
    if (canvas.height !== height) canvas.height = height;
    canvas.style.height = tileHeight + "px";
    const context = canvas.getContext("2d");
    const colour = palette[tile.state];
    context.fillStyle = css(colour.tint);
    context.fillRect(0, 0, width, height);
    const x = (value) => ((value - grid[0]) / (grid[grid.length - 1] - grid[0])) * width;
    const y = (value) => (1 - (value - yRange[0]) / (yRange[1] - yRange[0])) * height;
    const stroke = (values, style, lineWidth) => {
      context.beginPath();
      let open = false;
      for (let i = 0; i < grid.length; i++) {
        const value = values[i];
        if (!isFinite(value)) { open = false; continue; }
        const yy = Math.max(-height, Math.min(2 * height, y(value)));
        if (open) context.lineTo(x(grid[i]), yy); else context.moveTo(x(grid[i]), yy);
        open = true;
      }
      context.strokeStyle = style;
      context.lineWidth = lineWidth * ratio;
      context.stroke();
    };
    if (cell.net.truth) stroke(cell.net.truth, css(theme.truth), 1.5);
    context.fillStyle = css(theme.points);
    for (let i = 0; i < cell.net.pointsX.length; i++) {
      context.beginPath();
      context.arc(x(cell.net.pointsX[i]), y(cell.net.pointsY[i]), 1.1 * ratio, 0, 2 * Math.PI);
      context.fill();
    }
    stroke(cell.prediction(tile.frame), css(colour.line), 2);
    context.strokeStyle = css(colour.line);
    context.lineWidth = 3 * ratio;
    context.strokeRect(1.5 * ratio, 1.5 * ratio, width - 3 * ratio, height - 3 * ratio);
  }

  function draw() {
    const epoch = timed.epoch;
    const counts = {};
    for (const tile of tiles) {
      tile.frame = tile.cell.frameAt(epoch);
      const { epoch: own, error } = tile.cell.errorAt(epoch);
      tile.own = own;
      tile.error = error;
      tile.state = stateOf(sweep, error, own);
      counts[tile.state] = (counts[tile.state] || 0) + 1;
      tile.canvas.setAttribute("aria-label", describe(tile));
      paintTile(tile);
    }
    status.textContent = "· epoch " + formatEpoch(epoch) + " of " + formatEpoch(timeline[timeline.length - 1]);
    summary.textContent = "At epoch " + formatEpoch(epoch) + ": " + Object.keys(STATES).filter((name) => counts[name])
      .map((name) => counts[name] + " " + STATES[name].text).join(", ") + ".";
    context.element.dataset.tnEpoch = String(epoch);
  }

  function paintKey() {
    key.replaceChildren(...Object.keys(STATES).filter((name) => name !== "untrained")
      .map((name) => lineEntry(STATES[name].text, css(palette[name].line), null, 3)),
      lineEntry("true function", css(theme.truth), null, 3));
  }

  function save() { context.save({ epoch: String(timed.epoch) }); }

  const stopWatching = watchWidth(root, () => { measure(); draw(); });

  paintKey();
  draw();
  if (context.state) timed.restoreEpoch(context.state);

  return {
    node: root,
    drawn() {
      return {
        kind: "sweep_grid", epoch: timed.epoch, index: timed.index, timeline, playing: timed.play.playing,
        cells: tiles.map((tile) => ({
          position: tile.cell.position, label: tile.cell.label, frame: tile.frame, epoch: tile.own,
          error: tile.error, state: tile.state, colour: css(palette[tile.state].line),
          prediction: Array.from(tile.cell.prediction(tile.frame), (value) => (isFinite(value) ? value : null)),
          label_text: tile.canvas.getAttribute("aria-label"),
          canvas: { width: tile.canvas.width, height: tile.canvas.height,
                    cssWidth: tile.canvas.getBoundingClientRect().width },
        })),
        summary: summary.textContent, readout: readout.textContent, limits: limits.textContent,
        yRange, grid,
        theme: { ...theme.report({}), states: Object.fromEntries(Object.entries(palette).map(
          ([name, entry]) => [name, { color: css(entry.line) }])) },
      };
    },
    state() { return { epoch: timed.epoch }; },
    restore: timed.restoreEpoch,
    retheme(next) { theme = next; palette = colours(); paintKey(); draw(); },
    visible: timed.visible,
    motionChanged: timed.motionChanged,
    destroy() { timed.play.destroy(); stopWatching(); },
  };
}
