/* Colour maps of the 2-D and sweep figures, perceptually uniform: each is a straight path in
   OKLab (Björn Ottosson's perceptual space, in which equal distances look equally different),
   so equal steps of the value are equal steps of the colour, and lightness alone still orders
   it (greyscale, colour-vision deficiencies).

   - diverging(theme, hues): class 0 (orange) ↔ a neutral middle ↔ class 1 (purple), both ends
     at one lightness and chroma, so neither side looks stronger. The middle follows the page:
     near white on the light scheme, near the background on the dark one (no glaring slab).
   - sequential(theme): the sweep heatmap's log error, dark blue → yellow as cividis runs, its
     lightness increasing steadily (lower error darker on the light scheme, as the fallback).

   A map is a lookup table of SIZE colours: { low, high, rgb: Uint8ClampedArray(SIZE·3),
   at(value) → [r, g, b], css(value), index(value) }. Values outside [low, high] take the end
   colour; NaN takes ``missing``. */

export const SIZE = 1024;

function toLinear(channel) {
  const value = channel / 255;
  return value <= 0.04045 ? value / 12.92 : Math.pow((value + 0.055) / 1.055, 2.4);
}

function fromLinear(value) {
  const clipped = Math.max(0, Math.min(1, value));
  const encoded = clipped <= 0.0031308 ? 12.92 * clipped : 1.055 * Math.pow(clipped, 1 / 2.4) - 0.055;
  return Math.round(encoded * 255);
}

export function oklab({ r, g, b }) {
  const [R, G, B] = [toLinear(r), toLinear(g), toLinear(b)];
  const l = Math.cbrt(0.4122214708 * R + 0.5363325363 * G + 0.0514459929 * B);
  const m = Math.cbrt(0.2119034982 * R + 0.6806995451 * G + 0.1073969566 * B);
  const s = Math.cbrt(0.0883024619 * R + 0.2817188376 * G + 0.6299787005 * B);
  return { L: 0.2104542553 * l + 0.7936177850 * m - 0.0040720468 * s,
           a: 1.9779984951 * l - 2.4285922050 * m + 0.4505937099 * s,
           b: 0.0259040371 * l + 0.7827717662 * m - 0.8086757660 * s };
}

export function rgb({ L, a, b }) {
  const l = Math.pow(L + 0.3963377774 * a + 0.2158037573 * b, 3);
  const m = Math.pow(L - 0.1055613458 * a - 0.0638541728 * b, 3);
  const s = Math.pow(L - 0.0894841775 * a - 1.2914855480 * b, 3);
  return { r: fromLinear(4.0767416621 * l - 3.3077115913 * m + 0.2309699292 * s),
           g: fromLinear(-1.2684380046 * l + 2.6097574011 * m - 0.3413193965 * s),
           b: fromLinear(-0.0041960863 * l - 0.7034186147 * m + 1.7076147010 * s), a: 1 };
}

/* a point of lightness L, chroma C, hue h (degrees) */
export function lch(L, C, h) {
  const angle = h * Math.PI / 180;
  return { L, a: C * Math.cos(angle), b: C * Math.sin(angle) };
}

function lerp(p, q, t) {
  return { L: p.L + (q.L - p.L) * t, a: p.a + (q.a - p.a) * t, b: p.b + (q.b - p.b) * t };
}

function table(low, high, colourAt, missing) {
  const values = new Uint8ClampedArray(SIZE * 3);
  for (let i = 0; i < SIZE; i++) {
    const colour = rgb(colourAt(i / (SIZE - 1)));
    values[3 * i] = colour.r; values[3 * i + 1] = colour.g; values[3 * i + 2] = colour.b;
  }
  return ranged(values, low, high, missing);
}

/* the same colours over another range (a unit's outputs, a sweep's errors) */
export function rescale(map, low, high) {
  return ranged(map.rgb, low, high, map.missing);
}

function ranged(values, low, high, missing) {
  const span = high - low;
  const map = {
    low, high, rgb: values, missing,
    index(value) {
      if (!isFinite(value)) return -1;
      const t = span > 0 ? (value - low) / span : 0.5;
      return Math.max(0, Math.min(SIZE - 1, Math.round(t * (SIZE - 1))));
    },
    at(value) {
      const i = map.index(value);
      return i < 0 ? [missing.r, missing.g, missing.b]
                   : [values[3 * i], values[3 * i + 1], values[3 * i + 2]];
    },
    css(value) {
      const [r, g, b] = map.at(value);
      return "rgb(" + r + ", " + g + ", " + b + ")";
    },
  };
  return map;
}

const dark = (theme) => oklab(theme.background).L < 0.5;

/* The class hues: orange for class 0, purple for class 1 (as the fallback and the posts name
   them); a regression surface runs from blue (low) to vermilion (high). */
export const HUES = { classes: [58, 305], values: [250, 40] };

export function diverging(theme, low, high, hues) {
  const [from, to] = hues || HUES.classes;
  const background = oklab(theme.background);
  // light: pale middle, ends of middle lightness; dark: a middle a step above the background,
  // ends light enough to read as colour on it
  const middle = dark(theme) ? { L: background.L + 0.1, a: 0, b: 0 } : { L: 0.97, a: 0, b: 0 };
  const endL = dark(theme) ? 0.72 : 0.68, chroma = dark(theme) ? 0.13 : 0.14;
  const start = lch(endL, chroma, from), end = lch(endL, chroma, to);
  const missing = rgb({ L: dark(theme) ? 0.45 : 0.8, a: 0, b: 0 });
  return table(low, high, (t) => (t < 0.5 ? lerp(start, middle, t * 2) : lerp(middle, end, t * 2 - 1)),
               missing);
}

/* cividis-like: blue (L 0.3) → grey → yellow (L 0.93), a straight path in lightness */
export function sequential(theme, low, high) {
  const stops = [lch(0.3, 0.1, 262), lch(0.6, 0.015, 250), lch(0.93, 0.16, 100)];
  const missing = rgb({ L: dark(theme) ? 0.45 : 0.85, a: 0, b: 0 });
  return table(low, high, (t) => (t < 0.5 ? lerp(stops[0], stops[1], t * 2)
                                          : lerp(stops[1], stops[2], t * 2 - 1)), missing);
}

/* A hue's mark colour (a class's points): chroma C at the lightness the background needs for
   3:1, darker on light pages, lighter on dark ones */
export function markColour(theme, hue, contrastWith) {
  const darkPage = dark(theme);
  // points darker than the field's ends on a light page (lighter on a dark one): a point
  // reads against the field behind it as well as against the page
  for (let step = 0; step <= 60; step++) {
    const L = darkPage ? 0.8 + step * 0.003 : 0.5 - step * 0.004;
    const colour = rgb(lch(L, 0.15, hue));
    if (contrastWith(colour, theme.background) >= 3) return colour;
  }
  return darkPage ? { r: 255, g: 255, b: 255, a: 1 } : { r: 0, g: 0, b: 0, a: 1 };
}
