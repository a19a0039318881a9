/* comparison(): every net of the post on one plot (shared axes: the same x and y), driven by
   one player over the union of their recorded epochs; each net shows its last frame at or
   before the epoch (and says so when that is another epoch). A legend button per net hides or
   shows it and carries its error at the shown epoch; pointing at or focusing a button brings
   that net's line to the front. A seed picker follows each net's median seed (the default) or
   one seed number in every net.
   Data: the post's nets (their figure files); the true function and the points are the first
   net's (a post's nets share their data).
   URL state: epoch, seed ("median" or a number), hidden (net names joined by "+"). */

import { axis, canvasReport, clip, fontSizes, loadUPlot, pixelRatio, plain } from "../plot.js";
import { valueLimits } from "../numbers.js";
import { element, keyEntry, paintSwatch } from "../controls.js";
import { predictionAt } from "../data.js";
import { netLegend } from "../legend.js";
import { errorDetail, netGroup, netStatus } from "../group.js";
import { drawDots } from "../prediction_panel.js";
import { css } from "../theme.js";
import { watchWidth } from "../layout.js";

function size(width) {
  return { width: Math.max(200, Math.floor(width)),
           height: Math.round(Math.max(260, Math.min(420, width * 0.52))) };
}

export default async function create(context) {
  const nets = context.nets;
  for (const net of nets) {
    if (!net.predictions) throw new Error("comparison needs the predictions of " + net.name);
  }
  if (new Set(nets.map((net) => net.name)).size !== nets.length) {
    throw new Error("comparison: a net is named twice in its data");
  }
  const uPlot = await loadUPlot();
  const holder = { theme: context.theme };
  let front = null;    // the net brought to the front (legend pointed at or focused)
  const data = nets[0];   // the points and the true function (a post's nets share their data)
  const grid = Array.from(data.grid);
  const shown = nets.map((net) => ({ frame: net.frameEpochs.length - 1, seedIndex: net.seeds.indexOf(net.shownSeed) }));

  const root = element("div", "tn-live tn-live-comparison");
  const legend = netLegend(nets, { onToggle(name) { group.toggle(name); } });
  legend.entries.forEach((entry, position) => {
    const bring = () => { front = position; chart.redraw(false); };
    const leave = () => { if (front === position) { front = null; chart.redraw(false); } };
    entry.button.addEventListener("pointerenter", bring);
    entry.button.addEventListener("focus", bring);
    entry.button.addEventListener("pointerleave", leave);
    entry.button.addEventListener("blur", leave);
  });
  const followedKey = keyEntry("line", "each net's followed seed");
  const truthKey = data.truth ? keyEntry("line", "true function") : null;
  const pointsKey = keyEntry("dot", "training points");
  const key = element("p", "tn-key");
  key.append(...[followedKey, truthKey, pointsKey].filter(Boolean).map((entry) => entry.node));

  const series = [{}, { label: "true function", stroke: () => css(holder.theme.truth), width: 4,
                        points: { show: false } }];
  for (const net of nets) {
    series.push({ label: net.label, stroke: () => css(holder.theme.net(net.color).line), width: 2.5,
                  points: { show: false } });
  }

  const drawPoints = (u) => drawDots(u, holder.theme, data.pointsX, data.pointsY);

  function drawFront(u) {   // the chosen net's line again, over the others
    if (front == null || hidden.has(nets[front].name)) return;
    const values = u.data[front + 2];
    clip(u, (context2d) => {
      context2d.strokeStyle = css(holder.theme.net(nets[front].color).line);
      context2d.lineWidth = 3.5 * pixelRatio();
      context2d.lineJoin = "round";
      context2d.beginPath();
      let pen = false;
      for (let i = 0; i < values.length; i++) {
        if (values[i] == null) { pen = false; continue; }
        const x = u.valToPos(u.data[0][i], "x", true), y = u.valToPos(values[i], "y", true);
        if (pen) context2d.lineTo(x, y); else context2d.moveTo(x, y);
        pen = true;
      }
      context2d.stroke();
    });
  }

  function dataNow() {
    const columns = [grid, data.truth ? plain(data.truth) : grid.map(() => null)];
    nets.forEach((net, position) => {
      const { frame, seedIndex } = shown[position];
      columns.push(plain(predictionAt(net, frame, seedIndex)));
    });
    return columns;
  }

  const first = size(context.width);
  const chart = new uPlot({
    width: first.width, height: first.height, legend: { show: false },
    cursor: { show: false, drag: { x: false, y: false, setScale: false } },
    select: { show: false },
    scales: { x: { time: false, range: [grid[0], grid[grid.length - 1]] },
              y: { range: valueLimits(nets) } },
    axes: [axis(holder, "input x", { size: 34 }), axis(holder, "output y", { size: 46 })],
    series,
    hooks: { drawSeries: [(u, position) => { if (position === 1) drawPoints(u); }], draw: [drawFront] },
  }, dataNow());
  chart.root.setAttribute("aria-hidden", "true");   // described by the legend and the key

  const group = netGroup(context, { nets, what: "every net of this comparison", draw, applyHidden });
  const { hidden, timeline } = group;
  const lastEpoch = timeline[timeline.length - 1];
  root.append(legend.node, key, chart.root, group.controls);

  function draw() {
    const epoch = group.epoch;
    nets.forEach((net, position) => {
      const entry = Object.assign(shown[position], group.followed(net));
      const own = net.frameEpochs[entry.frame];
      // a space after the label, which flows with the status as one text in the button
      legend.entries[position].status.textContent =
        " " + netStatus(net, entry.seedIndex, errorDetail(net, entry.seedIndex, own), own, epoch);
    });
    chart.setData(dataNow(), false);
    context.element.dataset.tnEpoch = String(epoch);
  }

  function applyHidden() {
    legend.set(hidden);
    nets.forEach((net, position) => chart.setSeries(position + 2, { show: !hidden.has(net.name) }));
    chart.redraw(false);
  }

  function paint() {
    legend.paint(holder.theme);
    paintSwatch(followedKey.svg, css(holder.theme.ink), 2.5);
    if (truthKey) paintSwatch(truthKey.svg, css(holder.theme.truth), 4);
    paintSwatch(pointsKey.svg, css(holder.theme.points));
  }

  const stopWatching = watchWidth(root, (width) => {
    const next = size(width);
    chart.setSize(next);
  });

  paint();
  group.start();

  return {
    node: root,
    drawn() {
      return {
        kind: "comparison", ...group.report(), lastEpoch, timeline,
        front: front == null ? null : nets[front].name,
        nets: nets.map((net, position) => ({
          name: net.name, label: net.label, hidden: hidden.has(net.name),
          shown: chart.series[position + 2].show, seed: net.seeds[shown[position].seedIndex],
          frame: shown[position].frame, epoch: net.frameEpochs[shown[position].frame],
          prediction: chart.data[position + 2], status: legend.entries[position].status.textContent,
        })),
        grid: chart.data[0], truth: data.truth ? chart.data[1] : null,
        yRange: [chart.scales.y.min, chart.scales.y.max],
        theme: holder.theme.report(Object.fromEntries(nets.map((net) => [net.name, net.color]))),
        fontSizes: fontSizes(chart), canvases: [canvasReport(chart)],
      };
    },
    state: group.state,
    restore: group.restore,
    retheme(next) { holder.theme = next; chart.redraw(false); paint(); },
    visible: group.visible,
    motionChanged: group.motionChanged,
    destroy() { group.play.destroy(); stopWatching(); chart.destroy(); },
  };
}
