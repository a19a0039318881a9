/* A sweep from its figure data (figure_data.py, "Sweeps"): one net record per cell, in the
   sweep's order, each with its key indices, its seeds' final errors, its median seed's
   predictions and every seed's training error at the kept epochs.

   sweepOf(nets) → { name, label, keys: [{ key, name, values, texts }], cells, floor,
     nearFloorLimit, stuckLimit, timeline (every cell's frame epochs), cellAt(indices),
     best (lowest median) }; a cell: { position, indices, label, texts, net, finals,
     median, low, high (the band: the finite finals' least and greatest), stuck, diverged,
     shownSeed, shownIndex, frameEpochs, lossEpochs, losses(seedIndex), prediction(frame),
     errorAt(epoch) (the shown seed's training error at the cell's frame at or before epoch),
     frameAt(epoch), predictionNet (a net the prediction panel draws: the shown seed only) }.

   stateOf(sweep, error) → "untrained" | "near floor" | "in between" | "stuck" | "diverged":
   a cell's state at an epoch, by the shown seed's training error then. */

import { lastAtOrBefore, lossesOf } from "./data.js";

export function median(values) {
  const sorted = Array.from(values).sort((a, b) => a - b);   // +Infinity sorts last
  const n = sorted.length;
  if (!n) return NaN;
  return n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}

export function stateOf(sweep, error, epoch) {
  if (!(epoch >= 1)) return "untrained";
  if (!isFinite(error)) return "diverged";
  if (sweep.nearFloorLimit != null && error <= sweep.nearFloorLimit) return "near floor";
  if (sweep.stuckLimit != null && error > sweep.stuckLimit) return "stuck";
  return "in between";
}

export function sweepOf(nets) {
  if (!nets.length || !nets.every((net) => net.record && net.record.sweep)) {
    throw new Error("the data holds no sweep (its nets are not a sweep's cells)");
  }
  const first = nets[0].record.sweep;
  const keys = (first.keys || []).map((entry) => ({
    key: String(entry.key), name: String(entry.name), values: entry.values,
    texts: (entry.texts || []).map(String),
  }));
  if (keys.length < 1 || keys.length > 2) throw new Error("a sweep figure shows one or two varied keys, this sweep has " + keys.length);
  const expected = keys.reduce((count, entry) => count * entry.texts.length, 1);
  if (nets.length !== expected) throw new Error("the sweep has " + nets.length + " cells, its keys make " + expected);

  const cells = nets.map((net, position) => {
    const info = net.record.sweep;
    const indices = (info.cell || []).map(Number);
    if (indices.length !== keys.length || indices.some((index, k) => !(index >= 0 && index < keys[k].texts.length))) {
      throw new Error("cell " + net.name + " names no place in the sweep");
    }
    const finals = net.array("final_losses");
    const shown = net.array("shown_predictions");
    if (!finals || finals.length !== net.seeds.length) throw new Error("cell " + net.name + " has no final errors per seed");
    if (!net.losses) throw new Error("cell " + net.name + " has no training errors");
    const frames = net.frameEpochs.length, points = net.grid.length;
    if (shown && shown.length !== frames * points) throw new Error("cell " + net.name + ": its predictions do not match its frames and grid");
    const finite = Array.from(finals).filter((value) => isFinite(value));
    const shownIndex = net.seeds.indexOf(net.shownSeed);
    const cell = {
      position, indices, net, label: net.label, texts: indices.map((index, k) => keys[k].texts[index]),
      finals, median: median(finals),
      low: finite.length ? Math.min(...finite) : NaN, high: finite.length ? Math.max(...finite) : NaN,
      stuck: Number(info.stuck) || 0, diverged: Number(info.diverged) || 0,
      shownSeed: net.shownSeed, shownIndex, seeds: net.seeds,
      frameEpochs: net.frameEpochs, lossEpochs: net.lossEpochs,
      losses: (seedIndex) => lossesOf(net, seedIndex),
      prediction: (frame) => (shown ? shown.subarray(frame * points, (frame + 1) * points) : null),
      frameAt: (epoch) => lastAtOrBefore(net.frameEpochs, epoch),
      errorAt(epoch) {
        const own = net.frameEpochs[lastAtOrBefore(net.frameEpochs, epoch)];
        if (!(own >= 1)) return { epoch: own, error: NaN };
        const index = lastAtOrBefore(net.lossEpochs, own);
        return { epoch: own, error: net.lossEpochs[index] === own ? lossesOf(net, shownIndex)[index] : NaN };
      },
      // the prediction panel draws nets: this one has the shown seed only
      predictionNet: shown ? { ...net, seeds: [net.shownSeed], predictions: { values: shown, shape: [frames, 1, points] } } : null,
    };
    return cell;
  });
  const at = new Map(cells.map((cell) => [cell.indices.join(","), cell]));
  if (at.size !== cells.length) throw new Error("two cells of the sweep name the same place");
  const ranked = cells.slice().sort((a, b) => (a.median - b.median) || (a.position - b.position));
  return {
    name: String(first.name), label: String(first.label), keys, cells,
    floor: nets[0].noiseFloor, nearFloorLimit: first.near_floor_limit == null ? null : Number(first.near_floor_limit),
    stuckLimit: first.stuck_limit == null ? null : Number(first.stuck_limit),
    timeline: Array.from(new Set(cells.flatMap((cell) => Array.from(cell.frameEpochs)))).sort((a, b) => a - b),
    cellAt: (indices) => at.get(indices.join(",")),
    best: ranked[0],
  };
}

/* "1×4, learning rate 0.1" from a cell's texts and the keys' names */
export function cellName(sweep, cell) {
  return cell.texts.map((text, k) => (sweep.keys[k].key === "layers" ? text : sweep.keys[k].name + " " + text)).join(", ");
}
