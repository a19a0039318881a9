/* plane_loss: loss_plot(net) of a net on 2-D data: its error and (for a classifier) accuracy
   per epoch, training solid and test dashed for the followed seed, every seed's training curve
   faint; a seed picker; the pointer or the arrow keys read the values at an epoch.
   URL state: seed. */

import { stylesheet } from "../core.js";
import { loadUPlot } from "../plot.js";
import { formatError } from "../numbers.js";
import { element, readoutLine, seedPicker } from "../controls.js";
import { css } from "../theme.js";
import { watchWidth } from "../layout.js";
import { planeNet } from "../plane_net.js";
import { curvesFocus, curvesHeight, headline, planeCurves } from "../plane_curves.js";
import { lineEntry } from "../plane_key.js";

export default async function create(context) {
  if (context.nets.length !== 1) throw new Error("loss_plot(net) draws one net, the data holds " + context.nets.length);
  const plane = planeNet(context.nets[0]);
  const [uPlot] = await Promise.all([loadUPlot(), stylesheet("./plane.css")]);
  let theme = context.theme;
  let seedIndex = plane.seeds.indexOf(plane.shownSeed);
  const width = () => Math.max(200, Math.floor(Math.min(context.width, 720)));

  const root = element("div", "tn-live tn-live-plane-loss");
  const title = element("p", "tn-live-title");
  const swatch = element("span", "tn-net-swatch");
  swatch.setAttribute("aria-hidden", "true");
  const status = element("span", "tn-status");
  title.append(swatch, element("strong", null, plane.label), " ", status);
  const key = element("p", "tn-key");
  const readout = readoutLine("");
  const curves = planeCurves(uPlot, { plane, theme, width: width(), height: curvesHeight(width(), plane) * 0.8,
                                      marker: false, onReadout: (text) => { readout.textContent = text; } });
  const focus = curvesFocus(curves, plane);
  const controls = element("div", "tn-controls");
  const picker = seedPicker({
    seeds: plane.seeds, median: plane.shownSeed, label: "Seed followed",
    onPick(value) { setSeed(Number(value)); context.save({ seed: String(plane.seeds[seedIndex]) }); },
  });
  controls.append(picker.node);
  root.append(title, key, focus, readout, controls);

  function seedName() {
    const seed = plane.seeds[seedIndex];
    return "seed " + seed + (seed === plane.shownSeed ? " (the median)" : "");
  }

  function paint() {
    const line = css(theme.net(plane.color).line), faint = css(theme.net(plane.color).faint);
    swatch.style.background = line;
    const entries = [lineEntry("training, " + seedName(), line, null, 2.2)];
    if (plane.curves.test_losses) entries.push(lineEntry("test", line, "6 4", 2));
    entries.push(lineEntry("other seeds (training)", faint, null, 1.5));
    if (plane.noiseFloor > 0) entries.push(lineEntry("noise floor", css(theme.floor), "4 3", 1.5));
    key.replaceChildren(...entries);
  }

  function setSeed(seed) {
    const index = plane.seeds.indexOf(seed);
    if (index < 0) return;
    seedIndex = index;
    picker.set(seed);
    curves.setSeed(seedIndex);
    status.textContent = "· " + seedName() + ": final " + headline(plane, seedIndex, plane.epochs);
    context.element.dataset.tnSeed = String(seed);
    paint();
  }

  const stopWatching = watchWidth(root, (next) => {
    const size = Math.max(200, Math.floor(Math.min(next, 720)));
    curves.resize(size, curvesHeight(size, plane) * 0.8);
  });

  function restore(state) {
    if (state.seed != null && plane.seeds.indexOf(Number(state.seed)) >= 0) setSeed(Number(state.seed));
  }

  setSeed(plane.shownSeed);
  if (context.state) restore(context.state);

  return {
    node: root,
    drawn() {
      const report = curves.drawn();
      return {
        kind: "plane_loss", seed: plane.seeds[seedIndex], curves: report,
        final: formatError(plane.curves.losses[seedIndex][plane.lossEpochs.length - 1]),
        status: title.textContent, readout: readout.textContent,
        theme: theme.report({ [plane.name]: plane.color }),
        fontSizes: report.panels.flatMap((entry) => entry.fontSizes),
        canvases: report.panels.map((entry) => entry.canvas),
      };
    },
    state() { return { seed: plane.seeds[seedIndex] }; },
    restore,
    retheme(next) { theme = next; curves.retheme(next); paint(); },
    visible() {},
    motionChanged() {},
    destroy() { stopWatching(); curves.destroy(); },
  };
}
