/* comparison_losses(): every net's training error on one log-log plot: its median over the
   seeds in its colour and the band its seeds span, the noise floor dashed. A legend button per
   net hides or shows it; the pointer (or the arrow keys, once the chart has focus) reads a
   net's median and range at an epoch.
   Data: the post's nets (their figure files; only the losses are read).
   URL state: hidden (net names joined by "+"). */

import { loadUPlot } from "../plot.js";
import { lossesPanel } from "../losses_panel.js";
import { element, keyEntry, paintSwatch, readoutLine } from "../controls.js";
import { hiddenOf, netLegend } from "../legend.js";
import { css } from "../theme.js";
import { watchWidth } from "../layout.js";

function size(width) {
  return { width: Math.max(200, Math.floor(width)),
           height: Math.round(Math.max(260, Math.min(400, width * 0.5))) };
}

export default async function create(context) {
  const nets = context.nets;
  for (const net of nets) {
    if (!net.losses) throw new Error("comparison_losses needs the losses of " + net.name);
  }
  if (new Set(nets.map((net) => net.name)).size !== nets.length) {
    throw new Error("comparison_losses: a net is named twice in its data");
  }
  const uPlot = await loadUPlot();
  let theme = context.theme;
  const hidden = new Set();
  const seeds = Math.max(...nets.map((net) => net.seeds.length));

  const root = element("div", "tn-live tn-live-losses");
  const title = element("p", "tn-live-title");
  title.append(element("strong", null, "Median training error per net"),
               " (band: the range of " + seeds + " seeds)");
  const legend = netLegend(nets, {
    onToggle(name) {
      if (hidden.has(name)) hidden.delete(name); else hidden.add(name);
      applyHidden();
      context.save({ hidden: Array.from(hidden).join("+") });
    },
  });
  const medianKey = keyEntry("line", "median");
  const bandKey = keyEntry("band", "range of the seeds");
  const floorKey = nets.some((net) => net.noiseFloor > 0) ? keyEntry("line", "noise floor") : null;
  const key = element("p", "tn-key");
  key.append(...[medianKey, bandKey, floorKey].filter(Boolean).map((entry) => entry.node),
             element("span", "tn-key-hint", "point at a curve to read it"));

  const readout = readoutLine("");
  const first = size(context.width);
  const panel = lossesPanel(uPlot, { nets, theme, width: first.width, height: first.height, bands: true,
                                     marker: false, onReadout: (text) => { readout.textContent = text; } });
  root.append(title, legend.node, key, panel.focusable(), readout);

  function applyHidden() {
    legend.set(hidden);
    panel.setHidden(hidden);
  }

  function paint() {
    legend.paint(theme);
    paintSwatch(medianKey.svg, css(theme.ink), 2.5);
    paintSwatch(bandKey.svg, css(theme.ink, 0.16), 10);
    if (floorKey) paintSwatch(floorKey.svg, css(theme.floor), 1.5, "4 3");
  }

  const stopWatching = watchWidth(root, (width) => {
    const next = size(width);
    panel.resize(next.width, next.height);
  });

  function restore(state) {
    if (state.hidden != null) {
      hidden.clear();
      for (const name of hiddenOf(state.hidden, nets)) hidden.add(name);
      applyHidden();
    }
  }

  paint();
  if (context.state) restore(context.state);

  return {
    node: root,
    drawn() {
      const drawn = panel.drawn();
      return {
        kind: "comparison_losses", hidden: Array.from(hidden), ...drawn,
        readout: readout.textContent, status: title.textContent,
        legend: legend.entries.map((entry) => ({ name: entry.net.name, pressed: entry.button.getAttribute("aria-pressed") })),
        theme: theme.report(Object.fromEntries(nets.map((net) => [net.name, net.color]))),
        canvases: [drawn.canvas],
      };
    },
    state() { return { hidden: Array.from(hidden) }; },
    restore,
    retheme(next) { theme = next; panel.retheme(next); paint(); },
    visible() {},
    motionChanged() {},
    destroy() { stopWatching(); panel.destroy(); },
  };
}
