/* Colours and type of the live figures, from the page's own (Material's light "default" or dark
   "slate" scheme): read from the computed styles, so a palette switch is followed live.

   Contrast (WCAG 2): text ≥ 4.5:1 against the figure's background; marks that carry meaning
   (the followed seed's line, the true function, the data points, the noise floor, the median,
   markers, axis lines) ≥ 3:1. A net's colour keeps its hue and is darkened (light scheme) or
   lightened (dark scheme) only as far as 3:1 needs. The other seeds' faint lines are context
   (the followed seed is the one that carries the meaning): the net's line at 30 % opacity, or
   more where that would fall under 1.6:1 (on a dark background). */

export function scheme() {
  const body = document.body;
  return (body && body.getAttribute("data-md-color-scheme")) || "default";
}

function parse(text) {
  const match = /rgba?\(([^)]+)\)/.exec(text || "");
  if (!match) return null;
  const parts = match[1].split(/[ ,/]+/).filter(Boolean).map(Number);
  return { r: parts[0], g: parts[1], b: parts[2], a: parts.length > 3 ? parts[3] : 1 };
}

function hex(color) {
  const value = /^#?([0-9a-f]{6})$/i.exec(String(color).trim());
  if (!value) return null;
  const number = parseInt(value[1], 16);
  return { r: number >> 16, g: (number >> 8) & 255, b: number & 255, a: 1 };
}

export function css(color, alpha) {
  const a = alpha == null ? color.a : alpha;
  const rounded = [color.r, color.g, color.b].map((v) => Math.round(v));
  return a >= 1 ? "rgb(" + rounded.join(", ") + ")"
                : "rgba(" + rounded.join(", ") + ", " + Math.round(a * 1000) / 1000 + ")";
}

export function mix(a, b, amount) {   // amount 0: a, 1: b
  return { r: a.r + (b.r - a.r) * amount, g: a.g + (b.g - a.g) * amount,
           b: a.b + (b.b - a.b) * amount, a: 1 };
}

function over(color, background) {   // a translucent colour as it shows on the background
  return color.a >= 1 ? color : mix(background, color, color.a);
}

function luminance(color) {
  const channel = (v) => { v /= 255; return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
  return 0.2126 * channel(color.r) + 0.7152 * channel(color.g) + 0.0722 * channel(color.b);
}

export function contrast(a, b) {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (light + 0.05) / (dark + 0.05);
}

/* ``color`` moved towards black or white (whichever the background contrasts more with) just
   far enough to reach ``ratio`` against ``background``. */
export function atLeast(color, background, ratio) {
  const target = contrast({ r: 0, g: 0, b: 0 }, background) >= contrast({ r: 255, g: 255, b: 255 }, background)
    ? { r: 0, g: 0, b: 0, a: 1 } : { r: 255, g: 255, b: 255, a: 1 };
  for (let step = 0; step <= 40; step++) {
    const candidate = mix(color, target, step / 40);
    if (contrast(candidate, background) >= ratio) return candidate;
  }
  return target;
}

function backgroundOf(element) {
  for (let node = element; node && node.nodeType === 1; node = node.parentElement) {
    const color = parse(getComputedStyle(node).backgroundColor);
    if (color && color.a > 0.5) return { ...color, a: 1 };
  }
  const root = parse(getComputedStyle(document.body || document.documentElement).backgroundColor);
  return root && root.a > 0.5 ? { ...root, a: 1 } : { r: 255, g: 255, b: 255, a: 1 };
}

/* Everything a figure draws with, for ``element``'s place in the page now. */
export function themeFor(element) {
  const background = backgroundOf(element);
  const style = getComputedStyle(element);
  const inkRaw = parse(style.color) || { r: 0, g: 0, b: 0, a: 0.87 };
  const ink = atLeast(over(inkRaw, background), background, 7);
  const muted = atLeast(mix(ink, background, 0.3), background, 4.5);
  const family = style.fontFamily || "sans-serif";
  const theme = {
    scheme: scheme(),
    background, ink, muted,
    grid: mix(ink, background, 0.88),
    axis: atLeast(mix(ink, background, 0.5), background, 3),
    truth: atLeast(mix(ink, background, 0.6), background, 3),
    points: atLeast(mix(ink, background, 0.4), background, 3),
    floor: atLeast(mix(ink, background, 0.35), background, 3),
    median: ink,
    font: { family, ticks: 13, text: 14 },
    net(color) {
      const line = atLeast(hex(color) || ink, background, 3);
      // the other seeds: as light as still shows (1.6:1), at least 30 % of the line
      let alpha = 0.3;
      while (alpha < 1 && contrast(mix(background, line, alpha), background) < 1.6) alpha += 0.05;
      return { line, faint: { ...line, a: Math.min(1, alpha) } };
    },
    canvasFont(size, weight) {
      return (weight ? weight + " " : "") + size + "px " + family;
    },
    /* the colours as CSS strings, with their contrast against the background (test hook) */
    report(netColors) {
      const entry = (color) => ({ color: css(color), contrast: Math.round(contrast(over(color, background), background) * 100) / 100 });
      const report = { scheme: theme.scheme, background: css(background), ink: entry(ink),
                       muted: entry(muted), axis: entry(theme.axis), truth: entry(theme.truth),
                       points: entry(theme.points), floor: entry(theme.floor),
                       median: entry(theme.median), nets: {} };
      for (const [name, color] of Object.entries(netColors || {})) {
        const net = theme.net(color);
        report.nets[name] = { ...entry(net.line), faint: entry(net.faint).contrast };
      }
      return report;
    },
  };
  return theme;
}
