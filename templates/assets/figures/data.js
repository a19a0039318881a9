/* Figure data files: inflate, check and decode (the format: tinynets/media/figure_data.py).

   decode(arrayBuffer) → { header, nets: [net, …] }, each net:
     { name, label, color, seeds: [..], shownSeed, epochs, noiseFloor (or null), dimensions
       (1, or 2 for a net on the plane: then grid and points are null), record (its header
       record), array(name) (any of its arrays, decoded on first use, or null),
       frameEpochs: Int32Array (F), grid: Float64Array (G), pointsX, pointsY: Float64Array,
       truth: Float64Array or null, predictions: { values: Float64Array (F·S·G), shape, tolerance }
       or null, lossEpochs: Int32Array (E) or null, losses: { values: Float64Array (S·E), shape,
       relativeTolerance } or null }
   Values decode exactly as the Python reader decodes them (low + code·step in float64), NaN
   where a seed diverged. Anything wrong throws a FigureDataError saying what. */

export class FigureDataError extends Error {
  constructor(message) {
    super(message);
    this.name = "FigureDataError";
  }
}

const MAGIC = "TNFD";
const VERSION = 1;
const ALIGN = 8;

function damaged(what) {
  return new FigureDataError("damaged: " + what);
}

/* The file is gzip; a server that sent it with Content-Encoding: gzip has had it inflated by
   the browser already, and then it starts with the container's magic. */
export async function inflate(bytes) {
  if (bytes.length >= 4 && String.fromCharCode(bytes[0], bytes[1], bytes[2], bytes[3]) === MAGIC) {
    return bytes;
  }
  if (bytes.length < 2 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) {
    throw new FigureDataError("not a figure data file (it does not start with the gzip " +
                              "signature 1f 8b)");
  }
  if (typeof DecompressionStream === "undefined") {
    throw new FigureDataError("this browser cannot inflate gzip (no DecompressionStream)");
  }
  try {
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  } catch (error) {
    throw new FigureDataError("damaged or truncated (its gzip stream does not inflate: " +
                              (error && error.message || error) + ")");
  }
}

export async function decode(buffer) {
  return parse(await inflate(new Uint8Array(buffer)));
}

export function parse(container) {
  if (container.length < 12 ||
      String.fromCharCode(container[0], container[1], container[2], container[3]) !== MAGIC) {
    throw damaged("the inflated content does not start with TNFD");
  }
  if (container[4] !== VERSION) {
    throw new FigureDataError("format version " + container[4] + ", this module reads version " +
                              VERSION);
  }
  const view = new DataView(container.buffer, container.byteOffset, container.byteLength);
  const length = view.getUint32(8, true);
  if (12 + length > container.length) {
    throw damaged("the header says it is " + length + " bytes, the file has " +
                  (container.length - 12) + " after the first 12");
  }
  let header;
  try {
    header = JSON.parse(new TextDecoder("utf-8", { fatal: true })
      .decode(container.subarray(12, 12 + length)));
  } catch (error) {
    throw damaged("the JSON header cannot be read (" + error.message + ")");
  }
  if (!header || header.format !== "tinynets-figure-data" || !Array.isArray(header.nets) ||
      !header.nets.length) {
    throw damaged("the header names no nets");
  }
  const start = Math.ceil((12 + length) / ALIGN) * ALIGN;
  const payload = container.subarray(Math.min(start, container.length));
  return { header, nets: header.nets.map((record) => decodeNet(record, payload)) };
}

function section(payload, descriptor) {
  const offset = Number(descriptor.offset), size = Number(descriptor.bytes);
  if (!(offset >= 0 && size >= 0 && offset + size <= payload.length)) {
    throw damaged("a section (" + offset + " + " + size + " bytes) reaches past the payload's " +
                  "end (" + payload.length + " bytes)");
  }
  return payload.subarray(offset, offset + size);
}

function count(shape) {
  if (!Array.isArray(shape)) throw damaged("a section has no shape");
  return shape.reduce((product, size) => product * size, 1);
}

function raw(descriptor, payload) {
  const bytes = section(payload, descriptor);
  const total = count(descriptor.shape);
  if (bytes.length !== total * 4) {
    throw damaged("a raw section of " + bytes.length + " bytes does not hold " + total +
                  " values of " + descriptor.dtype);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const read = { float32: (i) => view.getFloat32(i, true), int32: (i) => view.getInt32(i, true),
                 uint32: (i) => view.getUint32(i, true) }[descriptor.dtype];
  if (!read) throw damaged("unknown value type " + descriptor.dtype);
  const out = descriptor.dtype === "float32" ? new Float64Array(total)
    : descriptor.dtype === "int32" ? new Int32Array(total) : new Uint32Array(total);
  for (let i = 0; i < total; i++) out[i] = read(4 * i);
  return out;
}

/* zigzag LEB128 varints → codes, running sums along the last axis, scaled */
function quantised(descriptor, payload, missing) {
  const bytes = section(payload, descriptor);
  const shape = descriptor.shape, total = count(shape);
  const row = shape[shape.length - 1] || 1;
  const codes = new Float64Array(total);
  let position = 0;
  for (let i = 0; i < total; i++) {
    let value = 0, scale = 1, byte;
    do {
      if (position >= bytes.length) {
        throw damaged("a quantised section holds fewer than the " + total + " values it should");
      }
      byte = bytes[position++];
      value += (byte & 127) * scale;
      scale *= 128;
    } while (byte & 128 && scale < 2 ** 56);
    if (byte & 128) throw damaged("a quantised value is longer than 8 bytes");
    codes[i] = value % 2 === 0 ? value / 2 : -(value + 1) / 2;
  }
  if (position !== bytes.length) {
    throw damaged("a quantised section holds more than the " + total + " values it should");
  }
  for (let pass = 0; pass < descriptor.differences; pass++) {
    for (let base = 0; base < total; base += row) {
      for (let i = base + 1; i < base + row; i++) codes[i] += codes[i - 1];
    }
  }
  const low = Number(descriptor.low), step = Number(descriptor.step);
  const logarithmic = descriptor.scale === "log10";
  if (!logarithmic && descriptor.scale !== "linear") throw damaged("unknown scale");
  for (let i = 0; i < total; i++) {
    const value = low + codes[i] * step;
    codes[i] = logarithmic ? Math.pow(10, value) : value;
  }
  if (missing) {
    for (const index of missing) {
      if (index >= total) throw damaged("a missing value's index is beyond its array");
      codes[index] = NaN;
    }
  }
  return codes;
}

function decodeNet(record, payload) {
  const arrays = record.arrays || {};
  function array(name) {
    const descriptor = arrays[name];
    if (!descriptor) return null;
    if (descriptor.encoding === "raw") return raw(descriptor, payload);
    if (descriptor.encoding !== "quantised") throw damaged("unknown encoding " + descriptor.encoding);
    const missing = descriptor.missing ? raw(arrays[descriptor.missing], payload) : null;
    return quantised(descriptor, payload, missing);
  }
  function need(name) {
    const values = array(name);
    if (!values) throw damaged("net " + record.name + " has no " + name);
    return values;
  }
  const predictions = array("predictions");
  const losses = array("losses");
  const seeds = (record.seeds || []).map(Number);
  // A net on the plane has no 1-D grid or points: its kinds read its own arrays (plane_net.js).
  const line = record.dimensions == null || Number(record.dimensions) === 1;
  const decoded = new Map();
  const net = {
    name: String(record.name), label: String(record.label), color: String(record.color),
    seeds, shownSeed: Number(record.shown_seed), epochs: Number(record.epochs),
    noiseFloor: record.noise_floor == null ? null : Number(record.noise_floor),
    dimensions: line ? 1 : Number(record.dimensions),
    record,   // the header's record as written: the keys a kind of its own reads
    /* any named array of the net, decoded on first use (null when the file has none) */
    array(name) {
      if (!decoded.has(name)) decoded.set(name, array(name));
      return decoded.get(name);
    },
    frameEpochs: need("frame_epochs"), grid: line ? need("grid") : array("grid"),
    pointsX: line ? need("points_x") : array("points_x"),
    pointsY: line ? need("points_y") : array("points_y"), truth: array("truth"),
    predictions: predictions && { values: predictions, shape: arrays.predictions.shape,
                                  tolerance: arrays.predictions.tolerance },
    lossEpochs: losses ? need("loss_epochs") : null,
    losses: losses && { values: losses, shape: arrays.losses.shape,
                        relativeTolerance: arrays.losses.relative_tolerance },
  };
  if (seeds.indexOf(net.shownSeed) < 0) throw damaged("net " + net.name + ": shown seed unknown");
  if (predictions) {
    const [frames, seedCount, points] = net.predictions.shape;
    if (frames !== net.frameEpochs.length || seedCount !== seeds.length ||
        !net.grid || points !== net.grid.length) {
      throw damaged("net " + net.name + ": predictions do not match its frames, seeds and grid");
    }
  }
  if (losses && (net.losses.shape[0] !== seeds.length ||
                 net.losses.shape[1] !== net.lossEpochs.length)) {
    throw damaged("net " + net.name + ": losses do not match its seeds and kept epochs");
  }
  return net;
}

/* One seed's prediction on the grid at one frame: a view, no copy. */
export function predictionAt(net, frame, seedIndex) {
  const points = net.grid.length;
  const start = (frame * net.seeds.length + seedIndex) * points;
  return net.predictions.values.subarray(start, start + points);
}

/* One seed's training error at the kept epochs (net.lossEpochs): a view. */
export function lossesOf(net, seedIndex) {
  const kept = net.lossEpochs.length;
  return net.losses.values.subarray(seedIndex * kept, (seedIndex + 1) * kept);
}

/* Index of the last entry ≤ value in an ascending array (0 when value is below them all). */
export function lastAtOrBefore(sorted, value) {
  let low = 0, high = sorted.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (sorted[middle] <= value) low = middle; else high = middle - 1;
  }
  return low;
}
