/* plane_compare: compare([nets]) (and comparison()) of nets on 2-D data: each net's plane side by
   side at the same epoch, under one colour legend and one key, driven by one player over the
   union of their recorded epochs (each net shows its last frame at or before it, and says so
   when that is another epoch); a legend button per net hides or shows it; the seed picker
   follows each net's median seed or one seed number in every net; toggles hide the training or
   the test points in every panel.
   URL state: epoch, seed ("median" or a number), hidden (net names joined by "+"), points. */

import { stylesheet } from "../core.js";
import { element } from "../controls.js";
import { panelLegend } from "../legend.js";
import { panelGrid } from "../layout.js";
import { netGroup, netStatus } from "../group.js";
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

  const root = element("div", "tn-live tn-live-plane-compare");
  const key = planeKey(planes[0]);
  const bar = colourBar({ theme, width: context.width });
  const anyTests = planes.some((plane) => plane.test.x.length > 0);
  const toggles = pointToggles({ test: anyTests, onChange(points) {
    for (const entry of entries) entry.panel.setPoints(points);
    group.save();
  } });
  const grid = element("div", "tn-plane-grid");
  const readout = element("p", "tn-readout");
  readout.setAttribute("aria-live", "polite");

  const layout = panelGrid(grid, {
    root, width: context.width, count: planes.length, shown: () => entries.length - group.hidden.size,
    resize(sizes, width) {
      bar.resize(width);
      for (const entry of entries) entry.panel.resize(sizes.width);
    },
  });
  const legend = panelLegend(planes, { grid, onToggle(name) { group.toggle(name); } });
  const entries = legend.entries.map((entry, position) => {
    const plane = entry.net;
    const panel = planePanel({ plane, theme, width: layout.sizes.width,
                               onReadout: (text) => { readout.textContent = text ? plane.label + ": " + text : ""; } });
    entry.panel.append(panel.node);
    // box: the titled panel element; panel: the plane drawn in it
    return { ...entry, plane, position, box: entry.panel, panel, frame: 0, seedIndex: 0 };
  });

  const group = netGroup(context, {
    nets: planes, what: "every net of this comparison", draw, applyHidden,
    // the points shown ride in the URL only when some are hidden
    extraState() {
      const points = toggles.state();
      return points.training && (points.test || !anyTests) ? {} : { points: pointsText(points) };
    },
    restoreExtra(state) {
      if (state.points != null) {
        toggles.set(pointsFrom(state.points));
        for (const entry of entries) entry.panel.setPoints(toggles.state());
      }
    },
  });
  const { hidden, timeline } = group;
  root.append(legend.node, bar.node, key.node, toggles.node, grid, readout, group.controls);

  function draw() {
    const epoch = group.epoch;
    for (const entry of entries) {
      const plane = entry.plane;
      Object.assign(entry, group.followed(plane));
      if (hidden.has(plane.name)) continue;
      const look = looks[entry.position];
      const values = plane.field(entry.frame, entry.seedIndex);
      entry.panel.draw({ values, map: look.field, contour: plane.classification ? values : null,
                         dashed: false, classes: look.classes, describe: look.describe });
      const own = plane.frameEpochs[entry.frame];
      entry.status.textContent = netStatus(plane, entry.seedIndex, " · " +
        (values.every(isFinite) ? headline(plane, entry.seedIndex, own) : "diverged"), own, epoch);
    }
    context.element.dataset.tnEpoch = String(epoch);
  }

  function applyHidden() {
    legend.set(hidden);
    layout.relayout();
    draw();
  }

  function paint() {
    legend.paint(theme);
    key.paint(theme, looks[0]);
    bar.set(looks[0].legend);
  }

  paint();
  group.start();

  return {
    node: root,
    drawn() {
      return {
        kind: "plane_compare", ...group.report(), columns: layout.sizes.columns, timeline, toggles: toggles.state(),
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
    state() { return { ...group.state(), points: pointsText(toggles.state()) }; },
    restore: group.restore,
    retheme(next) {
      theme = next;
      looks = planes.map((plane) => planeLook(theme, plane));
      bar.retheme(next);
      for (const entry of entries) entry.panel.retheme(next);
      paint();
      draw();
    },
    visible: group.visible,
    motionChanged: group.motionChanged,
    destroy() { group.play.destroy(); layout.stop(); },
  };
}
