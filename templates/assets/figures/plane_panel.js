/* The plane panel: a field over the plane drawn smooth (each device pixel takes the bilinear
   interpolation of the grid's four nearest values, then its colour from the map), the 0.5
   contour of a field as a line (marching squares on the grid, crossings interpolated along the
   cells' edges, the same bilinear reading), the training points filled and the test points
   hollow (class colours, a ring of the background around each), and axes with ticks and titles.
   Canvas only; the colour legend is colour_bar.js.

   planePanel({ plane, theme, width, onReadout }) → { node, canvas, draw({ values, map, contour,
   dashed, describe }), setPoints({ training, test }), resize(width), retheme(theme), drawn(),
   destroy() }. ``describe(value)`` words the pointer readout ("probability of class 1 0.83"). */

import { element } from "./controls.js";
import { formatTick } from "./numbers.js";
import { css } from "./theme.js";
import { pixelRatio } from "./plot.js";

const MARGIN = { left: 52, right: 10, top: 8, bottom: 42 };
const POINT_RADIUS = 3.4;   // CSS pixels

/* round ticks over [low, high], about ``count`` of them */
export function niceTicks(low, high, count) {
  const span = high - low;
  if (!(span > 0)) return [low];
  const raw = span / Math.max(1, count);
  const magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) || 10 * magnitude;
  const ticks = [];
  for (let value = Math.ceil(low / step - 1e-9) * step; value <= high + step * 1e-9; value += step) {
    ticks.push(Number(value.toPrecision(12)));
  }
  return ticks;
}

/* Segments [u0, v0, u1, v1] (data coordinates) where ``values`` (side², x1 fastest) cross
   ``level``; a saddle cell is split by its centre's value. */
export function contour(values, x1, x2, level) {
  const side = x1.length, segments = [];
  const at = (row, column) => values[row * side + column];
  for (let row = 0; row + 1 < side; row++) {
    for (let column = 0; column + 1 < side; column++) {
      const corners = [at(row, column), at(row, column + 1), at(row + 1, column + 1), at(row + 1, column)];
      if (!corners.every(isFinite)) continue;
      const above = corners.map((value) => value >= level);
      const code = above.reduce((sum, flag, index) => sum + (flag ? 1 << index : 0), 0);
      if (code === 0 || code === 15) continue;
      // crossing points on the edges: 0 bottom (corner 0→1), 1 right (1→2), 2 top (3→2), 3 left (0→3)
      const cross = (edge) => {
        const [a, b] = [[0, 1], [1, 2], [3, 2], [0, 3]][edge];
        const t = (level - corners[a]) / (corners[b] - corners[a]);
        const u0 = x1[column], u1 = x1[column + 1], v0 = x2[row], v1 = x2[row + 1];
        if (edge === 0) return [u0 + t * (u1 - u0), v0];
        if (edge === 1) return [u1, v0 + t * (v1 - v0)];
        if (edge === 2) return [u0 + t * (u1 - u0), v1];
        return [u0, v0 + t * (v1 - v0)];
      };
      const edges = [];
      for (let edge = 0; edge < 4; edge++) {
        const [a, b] = [[0, 1], [1, 2], [3, 2], [0, 3]][edge];
        if (above[a] !== above[b]) edges.push(edge);
      }
      let pairs = [[edges[0], edges[1]]];
      if (edges.length === 4) {   // a saddle: which corners join depends on the centre
        const centre = (corners[0] + corners[1] + corners[2] + corners[3]) / 4 >= level;
        pairs = centre === above[0] ? [[0, 1], [2, 3]] : [[0, 3], [1, 2]];
      }
      for (const [e0, e1] of pairs) segments.push([...cross(e0), ...cross(e1)]);
    }
  }
  return segments;
}

export function planePanel({ plane, theme: firstTheme, width, onReadout }) {
  let theme = firstTheme;
  const node = element("div", "tn-plane-panel");
  const canvas = element("canvas", "tn-plane-canvas");
  canvas.setAttribute("aria-hidden", "true");   // described by the key, the status and the readout
  node.append(canvas);
  const image = document.createElement("canvas");   // the field at device pixels, drawn 1:1
  const state = { width, picture: null, points: { training: true, test: true }, segments: [] };
  const [u0, u1] = [plane.x1[0], plane.x1[plane.side - 1]];
  const [v0, v1] = [plane.x2[0], plane.x2[plane.side - 1]];

  function geometry() {
    const ratio = pixelRatio();
    const size = Math.max(120, Math.floor(Math.min(state.width - MARGIN.left - MARGIN.right, 520)));
    const cssWidth = Math.floor(Math.min(state.width, MARGIN.left + size + MARGIN.right));
    const cssHeight = MARGIN.top + size + MARGIN.bottom;
    return { ratio, size, cssWidth, cssHeight, left: MARGIN.left, top: MARGIN.top };
  }
  let box = geometry();

  const toX = (u) => box.left + (u - u0) / (u1 - u0) * box.size;
  const toY = (v) => box.top + (1 - (v - v0) / (v1 - v0)) * box.size;

  /* the bilinear value of the grid at data coordinates (u, v) */
  function valueAt(values, u, v) {
    const side = plane.side;
    const c = Math.max(0, Math.min(side - 1, (u - u0) / (u1 - u0) * (side - 1)));
    const r = Math.max(0, Math.min(side - 1, (v - v0) / (v1 - v0) * (side - 1)));
    const c0 = Math.min(side - 2, Math.floor(c)), r0 = Math.min(side - 2, Math.floor(r));
    const fc = c - c0, fr = r - r0;
    const at = (row, column) => values[row * side + column];
    return (at(r0, c0) * (1 - fc) + at(r0, c0 + 1) * fc) * (1 - fr) +
           (at(r0 + 1, c0) * (1 - fc) + at(r0 + 1, c0 + 1) * fc) * fr;
  }

  function paintField(picture) {
    const ratio = box.ratio, side = plane.side;
    const left = Math.round(box.left * ratio), top = Math.round(box.top * ratio);
    const pixels = Math.round((box.left + box.size) * ratio) - left;
    const rows = Math.round((box.top + box.size) * ratio) - top;
    if (image.width !== pixels || image.height !== rows) {
      image.width = pixels;
      image.height = rows;
      state.pixels = null;
    }
    const context = image.getContext("2d");
    // one buffer while the size stays: a new one per frame is megabytes for the collector
    if (!state.pixels) state.pixels = context.createImageData(pixels, rows);
    const data = state.pixels;
    // where each pixel column and row falls on the grid (pixel centres)
    const columnAt = new Int32Array(pixels), columnFraction = new Float64Array(pixels);
    for (let x = 0; x < pixels; x++) {
      const c = Math.max(0, Math.min(side - 1, (x + 0.5) / pixels * (side - 1)));
      columnAt[x] = Math.min(side - 2, Math.floor(c));
      columnFraction[x] = c - columnAt[x];
    }
    const { values, map } = picture;
    const lut = map.rgb, last = lut.length / 3 - 1;
    const span = map.high - map.low;
    const missing = map.missing;
    for (let y = 0; y < rows; y++) {
      const r = Math.max(0, Math.min(side - 1, (1 - (y + 0.5) / rows) * (side - 1)));
      const r0 = Math.min(side - 2, Math.floor(r)), fr = r - r0;
      const low = r0 * side, high = (r0 + 1) * side;
      let offset = y * pixels * 4;
      for (let x = 0; x < pixels; x++, offset += 4) {
        const c0 = columnAt[x], fc = columnFraction[x];
        const value = (values[low + c0] * (1 - fc) + values[low + c0 + 1] * fc) * (1 - fr) +
                      (values[high + c0] * (1 - fc) + values[high + c0 + 1] * fc) * fr;
        if (value === value) {   // not NaN
          let index = Math.round((value - map.low) / span * last);
          index = index < 0 ? 0 : index > last ? last : index;
          data.data[offset] = lut[3 * index];
          data.data[offset + 1] = lut[3 * index + 1];
          data.data[offset + 2] = lut[3 * index + 2];
        } else {
          data.data[offset] = missing.r; data.data[offset + 1] = missing.g; data.data[offset + 2] = missing.b;
        }
        data.data[offset + 3] = 255;
      }
    }
    context.putImageData(data, 0, 0);
    return { left, top, pixels, rows };
  }

  function drawAxes(context, ratio) {
    const ticks = theme.font.ticks, text = theme.font.text;
    context.save();
    context.scale(ratio, ratio);
    context.strokeStyle = css(theme.axis);
    context.lineWidth = 1;
    context.strokeRect(box.left - 0.5, box.top - 0.5, box.size + 1, box.size + 1);
    context.fillStyle = css(theme.muted);
    context.font = theme.canvasFont(ticks);
    context.textAlign = "center";
    context.textBaseline = "top";
    const count = Math.max(2, Math.round(box.size / 70));
    for (const value of niceTicks(u0, u1, count)) {
      const x = toX(value);
      context.beginPath(); context.moveTo(x, box.top + box.size); context.lineTo(x, box.top + box.size + 4); context.stroke();
      context.fillText(formatTick(value), x, box.top + box.size + 6);
    }
    context.textAlign = "right";
    context.textBaseline = "middle";
    for (const value of niceTicks(v0, v1, count)) {
      const y = toY(value);
      context.beginPath(); context.moveTo(box.left, y); context.lineTo(box.left - 4, y); context.stroke();
      context.fillText(formatTick(value), box.left - 6, y);
    }
    context.fillStyle = css(theme.ink);
    context.font = theme.canvasFont(text);
    context.textAlign = "center";
    context.textBaseline = "bottom";
    context.fillText(plane.axisNames[0], box.left + box.size / 2, box.top + box.size + MARGIN.bottom - 2);
    context.translate(14, box.top + box.size / 2);
    context.rotate(-Math.PI / 2);
    context.textBaseline = "middle";
    context.fillText(plane.axisNames[1], 0, 0);
    context.restore();
  }

  function drawContour(context, ratio, picture) {
    state.segments = picture.contour ? contour(picture.contour, plane.x1, plane.x2, 0.5) : [];
    if (!state.segments.length) return;
    context.save();
    context.beginPath();
    context.rect(box.left * ratio, box.top * ratio, box.size * ratio, box.size * ratio);
    context.clip();
    context.lineCap = "round";
    const path = () => {
      context.beginPath();
      for (const [a, b, c, d] of state.segments) {
        context.moveTo(toX(a) * ratio, toY(b) * ratio);
        context.lineTo(toX(c) * ratio, toY(d) * ratio);
      }
    };
    if (picture.dashed) context.setLineDash([5 * ratio, 4 * ratio]);
    context.strokeStyle = css(theme.background);   // a halo: the line reads on either colour
    context.lineWidth = 4 * ratio;
    path(); context.stroke();
    context.strokeStyle = css(theme.ink);
    context.lineWidth = 2 * ratio;
    path(); context.stroke();
    context.restore();
  }

  function drawPoints(context, ratio) {
    const radius = POINT_RADIUS * ratio;
    const colours = (state.picture && state.picture.classes) || [theme.ink, theme.ink];
    context.save();
    context.beginPath();
    context.rect(box.left * ratio, box.top * ratio, box.size * ratio, box.size * ratio);
    context.clip();
    const each = (set, paint) => {
      for (let i = 0; i < set.x.length; i++) {
        if (!isFinite(set.x[i]) || !isFinite(set.y[i])) continue;
        const colour = plane.classification ? colours[set.target[i] >= 0.5 ? 1 : 0] : theme.ink;
        paint(toX(set.x[i]) * ratio, toY(set.y[i]) * ratio, colour);
      }
    };
    if (state.points.test) {
      each(plane.test, (x, y, colour) => {
        context.beginPath();
        context.arc(x, y, radius, 0, 2 * Math.PI);
        context.lineWidth = 4.2 * ratio;
        context.strokeStyle = css(theme.background);
        context.stroke();
        context.lineWidth = 1.8 * ratio;
        context.strokeStyle = css(colour);
        context.stroke();
      });
    }
    if (state.points.training) {
      each(plane.training, (x, y, colour) => {
        context.beginPath();
        context.arc(x, y, radius, 0, 2 * Math.PI);
        context.fillStyle = css(colour);
        context.fill();
        context.lineWidth = 1.4 * ratio;
        context.strokeStyle = css(theme.background);
        context.stroke();
      });
    }
    context.restore();
  }

  function render() {
    const picture = state.picture;
    box = geometry();
    const ratio = box.ratio;
    const pixelWidth = Math.round(box.cssWidth * ratio), pixelHeight = Math.round(box.cssHeight * ratio);
    if (canvas.width !== pixelWidth) canvas.width = pixelWidth;
    if (canvas.height !== pixelHeight) canvas.height = pixelHeight;
    canvas.style.width = box.cssWidth + "px";
    canvas.style.height = box.cssHeight + "px";
    const context = canvas.getContext("2d");
    context.setTransform(1, 0, 0, 1, 0, 0);
    context.fillStyle = css(theme.background);
    context.fillRect(0, 0, canvas.width, canvas.height);
    if (!picture) return;
    const placed = paintField(picture);
    context.drawImage(image, placed.left, placed.top);
    state.placed = placed;
    drawContour(context, ratio, picture);
    drawPoints(context, ratio);
    drawAxes(context, ratio);
  }

  canvas.addEventListener("pointermove", (event) => {
    if (!state.picture || !onReadout) return;
    const rect = canvas.getBoundingClientRect();
    const x = event.clientX - rect.left, y = event.clientY - rect.top;
    if (x < box.left || x > box.left + box.size || y < box.top || y > box.top + box.size) {
      onReadout("");
      return;
    }
    const u = u0 + (x - box.left) / box.size * (u1 - u0), v = v0 + (1 - (y - box.top) / box.size) * (v1 - v0);
    const value = valueAt(state.picture.values, u, v);
    onReadout(plane.axisNames[0] + " " + formatTick(Number(u.toPrecision(3))) + ", " + plane.axisNames[1] +
              " " + formatTick(Number(v.toPrecision(3))) + ": " + state.picture.describe(value));
  });
  canvas.addEventListener("pointerleave", () => { if (onReadout) onReadout(""); });

  return {
    node, canvas,
    draw(picture) { state.picture = picture; render(); },
    setPoints(points) { state.points = { ...state.points, ...points }; render(); },
    resize(next) { state.width = next; render(); },
    retheme(next) { theme = next; render(); },
    valueAt: (u, v) => (state.picture ? valueAt(state.picture.values, u, v) : NaN),
    drawn() {
      const rect = canvas.getBoundingClientRect();
      const picture = state.picture;
      return {
        values: picture ? Array.from(picture.values, (value) => (isFinite(value) ? value : null)) : null,
        range: picture ? [picture.map.low, picture.map.high] : null,
        boundary: state.segments.map((segment) => segment.slice()),
        points: { training: state.points.training ? plane.training.x.length : 0,
                  test: state.points.test ? plane.test.x.length : 0 },
        bounds: [u0, u1, v0, v1],
        // the plotting area in viewport CSS pixels and in the canvas' device pixels
        plot: { left: rect.left + box.left, top: rect.top + box.top, width: box.size, height: box.size },
        image: state.placed ? { ...state.placed } : null,
        fontSizes: [theme.font.ticks, theme.font.text],
        canvas: { width: canvas.width, height: canvas.height, cssWidth: rect.width,
                  cssHeight: rect.height, ratio: box.ratio },
      };
    },
    destroy() {},
  };
}
