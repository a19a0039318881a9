/* compare([nets]): several nets' predictions side by side on ONE y scale, driven by one player
   over the union of their recorded epochs (each net shows its last frame at or before the
   epoch, and says so when that is another epoch). A legend button per net hides or shows it;
   a seed picker follows each net's median seed or one seed number in every net.
   With data-tn-losses="shared" on the element, one loss plot under the panels holds every
   net's median training error (losses_panel.js), marked at the epoch each net shows; without
   it (the default) there is none.
   URL state: epoch, seed ("median" or a number), hidden (net names joined by "+"). */

import { loadUPlot } from "../plot.js";
import { formatEpoch, formatError, valueLimits } from "../numbers.js";
import { predictionPanel } from "../prediction_panel.js";
import { element, followedSeedPicker, keyEntry, paintSwatch, player, readoutLine } from "../controls.js";
import { legendButton, panelTitle } from "../legend.js";
import { lossesPanel } from "../losses_panel.js";
import { lastAtOrBefore, lossesOf } from "../data.js";
import { css } from "../theme.js";
import { GAP, gridSizes, watchWidth } from "../layout.js";

export default async function create(context) {
  const nets = context.nets;
  for (const net of nets) {
    if (!net.predictions) throw new Error("compare needs the predictions of " + net.name);
  }
  const uPlot = await loadUPlot();
  let theme = context.theme;
  const timeline = Array.from(new Set(nets.flatMap((net) => Array.from(net.frameEpochs))))
    .sort((a, b) => a - b);
  const yRange = valueLimits(nets);
  const hidden = new Set();
  let seedChoice = "median";
  let index = timeline.length - 1;
  let restored = false;

  const root = element("div", "tn-live tn-live-compare");
  const legend = element("div", "tn-legend");
  legend.setAttribute("role", "group");
  legend.setAttribute("aria-label", "Nets shown (press to hide or show one)");
  const key = element("p", "tn-key");
  const followedKey = keyEntry("line", "followed seed");
  const othersKey = keyEntry("line", "other seeds");
  const truthKey = nets.some((net) => net.truth) ? keyEntry("line", "true function") : null;
  const pointsKey = keyEntry("dot", "training points");
  key.append(...[followedKey, othersKey, truthKey, pointsKey].filter(Boolean).map((entry) => entry.node));
  const grid = element("div", "tn-panels");

  let sizes = gridSizes(context.width, nets.length);
  const entries = nets.map((net) => {
    const { button, swatch } = legendButton(net.label);
    legend.append(button);

    const panel = element("div", "tn-panel");
    const { title, swatch: panelSwatch, status } = panelTitle(net.label);
    const chart = predictionPanel(uPlot, { net, theme, width: sizes.width, height: sizes.height, yRange });
    panel.append(title, chart.node);
    grid.append(panel);
    const entry = { net, button, swatch, panelSwatch, panel, status, chart, frame: 0, seedIndex: 0 };
    button.addEventListener("click", () => {
      if (hidden.has(net.name)) hidden.delete(net.name); else hidden.add(net.name);
      applyHidden();
      save();
    });
    return entry;
  });

  const shared = context.element.dataset.tnLosses === "shared" ? sharedLosses() : null;

  const controls = element("div", "tn-controls");
  const play = player({
    timeline, what: "every net of this comparison",
    onShow(position) { index = position; draw(); },
    onReader() { save(); },
  });
  const picker = followedSeedPicker(nets, (value) => { setSeed(value); save(); });
  const allSeeds = picker.seeds;
  controls.append(play.node, picker.node);
  root.append(legend, key, grid, ...(shared ? [shared.node] : []), controls);

  function seedIndexOf(net) {
    const wanted = seedChoice === "median" ? net.shownSeed : Number(seedChoice);
    const found = net.seeds.indexOf(wanted);
    return found >= 0 ? found : net.seeds.indexOf(net.shownSeed);
  }

  function draw() {
    const epoch = timeline[index];
    for (const entry of entries) {
      const net = entry.net;
      entry.frame = lastAtOrBefore(net.frameEpochs, epoch);
      entry.seedIndex = seedIndexOf(net);
      if (hidden.has(net.name)) continue;
      entry.chart.show(entry.frame, entry.seedIndex);
      const own = net.frameEpochs[entry.frame];
      let text = "· seed " + net.seeds[entry.seedIndex];
      if (own >= 1 && net.lossEpochs) {
        const at = lastAtOrBefore(net.lossEpochs, own);
        text += " · error " + formatError(net.lossEpochs[at] === own ? lossesOf(net, entry.seedIndex)[at] : NaN);
      }
      if (own !== epoch) text += " (shows epoch " + formatEpoch(own) + ")";
      entry.status.textContent = text;
    }
    if (shared) shared.panel.setEpochs(entries.map((entry) => entry.net.frameEpochs[entry.frame]));
    context.element.dataset.tnEpoch = String(epoch);
  }

  function applyHidden() {
    for (const entry of entries) {
      const isHidden = hidden.has(entry.net.name);
      entry.button.setAttribute("aria-pressed", isHidden ? "false" : "true");
      entry.panel.hidden = isHidden;
    }
    if (shared) shared.panel.setHidden(hidden);
    relayout(lastWidth);
    draw();
  }

  function setSeed(value) {
    seedChoice = value === "median" ? "median" : String(Number(value));
    picker.set(seedChoice);
    draw();
  }

  function save() {
    context.save({ epoch: String(timeline[index]), seed: seedChoice,
                   hidden: Array.from(hidden).join("+") });
  }

  function paint() {
    for (const entry of entries) {
      const line = css(theme.net(entry.net.color).line);
      entry.swatch.style.background = line;
      entry.panelSwatch.style.background = line;
    }
    paintSwatch(followedKey.svg, css(theme.ink), 2.5);
    paintSwatch(othersKey.svg, css({ ...theme.ink, a: 0.3 }), 1.5);
    if (truthKey) paintSwatch(truthKey.svg, css(theme.truth), 4);
    paintSwatch(pointsKey.svg, css(theme.points));
  }

  let lastWidth = context.width;
  function relayout(width) {
    lastWidth = width;
    const shown = Math.max(1, entries.length - hidden.size);
    sizes = gridSizes(width, shown);
    grid.style.gridTemplateColumns = "repeat(" + sizes.columns + ", minmax(0, 1fr))";
    grid.style.gap = GAP + "px";
    for (const entry of entries) entry.chart.resize(sizes.width, sizes.height);
    if (shared) shared.resize(width);
  }
  grid.style.gridTemplateColumns = "repeat(" + sizes.columns + ", minmax(0, 1fr))";
  const stopWatching = watchWidth(root, relayout);

  function restore(state) {
    if (state.hidden != null) {
      hidden.clear();
      for (const name of String(state.hidden).split("+")) {
        if (nets.some((net) => net.name === name)) hidden.add(name);
      }
      applyHidden();
    }
    if (state.seed != null && (state.seed === "median" || allSeeds.indexOf(Number(state.seed)) >= 0)) {
      setSeed(state.seed);
    }
    if (state.epoch != null && isFinite(Number(state.epoch))) {
      play.pause();
      restored = true;
      play.show(lastAtOrBefore(timeline, Number(state.epoch)), false);
    }
  }

  paint();
  draw();
  if (context.state) restore(context.state);

  let visible = false;
  function autoplay() {
    if (visible && context.autoplay && !context.motion.matches && !restored && !play.readerPaused) {
      play.play();
    }
  }

  return {
    node: root,
    drawn() {
      return {
        kind: "compare", epoch: timeline[index], index, seed: seedChoice, hidden: Array.from(hidden),
        playing: play.playing, columns: sizes.columns, timeline,
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
    state() { return { epoch: timeline[index], seed: seedChoice, hidden: Array.from(hidden) }; },
    restore,
    retheme(next) {
      theme = next;
      for (const entry of entries) entry.chart.retheme(next);
      if (shared) shared.panel.retheme(next);
      paint();
    },
    visible(isVisible) {
      visible = isVisible;
      if (!isVisible) play.pause(); else autoplay();
    },
    motionChanged() { if (context.motion.matches) play.pause(); else autoplay(); },
    destroy() {
      play.destroy(); stopWatching(); for (const entry of entries) entry.chart.destroy();
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
