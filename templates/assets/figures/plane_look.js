/* How a net on the plane is coloured on this page: the field's map and legend, the classes'
   point colours (orange: class 0, purple: class 1, each at 3:1 or more against the background),
   a hidden unit's map, and the words the key, legend and readout use. Recomputed on a palette
   switch. */

import { HUES, diverging, markColour, rescale } from "./colormap.js";
import { formatTick } from "./numbers.js";
import { niceTicks } from "./plane_panel.js";
import { contrast, css } from "./theme.js";

export const CLASS_COLOUR_NAMES = ["orange", "purple"];

export function planeLook(theme, plane) {
  const [low, high] = plane.valueRange;
  const field = plane.classification ? diverging(theme, 0, 1, HUES.classes)
                                     : diverging(theme, low, high, HUES.values);
  const classes = HUES.classes.map((hue) => markColour(theme, hue, contrast));
  const units = diverging(theme, -1, 1, HUES.values);
  const title = plane.classification
    ? "probability of " + plane.classNames[1] + " (" + CLASS_COLOUR_NAMES[1] + ")"
    : "predicted value";
  return {
    field, classes, units,
    legend: {
      map: field, title, log: false,
      ticks: plane.classification ? [0, 0.25, 0.5, 0.75, 1] : niceTicks(low, high, 4),
      marks: plane.classification ? [{ value: 0.5, label: "decision boundary" }] : [],
    },
    describe(value) {
      if (!isFinite(value)) return "diverged";
      return plane.classification ? "probability of " + plane.classNames[1] + " " + value.toFixed(3)
                                  : "predicted value " + formatTick(Number(value.toPrecision(3)));
    },
    /* a unit's outputs on a symmetric scale around 0 (tanh and sigmoid units: their own range) */
    unitMap(values) {
      let extent = 0;
      for (const value of values) if (isFinite(value)) extent = Math.max(extent, Math.abs(value));
      if (plane.activation === "tanh") extent = 1;
      if (plane.activation === "sigmoid") extent = 1;
      return rescale(units, -(extent || 1), extent || 1);
    },
    report() {
      return classes.map((colour, index) => ({ name: CLASS_COLOUR_NAMES[index], color: css(colour),
        contrast: Math.round(contrast(colour, theme.background) * 100) / 100 }));
    },
  };
}
