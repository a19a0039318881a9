/* compare([nets]): several nets' predictions side by side on ONE y scale, driven by one player
   over the union of their recorded epochs (each net shows its last frame at or before the
   epoch, and says so when that is another epoch). A legend button per net hides or shows it;
   a seed picker follows each net's median seed or one seed number in every net.
   With data-tn-losses="shared" on the element, one loss plot under the panels holds every
   net's median training error (losses_panel.js), marked at the epoch each net shows; without
   it (the default) there is none.
   URL state: epoch, seed ("median" or a number), hidden (net names joined by "+"). */

import { loadUPlot } from "../plot.js";
import { valueLimits } from "../numbers.js";
import { predictionPanel } from "../prediction_panel.js";
import { element, keyEntry, paintSwatch, readoutLine } from "../controls.js";
import { panelLegend } from "../legend.js";
import { lossesPanel } from "../losses_panel.js";
import { css } from "../theme.js";
import { panelGrid } from "../layout.js";
import { errorDetail, netGroup, netStatus } from "../group.js";

export default async function create(context) {
  const nets = context.nets;
  for (const net of nets) {
    if (!net.predictions) throw new Error("compare needs the predictions of " + net.name);
  }
  const uPlot = await loadUPlot();
  let theme = context.theme;
  const yRange = valueLimits(nets);

  const root = element("div", "tn-live tn-live-compare");
  const key = element("p", "tn-key");
  const followedKey = keyEntry("line", "followed seed");
  const othersKey = keyEntry("line", "other seeds");
  const truthKey = nets.some((net) => net.truth) ? keyEntry("line", "true function") : null;
  const pointsKey = keyEntry("dot", "training points");
  key.append(...[followedKey, othersKey, truthKey, pointsKey].filter(Boolean).map((entry) => entry.node));
  const grid = element("div", "tn-panels");

  const layout = panelGrid(grid, {
    root, width: context.width, count: nets.length, shown: () => entries.length - group.hidden.size,
    resize(sizes, width) {
      for (const entry of entries) entry.chart.resize(sizes.width, sizes.height);
      if (shared) shared.resize(width);
    },
  });
  const legend = panelLegend(nets, { grid, onToggle(name) { group.toggle(name); } });
  const entries = legend.entries.map((entry) => {
    const chart = predictionPanel(uPlot, { net: entry.net, theme, width: layout.sizes.width,
                                           height: layout.sizes.height, yRange });
    entry.panel.append(chart.node);
    return { ...entry, chart, frame: 0, seedIndex: 0 };
  });

  const shared = context.element.dataset.tnLosses === "shared" ? sharedLosses() : null;

  const group = netGroup(context, { nets, what: "every net of this comparison", draw, applyHidden });
  const { hidden, timeline } = group;
  root.append(legend.node, key, grid, ...(shared ? [shared.node] : []), group.controls);

  function draw() {
    const epoch = group.epoch;
    for (const entry of entries) {
      const net = entry.net;
      Object.assign(entry, group.followed(net));
      if (hidden.has(net.name)) continue;
      entry.chart.show(entry.frame, entry.seedIndex);
      const own = net.frameEpochs[entry.frame];
      entry.status.textContent = netStatus(net, entry.seedIndex, errorDetail(net, entry.seedIndex, own), own, epoch);
    }
    if (shared) shared.panel.setEpochs(entries.map((entry) => entry.net.frameEpochs[entry.frame]));
    context.element.dataset.tnEpoch = String(epoch);
  }

  function applyHidden() {
    legend.set(hidden);
    if (shared) shared.panel.setHidden(hidden);
    layout.relayout();
    draw();
  }

  function paint() {
    legend.paint(theme);
    paintSwatch(followedKey.svg, css(theme.ink), 2.5);
    paintSwatch(othersKey.svg, css({ ...theme.ink, a: 0.3 }), 1.5);
    if (truthKey) paintSwatch(truthKey.svg, css(theme.truth), 4);
    paintSwatch(pointsKey.svg, css(theme.points));
  }

  paint();
  group.start();

  return {
    node: root,
    drawn() {
      return {
        kind: "compare", ...group.report(), columns: layout.sizes.columns, timeline,
        nets: entries.map((entry) => {
          const drawn = entry.chart.drawn();
          return { name: entry.net.name, label: entry.net.label, hidden: hidden.has(entry.net.name),
                   panelHidden: entry.panel.hidden, seed: drawn.seed, frame: drawn.frame,
                   epoch: drawn.epoch, prediction: drawn.followed, seeds: drawn.seeds,
                   yRange: drawn.yRange, status: entry.status.textContent, fontSizes: drawn.fontSizes,
                   canvas: drawn.canvas };
        }),
        theme: theme.report(Object.fromEntries(nets.map((net) => [net.name, net.color]))),
        ...(shared ? { losses: { ...shared.panel.drawn(), readout: shared.readout.textContent } } : {}),
      };
    },
    state: group.state,
    restore: group.restore,
    retheme(next) {
      theme = next;
      for (const entry of entries) entry.chart.retheme(next);
      if (shared) shared.panel.retheme(next);
      paint();
    },
    visible: group.visible,
    motionChanged: group.motionChanged,
    destroy() {
      group.play.destroy(); layout.stop(); for (const entry of entries) entry.chart.destroy();
      if (shared) shared.panel.destroy();
    },
  };

  /* the shared loss plot: every net's median, a dot where each net is now; readable by pointer
     and keys like loss_plot */
  function sharedLosses() {
    for (const net of nets) {
      if (!net.losses) throw new Error("compare's shared loss plot needs the losses of " + net.name);
    }
    const node = element("div", "tn-shared-losses");
    const title = element("p", "tn-panel-title");
    title.append(element("strong", null, "Training error"), " · median of each net's seeds");
    const readout = readoutLine("");
    const height = (width) => Math.round(Math.max(200, Math.min(280, width * 0.34)));
    const panel = lossesPanel(uPlot, { nets, theme, width: Math.floor(context.width), height: height(context.width),
                                       bands: false, marker: true,
                                       onReadout: (text) => { readout.textContent = text; } });
    node.append(title, panel.focusable(), readout);
    return { node, panel, readout, resize(width) { panel.resize(Math.floor(width), height(width)); } };
  }
}
