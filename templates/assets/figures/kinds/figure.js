/* figure(net): a net learning. Left its predictions over the input (every seed faint, the
   followed seed bold, the true function, the training points), right its training error per
   epoch (every seed faint, the median bold, the noise floor, a marker at the shown epoch);
   one player, a seed picker; the panels stack on a narrow screen.
   URL state: epoch, seed.

   ``extension`` (optional; units.js passes one) adds to the prediction panel: { kind,
   prediction (predictionPanel options), mount({ panel, chart, theme }),
   show(frame, seedIndex), paint(theme), drawn(), destroy() }. */

import { loadUPlot } from "../plot.js";
import { formatEpoch, formatError, valueLimits } from "../numbers.js";
import { predictionPanel } from "../prediction_panel.js";
import { lossPanel } from "../loss_panel.js";
import { element, keyEntry, paintSwatch, player, readoutLine, seedPicker } from "../controls.js";
import { lastAtOrBefore } from "../data.js";
import { css } from "../theme.js";
import { panelSizes, watchWidth } from "../layout.js";

export default async function create(context, extension = {}) {
  const net = context.nets[0];
  if (context.nets.length !== 1) throw new Error("figure(net) draws one net, the data holds " + context.nets.length);
  if (!net.predictions || !net.losses) throw new Error("figure(net) needs the net's predictions and losses");
  const uPlot = await loadUPlot();
  let theme = context.theme;
  let seedIndex = net.seeds.indexOf(net.shownSeed);
  let frame = net.frameEpochs.length - 1;
  let restored = false;

  const root = element("div", "tn-live tn-live-figure");
  const title = element("p", "tn-live-title");
  const swatch = element("span", "tn-net-swatch");
  swatch.setAttribute("aria-hidden", "true");
  const status = element("span", "tn-status");
  title.append(swatch, element("strong", null, net.label), " ", status);

  const panels = element("div", "tn-panels");
  const left = element("div", "tn-panel");
  const right = element("div", "tn-panel");
  panels.append(left, right);

  const followedKey = keyEntry("line", "");
  const othersKey = extension.prediction && extension.prediction.seedLines === false ? null
    : keyEntry("line", "other seeds");
  const truthKey = net.truth ? keyEntry("line", "true function") : null;
  const pointsKey = keyEntry("dot", "training points");
  const leftKey = element("p", "tn-key");
  leftKey.append(...[followedKey, othersKey, truthKey, pointsKey].filter(Boolean).map((entry) => entry.node));
  const lossFollowedKey = keyEntry("line", "");
  const medianKey = keyEntry("line", "median of " + net.seeds.length + " seeds");
  const floorKey = net.noiseFloor > 0 ? keyEntry("line", "noise floor") : null;
  const rightKey = element("p", "tn-key");
  rightKey.append(...[lossFollowedKey, medianKey, floorKey].filter(Boolean).map((entry) => entry.node));

  const sizes = panelSizes(context.width, 2);
  const prediction = predictionPanel(uPlot, { net, theme, width: sizes.width, height: sizes.height,
                                              yRange: valueLimits([net]), ...extension.prediction });
  const readout = readoutLine("");
  const loss = lossPanel(uPlot, { net, theme, width: sizes.width, height: sizes.height, marker: true,
                                  onReadout: (text) => { readout.textContent = text; } });
  const lossFocus = element("div", "tn-chart-focus");
  lossFocus.tabIndex = 0;
  lossFocus.setAttribute("role", "group");
  lossFocus.setAttribute("aria-label", "Training error of " + net.label + " by epoch, every seed: " +
                         "arrow keys read a value, up and down change the seed read");
  lossFocus.append(loss.node);
  lossFocus.addEventListener("keydown", (event) => {
    if (loss.readKey(event.key)) event.preventDefault();
  });
  lossFocus.addEventListener("focus", () => loss.readKey("focus"));
  lossFocus.addEventListener("blur", () => loss.stopReading());
  left.append(leftKey, prediction.node);
  if (extension.mount) extension.mount({ panel: left, chart: prediction, theme });
  right.append(rightKey, lossFocus, readout);

  const timeline = Array.from(net.frameEpochs);
  const controls = element("div", "tn-controls");
  const play = player({
    timeline, what: "the " + net.label + " figure",
    onShow(index) { frame = index; draw(); },
    onReader() { save(); },
  });
  const picker = seedPicker({
    seeds: net.seeds, median: net.shownSeed, label: "Seed followed",
    onPick(value) { setSeed(Number(value)); save(); },
  });
  controls.append(play.node, picker.node);
  root.append(title, panels, controls);
  picker.set(net.shownSeed);

  function seedName() {
    const seed = net.seeds[seedIndex];
    return "seed " + seed + (seed === net.shownSeed ? " (the median)" : "");
  }

  function draw() {
    if (extension.show) extension.show(frame, seedIndex);
    prediction.show(frame, seedIndex);
    const epoch = timeline[frame];
    loss.setEpoch(epoch);
    const value = epoch >= 1 ? loss.valueAt(epoch) : NaN;
    status.textContent = "· " + seedName() + " · epoch " + formatEpoch(epoch) + ": " +
      (epoch >= 1 ? "training error " + formatError(value) : "untrained");
    context.element.dataset.tnEpoch = String(epoch);
    context.element.dataset.tnSeed = String(net.seeds[seedIndex]);
  }

  function setSeed(seed) {
    const index = net.seeds.indexOf(seed);
    if (index < 0) return;
    seedIndex = index;
    picker.set(seed);
    followedKey.node.lastChild.textContent = seedName();
    lossFollowedKey.node.lastChild.textContent = seedName();
    loss.setSeed(seedIndex);
    draw();
  }

  function save() {
    context.save({ epoch: String(timeline[frame]), seed: String(net.seeds[seedIndex]) });
  }

  function paint() {
    const line = theme.net(net.color);
    swatch.style.background = css(line.line);
    paintSwatch(followedKey.svg, css(line.line), 2.5);
    if (othersKey) paintSwatch(othersKey.svg, css(line.faint), 1.5);
    if (truthKey) paintSwatch(truthKey.svg, css(theme.truth), 4);
    paintSwatch(pointsKey.svg, css(theme.points));
    paintSwatch(lossFollowedKey.svg, css(line.line), 2);
    paintSwatch(medianKey.svg, css(theme.median), 3);
    if (floorKey) paintSwatch(floorKey.svg, css(theme.floor), 1.5, "4 3");
    if (extension.paint) extension.paint(theme);
  }

  let stacked = sizes.stacked;
  function layout(width) {
    const next = panelSizes(width, 2);
    stacked = next.stacked;
    panels.classList.toggle("tn-stacked", stacked);
    prediction.resize(next.width, next.height);
    loss.resize(next.width, next.height);
  }
  panels.classList.toggle("tn-stacked", stacked);
  const stopWatching = watchWidth(root, layout);

  function restore(state) {
    if (state.seed != null && net.seeds.indexOf(Number(state.seed)) >= 0) setSeed(Number(state.seed));
    if (state.epoch != null && isFinite(Number(state.epoch))) {
      play.pause();
      restored = true;
      play.show(lastAtOrBefore(timeline, Number(state.epoch)), false);
    }
  }

  paint();
  setSeed(net.shownSeed);
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
      const p = prediction.drawn(), l = loss.drawn();
      return {
        kind: extension.kind || "figure", epoch: timeline[frame], frame, seed: net.seeds[seedIndex],
        playing: play.playing, layout: stacked ? "stacked" : "side by side",
        nets: [{ name: net.name, label: net.label, seed: p.seed, frame: p.frame, epoch: p.epoch,
                 prediction: p.followed, seeds: p.seeds, truth: p.truth, grid: p.grid,
                 yRange: p.yRange, loss: l.marker, lossCurve: { epochs: l.epochs, followed: l.followed, median: l.median },
                 lossRange: l.yRange, floor: l.floor }],
        status: title.textContent, readout: loss.reading(),
        theme: theme.report({ [net.name]: net.color }),
        fontSizes: p.fontSizes.concat(l.fontSizes), canvases: [p.canvas, l.canvas],
        ...(extension.drawn ? extension.drawn() : {}),
      };
    },
    state() { return { epoch: timeline[frame], seed: net.seeds[seedIndex] }; },
    restore,
    retheme(next) {
      theme = next;
      prediction.retheme(next);
      loss.retheme(next);
      paint();
    },
    visible(isVisible) {
      visible = isVisible;
      if (!isVisible) play.pause(); else autoplay();
    },
    motionChanged() { if (context.motion.matches) play.pause(); else autoplay(); },
    destroy() {
      play.destroy(); stopWatching(); prediction.destroy(); loss.destroy();
      if (extension.destroy) extension.destroy();
    },
  };
}
