/* plane: figure(net) of a net on 2-D data. Left the plane: the net's output over it drawn
   smooth (a classifier's probability of class 1, or a regression's value) with its colour
   legend, the decision boundary (probability 0.5), the training points filled and the test
   points hollow in their classes' colours (toggles hide either set), axes; below it the hidden
   units, each a small picture of its output (hover, focus or press one to see it large). Right
   the error and accuracy per epoch, training solid and test dashed. One player, a seed picker.
   Computed in the browser from the weights at the frames (plane_net.js).
   URL state: epoch, seed, points ("train", "test", "none"; both when absent), unit ("2.5":
   layer 2, unit 5, when one is pressed). */

import { stylesheet } from "../core.js";
import { loadUPlot } from "../plot.js";
import { formatEpoch } from "../numbers.js";
import { playback } from "../playback.js";
import { element, player, readoutLine, seedPicker } from "../controls.js";
import { lastAtOrBefore } from "../data.js";
import { css } from "../theme.js";
import { panelSizes, watchWidth } from "../layout.js";
import { planeNet } from "../plane_net.js";
import { niceTicks, planePanel } from "../plane_panel.js";
import { curvesFocus, curvesHeight, headline, planeCurves } from "../plane_curves.js";
import { planeLook } from "../plane_look.js";
import { lineEntry, planeKey, pointToggles, pointsFrom, pointsText } from "../plane_key.js";
import { colourBar } from "../colour_bar.js";
import { MAX_UNITS, unitStrip, unitValues } from "../plane_units.js";

export default async function create(context) {
  if (context.nets.length !== 1) throw new Error("figure(net) draws one net, the data holds " + context.nets.length);
  const plane = planeNet(context.nets[0]);
  const [uPlot] = await Promise.all([loadUPlot(), stylesheet("./plane.css")]);
  let theme = context.theme;
  let look = planeLook(theme, plane);
  let seedIndex = plane.seeds.indexOf(plane.shownSeed);
  let frame = plane.frameEpochs.length - 1;
  let unitShown = null;

  const root = element("div", "tn-live tn-live-plane");
  const title = element("p", "tn-live-title");
  const swatch = element("span", "tn-net-swatch");
  swatch.setAttribute("aria-hidden", "true");
  const status = element("span", "tn-status");
  title.append(swatch, element("strong", null, plane.label), " ", status);

  const readout = readoutLine("");
  const say = (text) => { readout.textContent = text; };
  let sizes = panelSizes(context.width, 2);
  const panels = element("div", "tn-panels");
  const left = element("div", "tn-panel");
  const right = element("div", "tn-panel");
  panels.append(left, right);

  const field = planePanel({ plane, theme, width: sizes.width, onReadout: say });
  const bar = colourBar({ theme, width: sizes.width });
  const showing = element("p", "tn-plane-showing");
  const key = planeKey(plane);
  const toggles = pointToggles({ test: plane.test.x.length > 0, onChange(points) { field.setPoints(points); save(); } });
  left.append(showing, field.node, bar.node, key.node, toggles.node);

  const curves = planeCurves(uPlot, { plane, theme, width: sizes.width, height: curvesHeight(sizes.width, plane),
                                      marker: true, onReadout: say });
  const curvesKey = element("p", "tn-key");
  right.append(curvesKey, curvesFocus(curves, plane));

  const totalUnits = plane.layers.reduce((sum, units) => sum + units, 0);
  const units = totalUnits && totalUnits <= MAX_UNITS
    ? unitStrip({ plane, onShow(unit) { unitShown = unit; drawField(); save(); } }) : null;

  const timeline = Array.from(plane.frameEpochs);
  const controls = element("div", "tn-controls");
  const play = player({
    timeline, what: "the " + plane.label + " figure",
    onShow(index) { frame = index; draw(); },
    onReader() { save(); },
  });
  const playing = playback(context, play);
  const picker = seedPicker({
    seeds: plane.seeds, median: plane.shownSeed, label: "Seed followed",
    onPick(value) { setSeed(Number(value)); save(); },
  });
  controls.append(play.node, picker.node);
  root.append(title, panels, readout);
  if (units) root.append(units.node);
  root.append(controls);
  picker.set(plane.shownSeed);

  function seedName() {
    const seed = plane.seeds[seedIndex];
    return "seed " + seed + (seed === plane.shownSeed ? " (the median)" : "");
  }

  function drawField() {
    const output = plane.field(frame, seedIndex);
    if (unitShown) {
      const values = unitValues(plane, plane.hidden(frame, seedIndex), unitShown);
      const map = look.unitMap(values);
      field.draw({ values, map, contour: plane.classification ? output : null, dashed: true,
                   classes: look.classes, describe: (value) => "unit output " + value.toFixed(3) });
      bar.set({ map, title: "output of unit " + unitShown.unit + " of hidden layer " + unitShown.layer,
                log: false, ticks: niceTicks(map.low, map.high, 4), marks: [] });
      showing.textContent = "Showing unit " + unitShown.unit + " of hidden layer " + unitShown.layer +
        (plane.classification ? "; the net's decision boundary dashed" : "");
    } else {
      field.draw({ values: output, map: look.field, contour: plane.classification ? output : null,
                   dashed: false, classes: look.classes, describe: look.describe });
      bar.set(look.legend);
      showing.textContent = "Showing the net's output";
    }
  }

  function draw() {
    drawField();
    const epoch = timeline[frame];
    curves.setEpoch(epoch);
    if (units) units.update(frame, seedIndex, look);
    const diverged = !plane.field(frame, seedIndex).every(isFinite);
    status.textContent = "· " + seedName() + " · epoch " + formatEpoch(epoch) + ": " +
      (diverged ? "diverged" : headline(plane, seedIndex, epoch));
    context.element.dataset.tnEpoch = String(epoch);
    context.element.dataset.tnSeed = String(plane.seeds[seedIndex]);
  }

  function setSeed(seed) {
    const index = plane.seeds.indexOf(seed);
    if (index < 0) return;
    seedIndex = index;
    picker.set(seed);
    curves.setSeed(seedIndex);
    curvesKey.replaceChildren(...curveKeyEntries());
    draw();
  }

  function curveKeyEntries() {
    const line = css(theme.net(plane.color).line), faint = css(theme.net(plane.color).faint);
    const entries = [["training, " + seedName(), line, null, 2.2]];
    if (plane.curves.test_losses) entries.push(["test", line, "6 4", 2]);
    entries.push(["other seeds (training)", faint, null, 1.5]);
    if (plane.noiseFloor > 0) entries.push(["noise floor", css(theme.floor), "4 3", 1.5]);
    return entries.map(([text, colour, dash, width]) => lineEntry(text, colour, dash, width));
  }

  function save() {
    const state = { epoch: String(timeline[frame]), seed: String(plane.seeds[seedIndex]) };
    const points = toggles.state();
    if (!(points.training && (points.test || !toggles.boxes.test))) state.points = pointsText(points);
    const pinned = units && units.pinned();
    if (pinned) state.unit = pinned.layer + "." + pinned.unit;
    context.save(state);
  }

  function paint() {
    swatch.style.background = css(theme.net(plane.color).line);
    key.paint(theme, look);
    curvesKey.replaceChildren(...curveKeyEntries());
  }

  function layout(width) {
    sizes = panelSizes(width, 2);
    panels.classList.toggle("tn-stacked", sizes.stacked);
    field.resize(sizes.width);
    bar.resize(sizes.width);
    curves.resize(sizes.width, curvesHeight(sizes.width, plane));
  }
  panels.classList.toggle("tn-stacked", sizes.stacked);
  const stopWatching = watchWidth(root, layout);

  function restore(state) {
    if (state.seed != null && plane.seeds.indexOf(Number(state.seed)) >= 0) setSeed(Number(state.seed));
    if (state.points != null) {
      const points = pointsFrom(state.points);
      toggles.set(points);
      field.setPoints(toggles.state());
    }
    if (units && state.unit != null) {
      const [layer, unit] = String(state.unit).split(".").map(Number);
      if (plane.layers[layer - 1] >= unit && unit >= 1) units.pin({ layer, unit });
    }
    if (state.epoch != null && isFinite(Number(state.epoch))) {
      playing.restoreAt(lastAtOrBefore(timeline, Number(state.epoch)));
    }
  }

  paint();
  setSeed(plane.shownSeed);
  if (context.state) restore(context.state);


  return {
    node: root,
    drawn() {
      const panel = field.drawn();
      const curveReport = curves.drawn();
      return {
        kind: "plane", epoch: timeline[frame], frame, seed: plane.seeds[seedIndex], playing: play.playing,
        layout: sizes.stacked ? "stacked" : "side by side", side: plane.side, tolerance: plane.tolerance,
        showing: unitShown ? { ...unitShown } : "output",
        field: panel, legend: bar.drawn(), curves: curveReport,
        units: units ? units.drawn() : null,
        toggles: toggles.state(),
        status: title.textContent, readout: readout.textContent,
        lut: { low: look.field.low, high: look.field.high, rgb: Array.from(look.field.rgb) },
        theme: { ...theme.report({ [plane.name]: plane.color }), classes: look.report() },
        fontSizes: panel.fontSizes.concat(bar.drawn().fontSizes,
                                          ...curveReport.panels.map((entry) => entry.fontSizes)),
        canvases: [panel.canvas].concat(curveReport.panels.map((entry) => entry.canvas)),
      };
    },
    state() {
      return { epoch: timeline[frame], seed: plane.seeds[seedIndex], points: pointsText(toggles.state()),
               unit: units && units.pinned() ? units.pinned().layer + "." + units.pinned().unit : null };
    },
    restore,
    retheme(next) {
      theme = next;
      look = planeLook(theme, plane);
      field.retheme(next);
      bar.retheme(next);
      curves.retheme(next);
      paint();
      draw();
    },
    visible: playing.visible,
    motionChanged: playing.motionChanged,
    destroy() { play.destroy(); stopWatching(); curves.destroy(); },
  };
}

