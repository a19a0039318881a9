/* A colour legend: the map as a horizontal bar with its title above and ticks below, marks on
   it (a dashed tick for the noise floor, a solid one for the decision boundary), linear or log
   (``log``: the map runs over log10 of the values, as the sweep heatmap colours them).

   colourBar({ theme, width }) → { node, set({ map, title, ticks, log, marks: [{ value, label,
   dashed }] }), resize(width), retheme(theme), drawn() }. */

import { element } from "./controls.js";
import { formatTick } from "./numbers.js";
import { css } from "./theme.js";
import { pixelRatio } from "./plot.js";

const HEIGHT = 58, BAR = 12, SIDE = 24;

export function colourBar({ theme: firstTheme, width }) {
  let theme = firstTheme;
  const node = element("div", "tn-colour-bar");
  const canvas = element("canvas", "tn-colour-bar-canvas");
  canvas.setAttribute("aria-hidden", "true");
  const label = element("p", "tn-visually-hidden");   // the bar in words, for screen readers
  node.append(canvas, label);
  const state = { width, legend: null };

  function position(value, legend) {
    const { map, log } = legend;
    return ((log ? Math.log10(value) : value) - map.low) / (map.high - map.low);
  }
  const domain = (legend) => (legend.log ? [Math.pow(10, legend.map.low), Math.pow(10, legend.map.high)]
                                         : [legend.map.low, legend.map.high]);

  function render() {
    const ratio = pixelRatio();
    const cssWidth = Math.max(160, Math.floor(Math.min(state.width, 420)));
    canvas.width = Math.round(cssWidth * ratio);
    canvas.height = Math.round(HEIGHT * ratio);
    canvas.style.width = cssWidth + "px";
    canvas.style.height = HEIGHT + "px";
    const context = canvas.getContext("2d");
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    context.clearRect(0, 0, cssWidth, HEIGHT);
    const legend = state.legend;
    if (!legend) return;
    const left = SIDE, barWidth = cssWidth - 2 * SIDE, top = 20;
    context.fillStyle = css(theme.ink);
    context.font = theme.canvasFont(theme.font.ticks);
    context.textAlign = "left";
    context.textBaseline = "top";
    context.fillText(legend.title, left, 0);
    const steps = Math.max(2, Math.round(barWidth * ratio));
    for (let i = 0; i < steps; i++) {
      const t = (i + 0.5) / steps;
      context.fillStyle = legend.map.css(legend.map.low + t * (legend.map.high - legend.map.low));
      context.fillRect(left + (i / steps) * barWidth, top, barWidth / steps + 0.6, BAR);
    }
    context.strokeStyle = css(theme.axis);
    context.lineWidth = 1;
    context.strokeRect(left - 0.5, top - 0.5, barWidth + 1, BAR + 1);
    context.fillStyle = css(theme.muted);
    context.textAlign = "center";
    context.textBaseline = "top";
    for (const value of legend.ticks) {
      const x = left + position(value, legend) * barWidth;
      context.beginPath(); context.moveTo(x, top + BAR); context.lineTo(x, top + BAR + 4); context.stroke();
      context.fillText(formatTick(value), x, top + BAR + 6);
    }
    for (const mark of legend.marks || []) {
      const t = position(mark.value, legend);
      if (!(t >= 0 && t <= 1)) continue;
      const x = left + t * barWidth;
      context.save();
      context.strokeStyle = css(theme.background);
      context.lineWidth = 4;
      context.beginPath(); context.moveTo(x, top - 3); context.lineTo(x, top + BAR + 3); context.stroke();
      context.strokeStyle = css(theme.ink);
      context.lineWidth = 2;
      if (mark.dashed) context.setLineDash([3, 2]);
      context.beginPath(); context.moveTo(x, top - 3); context.lineTo(x, top + BAR + 3); context.stroke();
      context.restore();
    }
  }

  return {
    node,
    set(legend) {
      state.legend = legend;
      const [low, high] = domain(legend);
      label.textContent = "Colour scale: " + legend.title + ", from " + formatTick(Number(low.toPrecision(3))) +
        " to " + formatTick(Number(high.toPrecision(3))) + (legend.log ? " (logarithmic)" : "") +
        (legend.marks || []).map((mark) => "; " + mark.label + " at " + formatTick(mark.value)).join("");
      render();
    },
    resize(next) { state.width = next; render(); },
    retheme(next) { theme = next; render(); },
    drawn() {
      const legend = state.legend;
      return legend ? { title: legend.title, low: domain(legend)[0], high: domain(legend)[1], log: !!legend.log,
                        ticks: legend.ticks.slice(), marks: (legend.marks || []).map((mark) => ({ ...mark })),
                        text: label.textContent, fontSizes: [theme.font.ticks] } : null;
    },
  };
}
