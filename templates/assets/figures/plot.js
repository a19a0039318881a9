/* uPlot (vendor/uplot), loaded once, and what every panel needs around it: axes in the page's
   type and theme, clipping to the plotting area, and the report of what was drawn (test hook).
   Colours are read through ``holder.theme`` at every draw, so a palette switch only redraws. */

import { formatTick, logSplits } from "./numbers.js";
import { css } from "./theme.js";

/* its minified IIFE build, loaded as a classic script, defines window.uPlot */
let loading = null;

export function loadUPlot() {
  if (window.uPlot) return Promise.resolve(window.uPlot);
  if (!loading) {
    loading = new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = new URL("../vendor/uplot/uPlot.iife.min.js", import.meta.url).href;
      script.onload = () => (window.uPlot ? resolve(window.uPlot)
                                          : reject(new Error("uPlot did not define itself")));
      script.onerror = () => { loading = null; reject(new Error("cannot load " + script.src)); };
      document.head.appendChild(script);
    });
  }
  return loading;
}

export function plain(values) {   // uPlot draws null as a gap; NaN and infinities become gaps
  const out = new Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = isFinite(values[i]) ? values[i] : null;
  return out;
}

export function pixelRatio() {
  return (window.uPlot && window.uPlot.pxRatio) || window.devicePixelRatio || 1;
}

export function axis(holder, label, options) {
  const theme = () => holder.theme;
  return {
    label,
    stroke: () => css(theme().muted),
    font: holder.theme.canvasFont(holder.theme.font.ticks),
    labelFont: holder.theme.canvasFont(holder.theme.font.text),
    labelSize: 22,
    labelGap: 2,
    gap: 4,
    grid: { stroke: () => css(theme().grid), width: 1 },
    ticks: { stroke: () => css(theme().axis), width: 1, size: 4 },
    border: { show: true, stroke: () => css(theme().axis), width: 1 },
    values: (u, splits) => splits.map(formatTick),
    ...options,
  };
}

export function logAxis(holder, label, options) {
  return axis(holder, label, {
    splits: (u, axisIndex, min, max) => logSplits(min, max),
    filter: (u, splits) => splits,
    ...options,
  });
}

export function clip(u, draw) {
  const { left, top, width, height } = u.bbox;
  const context = u.ctx;
  context.save();
  context.beginPath();
  context.rect(left, top, width, height);
  context.clip();
  draw(context);
  context.restore();
}

/* CSS pixel sizes of the text uPlot draws (tick labels, axis titles) */
export function fontSizes(u) {
  return u.axes.flatMap((axis) => [axis.font[2], axis.labelFont[2]]);
}

/* the canvas' pixel and CSS sizes, and the plotting area in viewport CSS pixels (test hook) */
export function canvasReport(u) {
  const canvas = u.root.querySelector("canvas");
  const box = canvas.getBoundingClientRect();
  const plot = u.over.getBoundingClientRect();
  return { width: canvas.width, height: canvas.height, cssWidth: box.width, cssHeight: box.height,
           ratio: pixelRatio(),
           plot: { left: plot.left, top: plot.top, width: plot.width, height: plot.height } };
}
