/* The network diagram (SVG): a column per layer (input, hidden layers, output), each unit a box
   plotting its output over the input range, edges from every unit to every unit of the next
   layer coloured by the sign of their weight and as wide as its size. Units are focusable
   (one tab stop; the arrow keys move between units) and report pointing and focus.

   networkDiagram({ columns: [1, ...hidden, 1], width, onSelect(column, unit), label(column, unit) })
   → { node, layout(width), show({ outputs, scales, weights, strongest, colors }), select(column,
   unit), selected(), drawn(), focusUnit(column, unit) } */

import { css } from "./theme.js";

const SVG = "http://www.w3.org/2000/svg";
const PAD = 3;   // px between a box's edge and its curve

function svg(tag, attributes, parent) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes || {})) node.setAttribute(name, String(value));
  if (parent) parent.appendChild(node);
  return node;
}

/* where everything sits for a width: box sizes grow with room, rows shrink with many units */
export function diagramGeometry(columns, width) {
  const most = Math.max(...columns);
  const spacing = width / columns.length;
  const boxHeight = Math.max(16, Math.min(40, 520 / most - 6));
  const boxWidth = Math.max(36, Math.min(92, spacing * 0.62, boxHeight * 2.4));
  const pitch = boxHeight + (most > 16 ? 5 : 8);
  const top = 26, bottom = 26;   // room for the layer names above and "input x"/"output" below
  const height = Math.round(top + most * pitch - (pitch - boxHeight) + bottom);
  const boxes = columns.map((count, column) => {
    const centre = spacing * (column + 0.5);
    const span = count * pitch - (pitch - boxHeight);
    const start = top + (most * pitch - (pitch - boxHeight) - span) / 2;
    return Array.from({ length: count }, (_, unit) => ({
      x: centre - boxWidth / 2, y: start + unit * pitch, width: boxWidth, height: boxHeight }));
  });
  return { width, height, boxes, boxWidth, boxHeight };
}

/* the points of a line to keep so that none dropped lies further than ``tolerance`` from the
   line drawn (Douglas–Peucker): a ReLU unit's output is a few straight pieces */
export function simplified(points, tolerance) {
  const keep = new Uint8Array(points.length);
  if (!points.length) return [];
  keep[0] = keep[points.length - 1] = 1;
  const stack = [[0, points.length - 1]];
  while (stack.length) {
    const [first, last] = stack.pop();
    const [ax, ay] = points[first], [bx, by] = points[last];
    const length = Math.hypot(bx - ax, by - ay);
    let farthest = -1, distance = tolerance;
    for (let i = first + 1; i < last; i++) {
      const [x, y] = points[i];
      const off = length ? Math.abs((bx - ax) * (ay - y) - (ax - x) * (by - ay)) / length
                         : Math.hypot(x - ax, y - ay);
      if (off > distance) { distance = off; farthest = i; }
    }
    if (farthest >= 0) {
      keep[farthest] = 1;
      stack.push([first, farthest], [farthest, last]);
    }
  }
  return points.filter((point, i) => keep[i]);
}

/* a unit's values as an SVG path in its box (points within a third of a pixel of the line
   drawn are left out), broken where a value is not finite */
function curvePath(box, values, [low, high]) {
  const span = high > low ? high - low : 1;
  let run = [], d = "";
  const flush = () => {
    simplified(run, 0.33).forEach(([x, y], i) => { d += (i ? "L" : "M") + x.toFixed(1) + " " + y.toFixed(1); });
    run = [];
  };
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (!isFinite(value)) { flush(); continue; }
    const share = high > low ? (value - low) / span : 0.5;
    run.push([box.x + PAD + (i / (values.length - 1)) * (box.width - 2 * PAD),
              box.y + box.height - PAD - Math.max(0, Math.min(1, share)) * (box.height - 2 * PAD)]);
  }
  flush();
  return d;
}

export function networkDiagram({ columns, width, onSelect, names }) {
  const root = svg("svg", { class: "tn-network", role: "group" });
  const edgeLayer = svg("g", { class: "tn-edges" }, root);
  const unitLayer = svg("g", { class: "tn-units" }, root);
  const labelLayer = svg("g", { class: "tn-network-labels", "aria-hidden": "true" }, root);
  const edges = [];   // { from: [column, unit], to: [column, unit], line }
  for (let column = 0; column < columns.length - 1; column++) {
    for (let target = 0; target < columns[column + 1]; target++) {
      for (let source = 0; source < columns[column]; source++) {
        edges.push({ from: [column, source], to: [column + 1, target],
                     line: svg("line", { "stroke-linecap": "round" }, edgeLayer) });
      }
    }
  }
  const units = columns.map((count, column) => Array.from({ length: count }, (_, unit) => {
    const group = svg("g", { class: "tn-unit", tabindex: "-1", role: "button",
                             "aria-label": names(column, unit) + ": show its output large" }, unitLayer);
    const box = svg("rect", { class: "tn-unit-box", rx: 3 }, group);
    const curve = svg("path", { class: "tn-unit-curve", fill: "none", "stroke-linejoin": "round" }, group);
    group.addEventListener("pointerenter", () => choose(column, unit, false));
    group.addEventListener("focus", () => choose(column, unit, false));
    group.addEventListener("click", () => choose(column, unit, false));
    group.addEventListener("keydown", (event) => {
      const moves = { ArrowUp: [0, -1], ArrowDown: [0, 1], ArrowLeft: [-1, 0], ArrowRight: [1, 0],
                      Home: [0, -Infinity], End: [0, Infinity] };
      if (!(event.key in moves)) return;
      event.preventDefault();
      const [dc, du] = moves[event.key];
      const nextColumn = Math.max(0, Math.min(columns.length - 1, column + dc));
      const count = columns[nextColumn];
      const nextUnit = dc ? Math.min(count - 1, Math.round(unit * count / columns[column]))
                          : Math.max(0, Math.min(count - 1, unit + du));
      choose(nextColumn, nextUnit, true);
    });
    return { group, box, curve };
  }));
  const layerNames = columns.map((count, column) => svg("text", { "text-anchor": "middle" }, labelLayer));
  layerNames.forEach((text, column) => {
    text.textContent = column === 0 ? "input x" : column === columns.length - 1 ? "output"
      : "layer " + column + " (" + columns[column] + ")";
  });

  let geometry = null, picked = [columns.length - 1, 0], last = null, theme = null;

  function choose(column, unit, moveFocus) {
    const [oldColumn, oldUnit] = picked;
    units[oldColumn][oldUnit].group.setAttribute("tabindex", "-1");
    picked = [column, unit];
    units[column][unit].group.setAttribute("tabindex", "0");
    if (moveFocus) units[column][unit].group.focus();
    paintSelection();
    onSelect(column, unit);
  }

  function layout(nextWidth) {
    geometry = diagramGeometry(columns, nextWidth);
    root.setAttribute("viewBox", "0 0 " + geometry.width + " " + geometry.height);
    root.setAttribute("width", String(geometry.width));
    root.setAttribute("height", String(geometry.height));
    columns.forEach((count, column) => {
      geometry.boxes[column].forEach((box, unit) => {
        const rect = units[column][unit].box;
        rect.setAttribute("x", box.x); rect.setAttribute("y", box.y);
        rect.setAttribute("width", box.width); rect.setAttribute("height", box.height);
      });
      const first = geometry.boxes[column][0];
      const lastBox = geometry.boxes[column][count - 1];
      const text = layerNames[column];
      const below = column === 0 || column === columns.length - 1;
      text.setAttribute("x", first.x + first.width / 2);
      text.setAttribute("y", below ? lastBox.y + lastBox.height + 17 : first.y - 9);
    });
    for (const edge of edges) {
      const a = geometry.boxes[edge.from[0]][edge.from[1]], b = geometry.boxes[edge.to[0]][edge.to[1]];
      edge.line.setAttribute("x1", a.x + a.width); edge.line.setAttribute("y1", a.y + a.height / 2);
      edge.line.setAttribute("x2", b.x); edge.line.setAttribute("y2", b.y + b.height / 2);
    }
    if (last) show(last);
  }

  /* outputs[column][unit]: values on the grid (column 0: x itself); scales[column][unit]: [low,
     high] the box spans; weights[i]: each edge's weight in ``edges`` order */
  function show(state) {
    last = state;
    const { outputs, scales, weights, strongest } = state;
    columns.forEach((count, column) => {
      for (let unit = 0; unit < count; unit++) {
        const d = curvePath(geometry.boxes[column][unit], outputs[column][unit], scales[column][unit]);
        const curve = units[column][unit].curve;
        if (curve.getAttribute("d") !== d) curve.setAttribute("d", d);
      }
    });
    edges.forEach((edge, index) => {
      const weight = weights[index];
      edge.weight = weight;
      edge.width = isFinite(weight) ? 0.75 + 3.25 * Math.min(1, Math.abs(weight) / strongest) : 0;
      const sign = weight >= 0 ? "positive" : "negative";
      const width = edge.width.toFixed(1);   // (a tenth of a pixel: no change worth a repaint)
      if (width !== edge.drawnWidth) { edge.line.setAttribute("stroke-width", width); edge.drawnWidth = width; }
      if (sign !== edge.sign) { edge.sign = sign; edge.painted = false; }
    });
    // colours only where a sign changed, or everything when the theme did
    if (state.theme !== theme) paint(state.theme); else paintEdges();
  }

  function paintEdges() {
    const [positive, negative] = [css(last.colors.positive), css(last.colors.negative)];
    for (const edge of edges) {
      if (edge.painted) continue;
      edge.line.setAttribute("stroke", edge.sign === "positive" ? positive : negative);
      edge.painted = true;
    }
  }

  function paint(next) {
    theme = next || theme;
    if (!theme || !last) return;
    for (const edge of edges) edge.painted = false;
    paintEdges();
    columns.forEach((count, column) => {
      for (let unit = 0; unit < count; unit++) {
        const { box, curve } = units[column][unit];
        box.setAttribute("fill", css(theme.background));
        curve.setAttribute("stroke", column === 0 ? css(theme.ink) : css(last.colors.curve));
        curve.setAttribute("stroke-width", "1.6");
      }
    });
    for (const text of layerNames) {
      text.setAttribute("fill", css(theme.muted));
      text.setAttribute("font-size", String(theme.font.ticks));
      text.setAttribute("font-family", theme.font.family);
    }
    paintSelection();
  }

  function paintSelection() {
    if (!theme) return;
    const [column, unit] = picked;
    columns.forEach((count, c) => {
      for (let u = 0; u < count; u++) {
        const chosen = c === column && u === unit;
        units[c][u].box.setAttribute("stroke", css(chosen ? theme.ink : theme.axis));
        units[c][u].box.setAttribute("stroke-width", chosen ? "2.5" : "1");
      }
    });
  }

  units[picked[0]][picked[1]].group.setAttribute("tabindex", "0");
  layout(width);
  return {
    node: root, edges, layout, show, paint, geometry: () => geometry,
    select(column, unit) { choose(column, unit, false); },
    selected: () => picked.slice(),
    boxOf: (column, unit) => geometry.boxes[column][unit],
    unitNode: (column, unit) => units[column][unit].group,
  };
}
