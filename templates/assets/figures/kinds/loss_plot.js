/* loss_plot(net): a net's training error per epoch for every seed (faint), their median (bold),
   the followed seed and the noise floor, on log axes; a seed picker; the pointer or the arrow
   keys read one seed's value. URL state: seed. */

import { loadUPlot } from "../plot.js";
import { formatError } from "../numbers.js";
import { lossPanel } from "../loss_panel.js";
import { element, keyEntry, paintSwatch, readoutLine, seedPicker } from "../controls.js";
import { css } from "../theme.js";
import { watchWidth } from "../layout.js";

function size(width) {
  return { width: Math.max(200, Math.floor(width)),
           height: Math.round(Math.max(240, Math.min(360, width * 0.45))) };
}

export default async function create(context) {
  const net = context.nets[0];
  if (context.nets.length !== 1) throw new Error("loss_plot(net) draws one net, the data holds " + context.nets.length);
  if (!net.losses) throw new Error("loss_plot(net) needs the net's losses");
  const uPlot = await loadUPlot();
  let theme = context.theme;
  let seedIndex = net.seeds.indexOf(net.shownSeed);

  const root = element("div", "tn-live tn-live-loss");
  const title = element("p", "tn-live-title");
  const swatch = element("span", "tn-net-swatch");
  swatch.setAttribute("aria-hidden", "true");
  const status = element("span", "tn-status");
  title.append(swatch, element("strong", null, net.label), " ", status);
  const followedKey = keyEntry("line", "");
  const othersKey = keyEntry("line", "other seeds");
  const medianKey = keyEntry("line", "median of " + net.seeds.length + " seeds");
  const floorKey = net.noiseFloor > 0 ? keyEntry("line", "noise floor") : null;
  const key = element("p", "tn-key");
  key.append(...[followedKey, othersKey, medianKey, floorKey].filter(Boolean).map((entry) => entry.node));

  const readout = readoutLine("");
  const first = size(context.width);
  const loss = lossPanel(uPlot, { net, theme, width: first.width, height: first.height, marker: false,
                                  onReadout: (text) => { readout.textContent = text; } });
  const focus = element("div", "tn-chart-focus");
  focus.tabIndex = 0;
  focus.setAttribute("role", "group");
  focus.setAttribute("aria-label", "Training error of " + net.label + " by epoch, every seed: " +
                     "arrow keys read a value, up and down change the seed read");
  focus.append(loss.node);
  focus.addEventListener("keydown", (event) => { if (loss.readKey(event.key)) event.preventDefault(); });
  focus.addEventListener("focus", () => loss.readKey("focus"));
  focus.addEventListener("blur", () => loss.stopReading());

  const controls = element("div", "tn-controls");
  const picker = seedPicker({
    seeds: net.seeds, median: net.shownSeed, label: "Seed followed",
    onPick(value) { setSeed(Number(value)); context.save({ seed: String(net.seeds[seedIndex]) }); },
  });
  controls.append(picker.node);
  root.append(title, key, focus, readout, controls);

  function seedName() {
    const seed = net.seeds[seedIndex];
    return "seed " + seed + (seed === net.shownSeed ? " (the median)" : "");
  }

  function setSeed(seed) {
    const index = net.seeds.indexOf(seed);
    if (index < 0) return;
    seedIndex = index;
    picker.set(seed);
    followedKey.node.lastChild.textContent = seedName();
    loss.setSeed(seedIndex);
    status.textContent = "· " + seedName() + ": final training error " +
      formatError(loss.valueAt(net.lossEpochs[net.lossEpochs.length - 1]));
    context.element.dataset.tnSeed = String(seed);
  }

  function paint() {
    const line = theme.net(net.color);
    swatch.style.background = css(line.line);
    paintSwatch(followedKey.svg, css(line.line), 2);
    paintSwatch(othersKey.svg, css(line.faint), 1.5);
    paintSwatch(medianKey.svg, css(theme.median), 3);
    if (floorKey) paintSwatch(floorKey.svg, css(theme.floor), 1.5, "4 3");
  }

  const stopWatching = watchWidth(root, (width) => {
    const next = size(width);
    loss.resize(next.width, next.height);
  });

  function restore(state) {
    if (state.seed != null && net.seeds.indexOf(Number(state.seed)) >= 0) setSeed(Number(state.seed));
  }

  paint();
  setSeed(net.shownSeed);
  if (context.state) restore(context.state);

  return {
    node: root,
    drawn() {
      const l = loss.drawn();
      return {
        kind: "loss_plot", seed: net.seeds[seedIndex],
        nets: [{ name: net.name, label: net.label, seed: l.seed,
                 lossCurve: { epochs: l.epochs, followed: l.followed, median: l.median },
                 lossRange: l.yRange, xRange: l.xRange, floor: l.floor }],
        status: title.textContent, readout: loss.reading(),
        theme: theme.report({ [net.name]: net.color }),
        fontSizes: l.fontSizes, canvases: [l.canvas],
      };
    },
    state() { return { seed: net.seeds[seedIndex] }; },
    restore,
    retheme(next) { theme = next; loss.retheme(next); paint(); },
    visible() {},
    motionChanged() {},
    destroy() { stopWatching(); loss.destroy(); },
  };
}
