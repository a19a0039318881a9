/* The key of the plane figures: what filled and hollow points are, what the line is, which
   colour is which class; and the two toggles that show or hide the training and the test
   points. Plain HTML (labels are author text: textContent only). */

import { element } from "./controls.js";
import { CLASS_COLOUR_NAMES } from "./plane_look.js";
import { css } from "./theme.js";

const SVG = "http://www.w3.org/2000/svg";

function swatch(shape) {
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", "0 0 24 12");
  svg.setAttribute("width", "24");
  svg.setAttribute("height", "12");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("class", "tn-swatch tn-swatch-" + shape);
  const mark = document.createElementNS(SVG, shape === "line" ? "line" : "circle");
  if (shape === "line") {
    for (const [name, value] of [["x1", 1], ["x2", 23], ["y1", 6], ["y2", 6]]) mark.setAttribute(name, value);
  } else {
    mark.setAttribute("cx", "12"); mark.setAttribute("cy", "6"); mark.setAttribute("r", "4");
  }
  svg.append(mark);
  return svg;
}

function entry(shape, text) {
  const node = element("span", "tn-key-entry");
  const svg = swatch(shape);
  node.append(svg, element("span", "tn-key-text", text));
  return { node, mark: svg.firstChild };
}

/* key(plane, { boundary }) → { node, paint(theme, look) } */
export function planeKey(plane, { boundary = true } = {}) {
  const node = element("p", "tn-key tn-plane-key");
  const filled = entry("dot", "training points (filled)");
  const hollow = entry("ring", "test points (hollow)");
  const line = plane.classification && boundary ? entry("line", "decision boundary (probability 0.5)") : null;
  const classes = plane.classification
    ? plane.classNames.map((name, index) => entry("dot", name + " (" + CLASS_COLOUR_NAMES[index] + ")")) : [];
  node.append(...[filled, hollow, line, ...classes].filter(Boolean).map((item) => item.node));
  return {
    node,
    paint(theme, look) {
      const ink = css(theme.ink);
      filled.mark.setAttribute("fill", ink);
      hollow.mark.setAttribute("fill", "none");
      hollow.mark.setAttribute("stroke", ink);
      hollow.mark.setAttribute("stroke-width", "1.8");
      if (line) {
        line.mark.setAttribute("stroke", ink);
        line.mark.setAttribute("stroke-width", "2");
      }
      classes.forEach((item, index) => item.mark.setAttribute("fill", css(look.classes[index])));
    },
  };
}

/* toggles({ test, onChange }) → { node, set({ training, test }), state() } */
export function pointToggles({ test, onChange }) {
  const node = element("div", "tn-toggles");
  node.setAttribute("role", "group");
  node.setAttribute("aria-label", "Points shown");
  const boxes = {};
  for (const [name, text] of [["training", "training points"], ["test", "test points"]]) {
    if (name === "test" && !test) continue;
    const label = element("label", "tn-toggle");
    const input = element("input");
    input.type = "checkbox";
    input.checked = true;
    input.addEventListener("change", () => onChange(state()));
    label.append(input, element("span", null, text));
    node.append(label);
    boxes[name] = input;
  }
  function state() {
    return { training: !!(boxes.training && boxes.training.checked), test: !!(boxes.test && boxes.test.checked) };
  }
  return {
    node, boxes, state,
    set(points) {
      for (const name of Object.keys(boxes)) boxes[name].checked = !!points[name];
    },
  };
}

/* URL form of the toggles: "train+test" (omitted, the default), "train", "test" or "none" */
export function pointsText(points) {
  const shown = [points.training && "train", points.test && "test"].filter(Boolean);
  return shown.length ? shown.join("+") : "none";
}

export function pointsFrom(text) {
  const parts = String(text).split("+");
  return { training: parts.indexOf("train") >= 0, test: parts.indexOf("test") >= 0 };
}

/* a line swatch and its text, for the keys of curves */
export function lineEntry(text, colour, dash, width) {
  const { node, mark } = entry("line", text);
  mark.setAttribute("stroke", colour);
  mark.setAttribute("stroke-width", String(width));
  if (dash) mark.setAttribute("stroke-dasharray", dash);
  return node;
}
