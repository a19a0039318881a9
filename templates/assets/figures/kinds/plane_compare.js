/* plane_compare: compare([nets]) (and comparison()) of nets on 2-D data: each net's plane side by
   side at the same epoch, under one colour legend and one key, driven by one player over the
   union of their recorded epochs (each net shows its last frame at or before it, and says so
   when that is another epoch); a legend button per net hides or shows it; the seed picker
   follows each net's median seed or one seed number in every net; toggles hide the training or
   the test points in every panel.
   URL state: epoch, seed ("median" or a number), hidden (net names joined by "+"), points. */

import { stylesheet } from "../core.js";
import { formatEpoch } from "../numbers.js";
import { playback } from "../playback.js";
import { element, followedSeedPicker, player } from "../controls.js";
import { legendButton, panelTitle } from "../legend.js";
import { lastAtOrBefore } from "../data.js";
import { css } from "../theme.js";
import { GAP, gridSizes, watchWidth } from "../layout.js";
import { planeNet } from "../plane_net.js";
import { planePanel } from "../plane_panel.js";
import { headline } from "../plane_curves.js";
import { planeLook } from "../plane_look.js";
import { planeKey, pointToggles, pointsFrom, pointsText } from "../plane_key.js";
import { colourBar } from "../colour_bar.js";

export default async function create(context) {
  const planes = context.nets.map(planeNet);
  if (new Set(planes.map((plane) => plane.classification)).size > 1) {
    throw new Error("compare on the plane needs nets that all classify or all regress");
  }
  await stylesheet("./plane.css");
  let theme = context.theme;
  let looks = planes.map((plane) => planeLook(theme, plane));
  const timeline = Array.from(new Set(planes.flatMap((plane) => Array.from(plane.frameEpochs))))
    .sort((a, b) => a - b);
  const hidden = new Set();
  let seedChoice = "median";
  let index = timeline.length - 1;

  const root = element("div", "tn-live tn-live-plane-compare");
  const legend = element("div", "tn-legend");
  legend.setAttribute("role", "group");
  legend.setAttribute("aria-label", "Nets shown (press to hide or show one)");
  const key = planeKey(planes[0]);
  const bar = colourBar({ theme, width: context.width });
  const anyTests = planes.some((plane) => plane.test.x.length > 0);
  const toggles = pointToggles({ test: anyTests, onChange(points) {
    for (const entry of entries) entry.panel.setPoints(points);
    save();
  } });
  const grid = element("div", "tn-plane-grid");
  const readout = element("p", "tn-readout");
  readout.setAttribute("aria-live", "polite");

  let sizes = gridSizes(context.width, planes.length);
  const entries = planes.map((plane, position) => {
    const { button, swatch } = legendButton(plane.label);
    legend.append(button);
    const box = element("div", "tn-panel");
    const { title, swatch: panelSwatch, status } = panelTitle(plane.label);
    const panel = planePanel({ plane, theme, width: sizes.width,
                               onReadout: (text) => { readout.textContent = text ? plane.label + ": " + text : ""; } });
    box.append(title, panel.node);
    grid.append(box);
    const entry = { plane, position, button, swatch, panelSwatch, box, status, panel, frame: 0, seedIndex: 0 };
    button.addEventListener("click", () => {
      if (hidden.has(plane.name)) hidden.delete(plane.name); else hidden.add(plane.name);
      applyHidden();
      save();
    });
    return entry;
  });

  const controls = element("div", "tn-controls");
  const play = player({
    timeline, what: "every net of this comparison",
    onShow(position) { index = position; draw(); },
    onReader() { save(); },
  });
  const playing = playback(context, play);
  const picker = followedSeedPicker(planes, (value) => { setSeed(value); save(); });
  const allSeeds = picker.seeds;
  controls.append(play.node, picker.node);
  root.append(legend, bar.node, key.node, toggles.node, grid, readout, controls);

  function seedIndexOf(plane) {
    const wanted = seedChoice === "median" ? plane.shownSeed : Number(seedChoice);
    const found = plane.seeds.indexOf(wanted);
    return found >= 0 ? found : plane.seeds.indexOf(plane.shownSeed);
  }

  function draw() {
    const epoch = timeline[index];
    for (const entry of entries) {
      const plane = entry.plane;
      entry.frame = lastAtOrBefore(plane.frameEpochs, epoch);
      entry.seedIndex = seedIndexOf(plane);
      if (hidden.has(plane.name)) continue;
      const look = looks[entry.position];
      const values = plane.field(entry.frame, entry.seedIndex);
      entry.panel.draw({ values, map: look.field, contour: plane.classification ? values : null,
                         dashed: false, classes: look.classes, describe: look.describe });
      const own = plane.frameEpochs[entry.frame];
      let text = "· seed " + plane.seeds[entry.seedIndex] + " · " +
        (values.every(isFinite) ? headline(plane, entry.seedIndex, own) : "diverged");
      if (own !== epoch) text += " (shows epoch " + formatEpoch(own) + ")";
      entry.status.textContent = text;
    }
    context.element.dataset.tnEpoch = String(epoch);
  }

  function applyHidden() {
    for (const entry of entries) {
      const isHidden = hidden.has(entry.plane.name);
      entry.button.setAttribute("aria-pressed", isHidden ? "false" : "true");
      entry.box.hidden = isHidden;
    }
    relayout(lastWidth);
    draw();
  }

  function setSeed(value) {
    seedChoice = value === "median" ? "median" : String(Number(value));
    picker.set(seedChoice);
    draw();
  }

  function save() {
    const state = { epoch: String(timeline[index]), seed: seedChoice, hidden: Array.from(hidden).join("+") };
    const points = toggles.state();
    if (!(points.training && (points.test || !anyTests))) state.points = pointsText(points);
    context.save(state);
  }

  function paint() {
    for (const entry of entries) {
      const line = css(theme.net(entry.plane.color).line);
      entry.swatch.style.background = line;
      entry.panelSwatch.style.background = line;
    }
    key.paint(theme, looks[0]);
    bar.set(looks[0].legend);
  }

  let lastWidth = context.width;
  function relayout(width) {
    lastWidth = width;
    const shown = Math.max(1, entries.length - hidden.size);
    sizes = gridSizes(width, shown);
    grid.style.gridTemplateColumns = "repeat(" + sizes.columns + ", minmax(0, 1fr))";
    grid.style.gap = GAP + "px";
    bar.resize(width);
    for (const entry of entries) entry.panel.resize(sizes.width);
  }
  grid.style.gridTemplateColumns = "repeat(" + sizes.columns + ", minmax(0, 1fr))";
  const stopWatching = watchWidth(root, relayout);

  function restore(state) {
    if (state.hidden != null) {
      hidden.clear();
      for (const name of String(state.hidden).split("+")) {
        if (planes.some((plane) => plane.name === name)) hidden.add(name);
      }
      applyHidden();
    }
    if (state.seed != null && (state.seed === "median" || allSeeds.indexOf(Number(state.seed)) >= 0)) {
      setSeed(state.seed);
    }
    if (state.points != null) {
      toggles.set(pointsFrom(state.points));
      for (const entry of entries) entry.panel.setPoints(toggles.state());
    }
    if (state.epoch != null && isFinite(Number(state.epoch))) {
      playing.restoreAt(lastAtOrBefore(timeline, Number(state.epoch)));
    }
  }

  paint();
  draw();
  if (context.state) restore(context.state);


  return {
    node: root,
    drawn() {
      return {
        kind: "plane_compare", epoch: timeline[index], index, seed: seedChoice, hidden: Array.from(hidden),
        playing: play.playing, columns: sizes.columns, timeline, toggles: toggles.state(),
        legend: bar.drawn(),
        nets: entries.map((entry) => ({
          name: entry.plane.name, label: entry.plane.label, hidden: hidden.has(entry.plane.name),
          panelHidden: entry.box.hidden, seed: entry.plane.seeds[entry.seedIndex], frame: entry.frame,
          epoch: entry.plane.frameEpochs[entry.frame], status: entry.status.textContent,
          tolerance: entry.plane.tolerance, field: entry.panel.drawn(),
        })),
        readout: readout.textContent,
        theme: { ...theme.report(Object.fromEntries(planes.map((plane) => [plane.name, plane.color]))),
                 classes: looks[0].report() },
      };
    },
    state() { return { epoch: timeline[index], seed: seedChoice, hidden: Array.from(hidden),
                       points: pointsText(toggles.state()) }; },
    restore,
    retheme(next) {
      theme = next;
      looks = planes.map((plane) => planeLook(theme, plane));
      bar.retheme(next);
      for (const entry of entries) entry.panel.retheme(next);
      paint();
      draw();
    },
    visible: playing.visible,
    motionChanged: playing.motionChanged,
    destroy() { play.destroy(); stopWatching(); },
  };
}
