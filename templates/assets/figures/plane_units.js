/* The hidden units of a net on the plane, as the TensorFlow Playground shows its neurons but
   replayed from the recording: one small picture per unit of its output over the plane at the
   shown epoch and seed. Hovering or focusing a unit shows its output large in the plane panel;
   clicking it (or Enter, Space) keeps it there until pressed again.

   unitStrip({ plane, onShow }) → { node, update(frame, seedIndex, look), pin(unit|null),
   pinned(), shown(), drawn() }; a unit is { layer, unit } (both from 1). ``onShow(unit|null)``
   is told what the plane panel should show. */

import { element } from "./controls.js";

const THUMB = 36;   // CSS pixels
export const MAX_UNITS = 128;   // more hidden units than this: no strip

export function unitValues(plane, hidden, { layer, unit }) {
  const outputs = hidden[layer - 1], units = plane.layers[layer - 1];
  const values = new Float64Array(plane.side * plane.side);
  for (let point = 0; point < values.length; point++) values[point] = outputs[point * units + unit - 1];
  return values;
}

export function unitStrip({ plane, onShow }) {
  const node = element("div", "tn-units");
  const heading = element("p", "tn-units-title",
    "Hidden units: hover over or focus one to see its output in the plane; press it to keep it there.");
  node.append(heading);
  const thumbs = [];
  const state = { pinned: null, hovered: null, frame: 0, seedIndex: 0, look: null };
  plane.layers.forEach((units, index) => {
    const row = element("div", "tn-units-row");
    row.setAttribute("role", "group");
    const name = "hidden layer " + (index + 1);
    row.setAttribute("aria-label", name);
    row.append(element("span", "tn-units-label", name + " (" + units + " " + plane.activation + ")"));
    for (let unit = 1; unit <= units; unit++) {
      const button = element("button", "tn-unit");
      button.type = "button";
      button.setAttribute("aria-pressed", "false");
      button.setAttribute("aria-label", "unit " + unit + " of " + name + ": show its output in the plane");
      const canvas = element("canvas");
      canvas.setAttribute("aria-hidden", "true");
      button.append(canvas);
      const target = { layer: index + 1, unit };
      button.addEventListener("pointerenter", () => hover(target));
      button.addEventListener("pointerleave", () => hover(null));
      button.addEventListener("focus", () => hover(target));
      button.addEventListener("blur", () => hover(null));
      button.addEventListener("click", () => pin(same(state.pinned, target) ? null : target));
      row.append(button);
      thumbs.push({ ...target, button, canvas });
    }
    node.append(row);
  });

  function same(a, b) { return !!a && !!b && a.layer === b.layer && a.unit === b.unit; }
  function shown() { return state.hovered || state.pinned; }
  function hover(target) { state.hovered = target; onShow(shown()); }
  function pin(target) {
    state.pinned = target;
    for (const thumb of thumbs) thumb.button.setAttribute("aria-pressed", same(thumb, target) ? "true" : "false");
    onShow(shown());
  }

  // one side × side picture, painted for each unit in turn and drawn scaled into its button
  const scratch = document.createElement("canvas");
  scratch.width = plane.side;
  scratch.height = plane.side;
  const scratchContext = scratch.getContext("2d");
  const data = scratchContext.createImageData(plane.side, plane.side);

  function paint(thumb, values, map) {
    const ratio = window.devicePixelRatio || 1;
    const side = plane.side;
    const context = scratchContext;
    for (let row = 0; row < side; row++) {
      for (let column = 0; column < side; column++) {
        const [r, g, b] = map.at(values[row * side + column]);
        const offset = ((side - 1 - row) * side + column) * 4;   // x2 upwards
        data.data[offset] = r; data.data[offset + 1] = g; data.data[offset + 2] = b; data.data[offset + 3] = 255;
      }
    }
    context.putImageData(data, 0, 0);
    const canvas = thumb.canvas;
    canvas.width = Math.round(THUMB * ratio);
    canvas.height = Math.round(THUMB * ratio);
    canvas.style.width = THUMB + "px";
    canvas.style.height = THUMB + "px";
    const target = canvas.getContext("2d");
    target.imageSmoothingEnabled = true;
    target.drawImage(scratch, 0, 0, canvas.width, canvas.height);
  }

  return {
    node, thumbs,
    update(frame, seedIndex, look) {
      Object.assign(state, { frame, seedIndex, look });
      const hidden = plane.hidden(frame, seedIndex);
      for (const thumb of thumbs) {
        const values = unitValues(plane, hidden, thumb);
        paint(thumb, values, look.unitMap(values));
      }
    },
    pin, shown,
    pinned: () => state.pinned,
    drawn() {
      return { layers: plane.layers.slice(), thumbnails: thumbs.length,
               pinned: state.pinned && { ...state.pinned }, shown: shown() && { ...shown() } };
    },
  };
}
