/* A net on the plane from its figure data (figure_data.py, "2-D nets"): the grid, the points,
   the curves, and the field its weights compute at each frame, as tinynets/media/plane_field.py
   computes it (float64; the inputs rounded to float32 as the net saw them). The writer states in
   the file how far that field is from the recorded predictions (``tolerance``).

   planeNet(net) → { name, label, color, seeds, shownSeed, classification, activation, features,
     layers (hidden widths), side, x1, x2 (grid axes), training / test: { x, y, target },
     frameEpochs, lossEpochs, curves (name → per-seed Float64Array views, or null), tolerance,
     field(frame, seedIndex) → Float64Array (side²: x1 fastest), hidden(frame, seedIndex) →
     [Float64Array (side² × units) per hidden layer, point-major], valueRange }. */

import { ACTIVATIONS } from "./activations.js";

const FEATURES = {
  "x1": (x1) => x1, "x2": (x1, x2) => x2, "x1²": (x1) => x1 * x1, "x2²": (x1, x2) => x2 * x2,
  "x1·x2": (x1, x2) => x1 * x2, "sin(x1)": (x1) => Math.sin(x1), "sin(x2)": (x1, x2) => Math.sin(x2),
};

const CACHED = 240;   // fields kept (a 64 × 64 field is 32 KB): a whole run of one seed and more

export function planeNet(net) {
  const record = net.record || {};
  if (Number(record.dimensions) !== 2) throw new Error(net.name + " is not a net on the plane");
  const need = (name) => {
    const values = net.array(name);
    if (!values) throw new Error("net " + net.name + " has no " + name);
    return values;
  };
  const side = Number(record.side);
  const x1 = need("grid_x1"), x2 = need("grid_x2");
  if (x1.length !== side || x2.length !== side) throw new Error("net " + net.name + ": grid is not " + side + " × " + side);
  const activation = ACTIVATIONS[record.activation];
  if (!activation) throw new Error("net " + net.name + ": unknown activation " + record.activation);
  const features = (record.features || []).map(String);
  for (const feature of features) {
    if (!FEATURES[feature]) throw new Error("net " + net.name + ": unknown feature " + feature);
  }
  const points = (name, targets) => {
    const flat = need(name), target = need(targets);
    const x = new Float64Array(target.length), y = new Float64Array(target.length);
    for (let i = 0; i < target.length; i++) { x[i] = flat[2 * i]; y[i] = flat[2 * i + 1]; }
    return { x, y, target };
  };
  const frames = net.frameEpochs.length, seeds = net.seeds.length;

  // the layers: kernel (inputs × units) and bias per layer, each a flat (seeds, …, frames) array
  const widths = [features.length, ...(record.layers || []).map(Number), 1];
  const layers = [];
  for (let index = 0; index + 1 < widths.length; index++) {
    const kernel = need("frame_weight_" + 2 * index), bias = need("frame_weight_" + (2 * index + 1));
    const [inputs, units] = [widths[index], widths[index + 1]];
    if (kernel.length !== seeds * inputs * units * frames || bias.length !== seeds * units * frames) {
      throw new Error("net " + net.name + ": layer " + (index + 1) + "'s weights do not match its shape");
    }
    layers.push({ kernel, bias, inputs, units });
  }

  // the grid as the net saw it: one float32 column per feature, point-major
  const count = side * side;
  const inputs = new Float64Array(count * features.length);
  for (let row = 0; row < side; row++) {
    for (let column = 0; column < side; column++) {
      const point = row * side + column;
      features.forEach((feature, f) => {
        inputs[point * features.length + f] = Math.fround(FEATURES[feature](x1[column], x2[row]));
      });
    }
  }

  const cache = new Map();
  function compute(frame, seedIndex) {
    let values = inputs, width = features.length;
    const hidden = [];
    for (let index = 0; index < layers.length; index++) {
      const { kernel, bias, units } = layers[index];
      const last = index === layers.length - 1;
      // this frame's and seed's weights, as a dense (inputs × units) matrix
      const weights = new Float64Array(width * units), offsets = new Float64Array(units);
      for (let i = 0; i < width; i++) {
        for (let u = 0; u < units; u++) {
          weights[i * units + u] = kernel[((seedIndex * width + i) * units + u) * frames + frame];
        }
      }
      for (let u = 0; u < units; u++) offsets[u] = bias[(seedIndex * units + u) * frames + frame];
      const out = new Float64Array(count * units);
      for (let point = 0; point < count; point++) {
        const base = point * width;
        for (let u = 0; u < units; u++) {
          let sum = 0;
          for (let i = 0; i < width; i++) sum += values[base + i] * weights[i * units + u];
          sum += offsets[u];
          out[point * units + u] = last ? sum : activation(sum);
        }
      }
      if (!last) hidden.push(out);
      values = out;
      width = units;
    }
    const field = new Float64Array(count);
    for (let point = 0; point < count; point++) {
      field[point] = record.classification ? 0.5 * (1 + Math.tanh(0.5 * values[point])) : values[point];
    }
    return { field, hidden };
  }
  function computed(frame, seedIndex) {
    const key = frame * seeds + seedIndex;
    let entry = cache.get(key);
    if (entry) {
      cache.delete(key);   // most recently used last
    } else {
      entry = compute(frame, seedIndex);
      if (cache.size >= CACHED) cache.delete(cache.keys().next().value);
    }
    cache.set(key, entry);
    return entry;
  }

  const curves = {};
  for (const name of ["losses", "test_losses", "accuracy", "test_accuracy"]) {
    const values = name === "losses" ? net.losses && net.losses.values : net.array(name);
    if (!values) { curves[name] = null; continue; }
    const kept = net.lossEpochs.length;
    if (values.length !== seeds * kept) throw new Error("net " + net.name + ": " + name + " do not match its kept epochs");
    curves[name] = net.seeds.map((seed, index) => values.subarray(index * kept, (index + 1) * kept));
  }
  const training = points("points", "targets"), test = points("test_points", "test_targets");
  let valueRange = [0, 1];
  if (!record.classification) {
    let high = 0;
    for (const set of [training, test]) for (const value of set.target) if (isFinite(value)) high = Math.max(high, Math.abs(value));
    valueRange = [-(high || 1), high || 1];
  }
  return {
    name: net.name, label: net.label, color: net.color, seeds: net.seeds, shownSeed: net.shownSeed,
    epochs: net.epochs, noiseFloor: net.noiseFloor,
    classification: !!record.classification, activation: String(record.activation), features,
    layers: (record.layers || []).map(Number), side, x1, x2, training, test,
    axisNames: (record.axis_names || ["x1", "x2"]).map(String),
    classNames: (record.class_names || ["class 0", "class 1"]).map(String),
    frameEpochs: net.frameEpochs, lossEpochs: net.lossEpochs, curves,
    tolerance: Number(record.tolerance), valueRange,
    field: (frame, seedIndex) => computed(frame, seedIndex).field,
    hidden: (frame, seedIndex) => computed(frame, seedIndex).hidden,
  };
}
