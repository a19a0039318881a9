/* Inside a net, from the weights recorded at its frames (the arrays of
   tinynets/media/figure_inside.py): each seed's layers at a frame, the net run forward (every
   hidden unit's output), one hidden layer's unit contributions v·act(w·x + b), and the bends the
   build found (measure/inside.py's own code). The same arithmetic as measure/inside.py, in
   float64, so what is drawn is what the prose measures.

   joinNets(nets): the nets of several files, one per name (a net's figure file and its inside
   file hold the same net: their arrays are read as one).
   insideOf(net) → { activation, layers (hidden widths), xRange, frames, seeds, layersAt(frame,
   seedIndex), forward(layers, xs), bendsAt(frame, seedIndex), tolerances, bendTolerance }. */

import { ACTIVATIONS } from "./activations.js";
import { FigureDataError } from "./data.js";

export const BENDING = ["relu", "elu"];

export function joinNets(nets) {
  const byName = new Map();
  for (const net of nets) {
    const first = byName.get(net.name);
    if (!first) { byName.set(net.name, { ...net, parts: [net] }); continue; }
    first.parts.push(net);
    for (const key of ["predictions", "losses", "lossEpochs", "truth"]) {
      if (!first[key] && net[key]) first[key] = net[key];
    }
  }
  return Array.from(byName.values()).map((net) => ({
    ...net,
    record: Object.assign({}, ...net.parts.map((part) => part.record)),
    array(name) {
      for (const part of net.parts) {
        const values = part.array(name);
        if (values) return values;
      }
      return null;
    },
  }));
}

function damaged(net, what) {
  return new FigureDataError("damaged: net " + net.name + ": " + what);
}

/* A net's inside arrays, checked against its header; throws a FigureDataError if they are not
   there or do not fit (the core then keeps the fallback). */
export function insideOf(net) {
  const header = net.record && net.record.inside;
  if (!header) throw new FigureDataError("net " + net.name + " has no weights (no \"inside\" arrays in its data)");
  const activation = String(header.activation);
  const act = ACTIVATIONS[activation];
  if (!act) throw damaged(net, "unknown activation " + activation);
  const layers = (header.layers || []).map(Number);
  const sizes = [1, ...layers, 1];
  const frames = net.frameEpochs.length, seeds = net.seeds.length;
  const arrays = net.parts ? Object.assign({}, ...net.parts.map((part) => part.record.arrays))
                           : net.record.arrays;
  const weights = [];   // per array: { values (S·P·F), count P, shape }
  for (let layer = 0; layer < sizes.length - 1; layer++) {
    for (const [index, shape] of [[2 * layer, [sizes[layer], sizes[layer + 1]]],
                                  [2 * layer + 1, [sizes[layer + 1]]]]) {
      const name = "weights_" + index;
      const values = net.array(name);
      const count = shape.reduce((a, b) => a * b, 1);
      if (!values || values.length !== seeds * count * frames) {
        throw damaged(net, name + " is missing or does not hold " + seeds + " seeds × " + count +
                      " values × " + frames + " frames");
      }
      weights.push({ values, count, shape, tolerance: Number(arrays[name].tolerance) });
    }
  }

  /* one seed's layers at one frame: [{ kernel (inputs·units, row-major), bias }] */
  function layersAt(frame, seedIndex) {
    const result = [];
    for (let index = 0; index < weights.length; index += 2) {
      const [kernel, bias] = [weights[index], weights[index + 1]].map(({ values, count }) => {
        const out = new Float64Array(count);
        const base = seedIndex * count * frames + frame;
        for (let p = 0; p < count; p++) out[p] = values[base + p * frames];
        return out;
      });
      result.push({ kernel, bias, inputs: weights[index].shape[0], units: weights[index].shape[1] });
    }
    return result;
  }

  /* hidden: per hidden layer, per unit, its outputs at xs (Float64Array each); output: the net's */
  function forward(netLayers, xs) {
    let values = [Float64Array.from(xs)];   // per unit of the layer below, its values at xs
    const hidden = [];
    netLayers.forEach(({ kernel, bias, inputs, units }, depth) => {
      const last = depth === netLayers.length - 1;
      const next = [];
      for (let unit = 0; unit < units; unit++) {
        const out = new Float64Array(xs.length);
        for (let i = 0; i < xs.length; i++) {
          let sum = 0;
          for (let input = 0; input < inputs; input++) sum += values[input][i] * kernel[input * units + unit];
          sum += bias[unit];
          out[i] = last ? sum : act(sum);
        }
        next.push(out);
      }
      if (!last) hidden.push(next);
      values = next;
    });
    return { hidden, output: values[0] };
  }

  /* the bends the build found for one seed at one frame: [{ x, unit (one hidden layer) }], sorted */
  let bendsAt = () => [];
  let bendTolerance = null;
  const unitBends = net.array("unit_bends");
  const bendValues = net.array("bends");
  if (unitBends) {
    const descriptor = arrays.unit_bends;
    const units = layers[0];
    if (layers.length !== 1 || unitBends.length !== seeds * units * frames) {
      throw damaged(net, "unit_bends does not fit its layers");
    }
    const below = Number(descriptor.low) + Number(descriptor.step) / 2;   // stored there: outside
    bendTolerance = Number(descriptor.tolerance);
    bendsAt = (frame, seedIndex) => {
      const found = [];
      for (let unit = 0; unit < units; unit++) {
        const x = unitBends[(seedIndex * units + unit) * frames + frame];
        if (x >= below) found.push({ x, unit });
      }
      return found.sort((a, b) => a.x - b.x || a.unit - b.unit);
    };
  } else if (bendValues) {
    const counts = net.array("bend_counts");
    if (!counts || counts.length !== frames * seeds) throw damaged(net, "bend_counts does not fit");
    const starts = new Int32Array(counts.length + 1);
    for (let i = 0; i < counts.length; i++) starts[i + 1] = starts[i] + counts[i];
    if (starts[counts.length] !== bendValues.length) throw damaged(net, "bends do not match bend_counts");
    bendTolerance = Number(arrays.bends.tolerance);
    bendsAt = (frame, seedIndex) => {
      const at = frame * seeds + seedIndex;
      return Array.from(bendValues.subarray(starts[at], starts[at + 1]), (x) => ({ x, unit: null }));
    };
  } else if (BENDING.indexOf(activation) >= 0) {
    throw damaged(net, "a " + activation + " net without its bends");
  }

  return { activation, act, layers, xRange: header.x_range.map(Number), frames, seeds,
           layersAt, forward, bendsAt, bendTolerance,
           tolerances: weights.map((entry) => entry.tolerance) };
}
