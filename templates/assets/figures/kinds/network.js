/* network(net): the net as a diagram at the shown frame, for one seed: every hidden unit a box
   plotting its output over the input range (scaled over the whole training, so growth shows),
   edges coloured by the sign of their weight (blue positive, orange negative: Okabe–Ito's
   colour-blind-safe pair, darkened or lightened to 3:1 on the page's background) and as wide
   as its size. Pointing at or focusing a unit shows its output large beside the diagram (the
   TensorFlow Playground's neuron view, replayed from the recording) and reads its weights;
   the arrow keys move between units. One player, a seed picker.

   Data: the net's inside file (tinynets/media/figure_inside.py); its figure file may be named
   too. At most 32 hidden units (media/catalog.py's MAX_NETWORK_UNITS).
   URL state: epoch, seed, unit ("column.unit", 0-based; column 0 is the input). */

import { loadUPlot } from "../plot.js";
import { formatEpoch, formatTick, valueLimits } from "../numbers.js";
import { insideOf, joinNets } from "../inside.js";
import { networkDiagram } from "../network_diagram.js";
import { unitPanel } from "../unit_panel.js";
import { element, keyEntry, paintSwatch, player, readoutLine, seedPicker } from "../controls.js";
import { lastAtOrBefore } from "../data.js";
import { playback } from "../playback.js";
import { atLeast, contrast, css } from "../theme.js";
import { GAP, watchWidth } from "../layout.js";

export const MAX_UNITS = 32;
const POSITIVE = { r: 0x00, g: 0x72, b: 0xb2, a: 1 };   // Okabe–Ito blue
const NEGATIVE = { r: 0xd5, g: 0x5e, b: 0x00, a: 1 };   // Okabe–Ito vermillion (orange)

function three(value) {
  return isFinite(value) ? formatTick(Number(value.toPrecision(3))) : "diverged";
}

function sizes(width) {
  const side = width >= 640;
  const view = side ? Math.round(Math.max(240, Math.min(320, width * 0.36))) : Math.floor(width);
  return { side, diagram: Math.floor(side ? width - GAP - view : width), view,
           viewHeight: side ? 240 : Math.round(Math.max(200, Math.min(260, width * 0.6))) };
}

export default async function create(context) {
  const nets = joinNets(context.nets);
  if (nets.length !== 1) throw new Error("network(net) draws one net, the data holds " + nets.length);
  const net = nets[0];
  const view = insideOf(net);
  const hiddenUnits = view.layers.reduce((a, b) => a + b, 0);
  if (hiddenUnits > MAX_UNITS) {
    throw new Error("network(nets['" + net.name + "']): the net has " + hiddenUnits +
                    " hidden units; the diagram shows at most " + MAX_UNITS + " legibly");
  }
  const uPlot = await loadUPlot();
  const columns = [1, ...view.layers, 1];
  const grid = net.grid;
  const timeline = Array.from(net.frameEpochs);
  let theme = context.theme;
  let seedIndex = net.seeds.indexOf(net.shownSeed);
  let frame = timeline.length - 1;
  let seedRun = null;   // per seed: every unit's range over the frames, the strongest weight
  let shown = null;     // what the diagram shows now: { layers, outputs, weights }

  const names = (column, unit) => column === 0 ? "input x" : column === columns.length - 1
    ? "output (the prediction)" : "layer " + column + ", unit " + (unit + 1) + " of " + columns[column];

  const root = element("div", "tn-live tn-live-network");
  const title = element("p", "tn-live-title");
  const swatch = element("span", "tn-net-swatch");
  swatch.setAttribute("aria-hidden", "true");
  const status = element("span", "tn-status");
  title.append(swatch, element("strong", null, net.label), " ", status);
  const positiveKey = keyEntry("line", "positive weight");
  const negativeKey = keyEntry("line", "negative weight");
  const boxKey = keyEntry("line", "a unit's output over the input range");
  const key = element("p", "tn-key");
  key.append(positiveKey.node, negativeKey.node, boxKey.node,
             element("span", "tn-key-hint", "point at or tap a unit to see it large"));

  let size = sizes(context.width);
  const body = element("div", "tn-network-body");
  const diagram = networkDiagram({ columns, width: size.diagram, names,
                                   onSelect: () => { showUnit(); save(); } });
  const diagramHolder = element("div", "tn-network-diagram");
  diagramHolder.setAttribute("role", "group");
  diagramHolder.setAttribute("aria-label", "The units of " + net.label + ": arrow keys move between them");
  diagramHolder.append(diagram.node);
  const side = element("div", "tn-network-view");
  const viewTitle = element("p", "tn-panel-title");
  const panel = unitPanel(uPlot, { net, theme, width: size.view, height: size.viewHeight });
  const readout = readoutLine("");
  side.append(viewTitle, panel.node, readout);
  body.append(diagramHolder, side);

  const controls = element("div", "tn-controls");
  const play = player({
    timeline, what: "the " + net.label + " network",
    onShow(index) { frame = index; draw(); },
    onReader() { save(); },
  });
  const picker = seedPicker({
    seeds: net.seeds, median: net.shownSeed, label: "Seed shown",
    onPick(value) { setSeed(Number(value)); save(); },
  });
  controls.append(play.node, picker.node);
  const motion = playback(context, play);
  root.append(title, key, body, controls);

  /* every unit's range over all frames and the strongest weight, for one seed (a pass over
     the frames, so a box's scale holds still while the reader scrubs) */
  function runOf(index) {
    const scales = columns.map((count) => Array.from({ length: count }, () => [Infinity, -Infinity]));
    let strongest = 0;
    for (let f = 0; f < timeline.length; f++) {
      const layers = view.layersAt(f, index);
      const outputs = outputsOf(layers);
      outputs.forEach((column, c) => column.forEach((values, unit) => {
        const range = scales[c][unit];
        for (const value of values) {
          if (isFinite(value)) { range[0] = Math.min(range[0], value); range[1] = Math.max(range[1], value); }
        }
      }));
      for (const { kernel } of layers) {
        for (const weight of kernel) if (isFinite(weight)) strongest = Math.max(strongest, Math.abs(weight));
      }
    }
    for (const column of scales) {
      for (const range of column) if (!(range[1] >= range[0])) { range[0] = 0; range[1] = 1; }
    }
    return { scales, strongest: strongest || 1 };
  }

  function outputsOf(layers) {
    const { hidden, output } = view.forward(layers, grid);
    return [[grid], ...hidden, [output]];
  }

  function draw() {
    if (!seedRun) return;   // (the player shows its last frame before a seed is chosen)
    const layers = view.layersAt(frame, seedIndex);
    const outputs = outputsOf(layers);
    const weights = diagram.edges.map((edge) => {
      const { kernel, units } = layers[edge.from[0]];
      return kernel[edge.from[1] * units + edge.to[1]];
    });
    shown = { layers, outputs, weights };
    diagram.show({ outputs, scales: seedRun.scales, weights, strongest: seedRun.strongest, theme,
                   colors: colors() });
    showUnit();
    const seed = net.seeds[seedIndex];
    status.textContent = "· seed " + seed + (seed === net.shownSeed ? " (the median)" : "") +
      " · epoch " + formatEpoch(timeline[frame]);
    context.element.dataset.tnEpoch = String(timeline[frame]);
    context.element.dataset.tnSeed = String(seed);
  }

  function colors() {
    return { positive: atLeast(POSITIVE, theme.background, 3), negative: atLeast(NEGATIVE, theme.background, 3),
             curve: theme.net(net.color).line };
  }

  function viewRange(column, unit) {
    if (column === columns.length - 1) return valueLimits([net]);
    const [low, high] = seedRun.scales[column][unit];
    const margin = high > low ? 0.08 * (high - low) : 0.5;
    return [low - margin, high + margin];
  }

  function reading(column, unit) {
    const values = shown.outputs[column][unit];
    let low = Infinity, high = -Infinity;
    for (const value of values) if (isFinite(value)) { low = Math.min(low, value); high = Math.max(high, value); }
    const to = "\u00a0…\u00a0";   // a range does not break across lines
    const spans = isFinite(low) ? "output " + three(low) + to + three(high) : "output diverged";
    if (column === 0) return "x itself, " + three(grid[0]) + to + three(grid[grid.length - 1]);
    const { kernel, bias, inputs, units } = shown.layers[column - 1];
    const into = Array.from({ length: inputs }, (_, source) => kernel[source * units + unit]);
    const weightsIn = inputs === 1 ? "weight from x " + three(into[0])
      : inputs + " weights in, " + three(Math.min(...into)) + to + three(Math.max(...into));
    return "bias " + three(bias[unit]) + " · " + weightsIn + " · " + spans;
  }

  function showUnit() {
    if (!shown) return;
    const [column, unit] = diagram.selected();
    const name = names(column, unit);
    viewTitle.textContent = name.charAt(0).toUpperCase() + name.slice(1);
    panel.show(Array.from(shown.outputs[column][unit]), viewRange(column, unit), column === columns.length - 1);
    readout.textContent = reading(column, unit);
  }

  function setSeed(seed) {
    const index = net.seeds.indexOf(seed);
    if (index < 0) return;
    seedIndex = index;
    seedRun = runOf(index);
    picker.set(seed);
    draw();
  }

  function save() {
    const [column, unit] = diagram.selected();
    context.save({ epoch: String(timeline[frame]), seed: String(net.seeds[seedIndex]),
                   unit: column + "." + unit });
  }

  function paint() {
    const palette = colors();
    swatch.style.background = css(palette.curve);
    paintSwatch(positiveKey.svg, css(palette.positive), 3);
    paintSwatch(negativeKey.svg, css(palette.negative), 3);
    paintSwatch(boxKey.svg, css(palette.curve), 2);
    diagram.paint(theme);
  }

  function arrange() {   // the view's column is as wide as its chart, whatever its text
    body.classList.toggle("tn-stacked", !size.side);
    body.style.gridTemplateColumns = size.side ? "minmax(0, 1fr) " + size.view + "px" : "";
  }
  function layout(width) {
    size = sizes(width);
    arrange();
    diagram.layout(size.diagram);
    panel.resize(size.view, size.viewHeight);
  }
  arrange();
  const stopWatching = watchWidth(root, layout);

  function restore(state) {
    if (state.seed != null && net.seeds.indexOf(Number(state.seed)) >= 0) setSeed(Number(state.seed));
    if (state.unit != null) {
      const [column, unit] = String(state.unit).split(".").map(Number);
      if (column >= 0 && column < columns.length && unit >= 0 && unit < columns[column]) diagram.select(column, unit);
    }
    if (state.epoch != null && isFinite(Number(state.epoch))) {
      motion.restoreAt(lastAtOrBefore(timeline, Number(state.epoch)));
    }
  }

  setSeed(net.shownSeed);
  paint();
  if (context.state) restore(context.state);

  return {
    node: root,
    drawn() {
      const [column, unit] = diagram.selected();
      const big = panel.drawn();
      const report = theme.report({ [net.name]: net.color });
      const palette = colors();
      const entry = (color) => ({ color: css(color),
                                  contrast: Math.round(100 * contrast(color, theme.background)) / 100 });
      return {
        kind: "network", epoch: timeline[frame], frame, seed: net.seeds[seedIndex], playing: play.playing,
        layout: size.side ? "side by side" : "stacked", columns, activation: view.activation,
        grid: Array.from(grid),
        units: shown.outputs.map((values, c) => values.map((y, u) => ({
          column: c, unit: u, y: Array.from(y), scale: seedRun.scales[c][u] }))),
        edges: diagram.edges.map((edge) => ({ from: edge.from, to: edge.to, weight: edge.weight,
                                              sign: edge.sign, width: edge.width })),
        selected: { column, unit, name: names(column, unit) },
        view: { title: viewTitle.textContent, x: big.x, y: big.y, truth: big.truth, yRange: big.yRange },
        readout: readout.textContent, status: title.textContent,
        diagram: { width: diagram.geometry().width, height: diagram.geometry().height,
                   box: diagram.boxOf(column, unit) },
        theme: { ...report, positive: entry(palette.positive), negative: entry(palette.negative) },
        fontSizes: big.fontSizes.concat([theme.font.ticks]), canvases: [big.canvas],
        tolerances: view.tolerances,
      };
    },
    state() {
      const [column, unit] = diagram.selected();
      return { epoch: timeline[frame], seed: net.seeds[seedIndex], unit: column + "." + unit };
    },
    restore,
    retheme(next) { theme = next; panel.retheme(next); paint(); },
    visible: motion.visible,
    motionChanged: motion.motionChanged,
    destroy() { play.destroy(); stopWatching(); panel.destroy(); },
  };
}
