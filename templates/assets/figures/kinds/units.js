/* figure(net, units=true): figure(net) (figure.js) whose prediction panel also shows the net's
   bends as ticks along the x axis and, for one hidden layer, each unit's contribution
   v·act(w·x + b) as a faint line, for the followed seed at the shown frame. Pointing at a line
   or a tick (or focusing the chart and pressing the arrow keys) highlights that unit and reads
   its weights and where it bends; a deeper net's ticks read their position.

   Data: the net's figure file and its inside file (tinynets/media/figure_inside.py), or one
   file holding both. URL state: epoch, seed (as figure). */

import create from "./figure.js";
import { BENDING, insideOf, joinNets } from "../inside.js";
import { element, keyEntry, paintSwatch, readoutLine } from "../controls.js";
import { clip, pixelRatio } from "../plot.js";
import { formatTick } from "../numbers.js";
import { css } from "../theme.js";

const TICK_SHARE = 0.07;   // a tick's height, of the plot's (as the fallback draws them)
const REACH = 10;          // CSS px within which the pointer picks a line or a tick

function signed(value) {   // three significant digits, a real minus sign
  return formatTick(Number(value.toPrecision(3)));
}

function position(x) {   // a bend's place: two decimals (the stored bends are within 0.0015)
  return formatTick(Number(x.toFixed(2)));
}

export default async function createUnits(context) {
  const nets = joinNets(context.nets);
  if (nets.length !== 1) throw new Error("figure(net, units=true) draws one net, the data holds " + nets.length);
  const net = nets[0];
  const view = insideOf(net);
  const oneLayer = view.layers.length === 1;
  const unitCount = view.layers.reduce((a, b) => a + b, 0);
  const grid = net.grid;
  const low = grid[0], high = grid[grid.length - 1];
  const piecewiseLinear = view.activation === "relu" || view.activation === "linear";
  const shown = { frame: 0, seedIndex: 0, lines: [], bends: [], targets: [] };
  let picked = null;    // the highlighted target: { unit } (one hidden layer) or { bend: order }
  let chart = null, focus = null, readout = null, theme = context.theme;

  /* one hidden layer: each unit's contribution where it is on, as points to join */
  function contributionLines(layers) {
    const [hidden, output] = layers;
    const bendOf = new Map(shown.bends.map((bend) => [bend.unit, bend.x]));
    const lines = [];
    for (let unit = 0; unit < hidden.units; unit++) {
      const w = hidden.kernel[unit], b = hidden.bias[unit], v = output.kernel[unit];
      const bend = bendOf.has(unit) ? bendOf.get(unit) : null;
      let xs = piecewiseLinear ? [low, high] : Array.from(grid);
      if (bend != null) {   // the line's corner exactly where the build found it
        xs = xs.filter((x) => x !== bend);
        xs.splice(xs.findIndex((x) => x > bend) < 0 ? xs.length : xs.findIndex((x) => x > bend), 0, bend);
      }
      const ys = xs.map((x) => v * view.act(x * w + b));
      const on = ys.some((y) => y !== 0 && isFinite(y));
      lines.push({ unit, w, b, v, bend, xs, ys, on });
    }
    return lines;
  }

  function show(frame, seedIndex) {
    shown.frame = frame;
    shown.seedIndex = seedIndex;
    shown.bends = view.bendsAt(frame, seedIndex);
    shown.lines = oneLayer ? contributionLines(view.layersAt(frame, seedIndex)) : [];
    // what the keys step through: units by where they bend (then the rest), or the ticks
    shown.targets = oneLayer
      ? shown.bends.map((bend) => bend.unit).concat(
        shown.lines.filter((line) => line.on && line.bend == null).map((line) => line.unit))
      : shown.bends.map((bend, order) => order);
    if (picked && !oneLayer && picked.bend >= shown.bends.length) picked = shown.bends.length ? { bend: shown.bends.length - 1 } : null;
    if (readout) readout.textContent = reading();
  }

  function segments(context2d, u, line) {   // join the points, leaving out stretches where the unit is off
    const { xs, ys } = line;
    context2d.beginPath();
    for (let i = 1; i < xs.length; i++) {
      if ((ys[i - 1] === 0 && ys[i] === 0) || !isFinite(ys[i - 1]) || !isFinite(ys[i])) continue;
      context2d.moveTo(u.valToPos(xs[i - 1], "x", true), u.valToPos(ys[i - 1], "y", true));
      context2d.lineTo(u.valToPos(xs[i], "x", true), u.valToPos(ys[i], "y", true));
    }
    context2d.stroke();
  }

  function drawUnder(u, state, current) {
    if (!oneLayer) return;
    const ratio = pixelRatio();
    clip(u, (context2d) => {
      context2d.strokeStyle = css(current.net(net.color).faint);
      context2d.lineWidth = 1 * ratio;
      for (const line of shown.lines) if (line.on && !(picked && picked.unit === line.unit)) segments(context2d, u, line);
    });
  }

  function drawOver(u, state, current) {
    const ratio = pixelRatio();
    const bottom = u.bbox.top + u.bbox.height;
    const tall = Math.max(8 * ratio, TICK_SHARE * u.bbox.height);
    clip(u, (context2d) => {
      if (picked && picked.unit != null) {
        const line = shown.lines[picked.unit];
        if (line && line.on) {
          context2d.strokeStyle = css(current.ink);
          context2d.lineWidth = 2.5 * ratio;
          segments(context2d, u, line);
        }
      }
      context2d.strokeStyle = css(current.ink);
      shown.bends.forEach((bend, order) => {
        const chosen = picked && (picked.unit != null ? picked.unit === bend.unit : picked.bend === order);
        const x = u.valToPos(bend.x, "x", true);
        context2d.lineWidth = (chosen ? 3.5 : 1.5) * ratio;
        context2d.beginPath();
        context2d.moveTo(x, bottom);
        context2d.lineTo(x, bottom - (chosen ? 2 * tall : tall));
        context2d.stroke();
      });
    });
  }

  function reading() {
    if (!picked) return "";
    if (picked.unit != null) {
      const line = shown.lines[picked.unit];
      const where = line.bend != null ? "bends at x = " + position(line.bend)
        : "no bend in " + formatTick(low) + " … " + formatTick(high);
      return "unit " + (line.unit + 1) + " of " + unitCount + ": " +
        (BENDING.indexOf(view.activation) >= 0 ? where + " · " : "") +
        "in " + signed(line.w) + ", bias " + signed(line.b) + ", out " + signed(line.v) +
        (line.on ? "" : " · adds nothing here");
    }
    const bend = shown.bends[picked.bend];
    return bend ? "bend " + (picked.bend + 1) + " of " + shown.bends.length + " at x = " + position(bend.x) : "";
  }

  function pick(target) {
    picked = target;
    readout.textContent = reading();
    chart.chart.redraw(false);
  }

  function targetAt(target) {   // a target of shown.targets as a pick
    return oneLayer ? { unit: target } : { bend: target };
  }

  function pointed(event) {
    const u = chart.chart;
    const box = u.over.getBoundingClientRect();
    const left = event.clientX - box.left, top = event.clientY - box.top;
    const tall = Math.max(8, TICK_SHARE * box.height);
    let best = null, distance = REACH;
    if (top >= box.height - tall - REACH) {   // near the ticks: the nearest tick
      shown.bends.forEach((bend, order) => {
        const gap = Math.abs(u.valToPos(bend.x, "x") - left);
        if (gap < distance) { distance = gap; best = oneLayer ? { unit: bend.unit } : { bend: order }; }
      });
    }
    if (!best && oneLayer) {   // else the line passing nearest the pointer
      const x = u.posToVal(left, "x");
      for (const line of shown.lines) {
        if (!line.on) continue;
        for (let i = 1; i < line.xs.length; i++) {
          if (x < line.xs[i - 1] || x > line.xs[i] || (line.ys[i - 1] === 0 && line.ys[i] === 0)) continue;
          const share = line.xs[i] > line.xs[i - 1] ? (x - line.xs[i - 1]) / (line.xs[i] - line.xs[i - 1]) : 0;
          const y = line.ys[i - 1] + share * (line.ys[i] - line.ys[i - 1]);
          const gap = Math.abs(u.valToPos(y, "y") - top);
          if (gap < distance) { distance = gap; best = { unit: line.unit }; }
          break;
        }
      }
    }
    const same = (best && picked && best.unit === picked.unit && best.bend === picked.bend) || (!best && !picked);
    if (!same) pick(best);
  }

  function step(key) {
    const targets = shown.targets;
    if (!targets.length) return false;
    const current = picked ? targets.indexOf(picked.unit != null ? picked.unit : picked.bend) : -1;
    let next;
    if (key === "ArrowRight" || key === "ArrowDown") next = current < 0 ? 0 : Math.min(current + 1, targets.length - 1);
    else if (key === "ArrowLeft" || key === "ArrowUp") next = current < 0 ? 0 : Math.max(current - 1, 0);
    else if (key === "Home") next = 0;
    else if (key === "End") next = targets.length - 1;
    else if (key === "Escape") { pick(null); return true; }
    else return false;
    pick(targetAt(targets[next]));
    return true;
  }

  const unitsKey = oneLayer ? keyEntry("line", "each unit's share v·" + view.activation + "(w·x + b)") : null;
  const bendsKey = view.bendTolerance != null ? keyEntry("line", "bends (where a unit switches)") : null;
  const hint = element("span", "tn-key-hint", oneLayer ? "point at or tap one to read it" : "point at or tap a tick to read it");

  const extension = {
    kind: "units",
    prediction: { seedLines: false, drawUnder, drawOver },
    mount({ panel, chart: panelChart }) {
      chart = panelChart;
      focus = element("div", "tn-chart-focus");
      focus.tabIndex = 0;
      focus.setAttribute("role", "group");
      focus.setAttribute("aria-label", oneLayer
        ? "Units of " + net.label + ": arrow keys step through the units, left to right by where they bend"
        : "Bends of " + net.label + ": arrow keys step through them, left to right");
      panel.replaceChild(focus, chart.node);
      focus.append(chart.node);
      const key = element("p", "tn-key tn-key-below");
      key.append(...[unitsKey, bendsKey].filter(Boolean).map((entry) => entry.node), hint);
      readout = readoutLine(reading());
      panel.append(key, readout);
      focus.addEventListener("keydown", (event) => { if (step(event.key)) event.preventDefault(); });
      focus.addEventListener("focus", () => { if (!picked && shown.targets.length) pick(targetAt(shown.targets[0])); });
      focus.addEventListener("blur", () => pick(null));
      chart.chart.over.addEventListener("pointermove", pointed);
      chart.chart.over.addEventListener("pointerdown", pointed);
      chart.chart.over.addEventListener("pointerleave", () => { if (document.activeElement !== focus) pick(null); });
    },
    show,
    paint(next) {
      theme = next;
      if (unitsKey) paintSwatch(unitsKey.svg, css(theme.net(net.color).faint), 1.5);
      if (bendsKey) {
        paintSwatch(bendsKey.svg, css(theme.ink), 1.5);
        // a tick stands up from the axis
        bendsKey.svg.firstChild.setAttribute("x1", "12"); bendsKey.svg.firstChild.setAttribute("x2", "12");
        bendsKey.svg.firstChild.setAttribute("y1", "12"); bendsKey.svg.firstChild.setAttribute("y2", "2");
      }
    },
    drawn() {
      return {
        units: {
          activation: view.activation, layers: view.layers, frame: shown.frame,
          seed: net.seeds[shown.seedIndex],
          bends: shown.bends.map((bend) => bend.x), bendUnits: shown.bends.map((bend) => bend.unit),
          lines: oneLayer ? shown.lines.map(({ unit, w, b, v, bend, xs, ys, on }) =>
            ({ unit, w, b, v, bend, x: xs, y: ys, on })) : null,
          picked: picked && (picked.unit != null ? { unit: picked.unit } : { bend: picked.bend }),
          readout: readout ? readout.textContent : "",
          tolerances: { weights: view.tolerances, bends: view.bendTolerance },
        },
      };
    },
  };
  return create({ ...context, nets: [net] }, extension);
}
