// A VAE/CVAE decoder run in the page: the tensors of GET /api/models/{id}/decoder (safetensors)
// and the forward pass the model's `decoder` description lists, in plain JavaScript on typed arrays.
// No DOM here: numbers in, grey levels out, the same ones the server's PNGs hold (±1 at most, from
// the order of float32 sums; the probe check in pagedecode.js verifies it on every load).

const f32 = Math.fround;
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** safetensors bytes → Map(name → { shape, data: Float32Array }). Only F32 tensors are accepted. */
export function parseSafetensors(buffer) {
  if (buffer.byteLength < 8) throw new Error("decoder file is shorter than its header");
  const view = new DataView(buffer);
  const headerLength = Number(view.getBigUint64(0, true));
  if (8 + headerLength > buffer.byteLength) throw new Error("decoder file's header runs past its end");
  const header = JSON.parse(new TextDecoder().decode(new Uint8Array(buffer, 8, headerLength)));
  const dataStart = 8 + headerLength;
  const tensors = new Map();
  for (const [name, entry] of Object.entries(header)) {
    if (name === "__metadata__") continue;
    if (entry.dtype !== "F32") throw new Error(`tensor ${name} is ${entry.dtype}; the page reads F32`);
    const [begin, end] = entry.data_offsets;
    const count = entry.shape.reduce((a, b) => a * b, 1);
    if (end - begin !== count * 4 || dataStart + end > buffer.byteLength) throw new Error(`tensor ${name} has the wrong size`);
    tensors.set(name, { shape: entry.shape, data: floats(buffer, dataStart + begin, count) });
  }
  return tensors;
}

/** count little-endian float32 values at byte `offset` (copied when unaligned or on a big-endian host). */
function floats(buffer, offset, count) {
  if (LITTLE_ENDIAN && offset % 4 === 0) return new Float32Array(buffer, offset, count);
  const view = new DataView(buffer, offset, count * 4);
  return Float32Array.from({ length: count }, (_, i) => view.getFloat32(4 * i, true));
}

/** The decoder's layers, checked against the description and prepared for the forward pass. */
export class PageDecoder {
  /**
   * description: the model info's `decoder` (input, layers, output_shape);
   * tensors: parseSafetensors(bytes); labels: the model's labels (their order is the input's).
   */
  constructor(description, tensors, labels = []) {
    this.latentDim = description.input.latent_dim;
    this.labelCount = description.input.labels;
    this.labels = labels;
    if (this.labelCount !== labels.length) {
      throw new Error(`the decoder takes ${this.labelCount} label weights but the model lists ${labels.length} labels`);
    }
    this.pixels = description.output_shape.reduce((a, b) => a * b, 1);
    let width = this.latentDim + this.labelCount;
    this.steps = description.layers.map((layer) => {
      if (layer.op === "relu" || layer.op === "sigmoid") return { op: layer.op };
      if (layer.op !== "linear") throw new Error(`the page cannot run a ${layer.op} layer`);
      const weight = tensors.get(layer.weight);
      const bias = tensors.get(layer.bias);
      if (!weight || !bias) throw new Error(`tensor ${weight ? layer.bias : layer.weight} is missing`);
      const [outputs, inputs] = weight.shape;
      if (inputs !== width || outputs !== layer.out || bias.shape[0] !== outputs) {
        throw new Error(`layer ${layer.weight} is ${weight.shape.join("×")}, after an input of ${width}`);
      }
      width = outputs;
      // Stored (in, out): one input's weights are contiguous, so inputs a ReLU zeroed cost nothing.
      return { op: "linear", weightT: transpose(weight.data, outputs, inputs), bias: bias.data, inputs, outputs };
    });
    if (width !== this.pixels) throw new Error(`the decoder gives ${width} values for ${this.pixels} pixels`);
    const widest = Math.max(width, ...this.steps.filter((s) => s.op === "linear").map((s) => s.inputs));
    this.buffers = [new Float64Array(widest), new Float64Array(widest)];
    this.nonzero = new Int32Array(widest);
  }

  /**
   * The label weights the server builds (app.inference.label_vector): 1 at `label`, or 1 − morph
   * and (+) morph at `toLabel`; empty for a VAE. In float32, as the server holds them.
   */
  labelWeights(label = null, toLabel = null, morph = 0) {
    const y = new Float32Array(this.labelCount);
    if (!this.labelCount) return y;
    const index = (l) => {
      const i = this.labels.indexOf(Number(l));
      if (i < 0) throw new Error(`label ${l} is not one of ${this.labels}`);
      return i;
    };
    y[index(label)] = f32(1 - morph);
    if (toLabel !== null && toLabel !== undefined) y[index(toLabel)] = f32(y[index(toLabel)] + f32(morph));
    return y;
  }

  /** Pixel probabilities (Float32Array of output_shape's size) for z and label weights y. */
  probabilities(z, y = new Float32Array(0), out = new Float32Array(this.pixels)) {
    if (z.length !== this.latentDim || y.length !== this.labelCount) {
      throw new Error(`the decoder takes ${this.latentDim} z values and ${this.labelCount} label weights`);
    }
    let [h, next] = this.buffers;
    let width = this.latentDim + this.labelCount;
    for (let i = 0; i < z.length; i++) h[i] = f32(z[i]);
    for (let i = 0; i < y.length; i++) h[z.length + i] = y[i];
    for (const step of this.steps) {
      if (step.op === "linear") {
        linear(step, h, next, this.nonzero);
        [h, next] = [next, h];
        width = step.outputs;
      } else if (step.op === "relu") {
        for (let i = 0; i < width; i++) if (h[i] < 0) h[i] = 0;
      } else {
        for (let i = 0; i < width; i++) h[i] = f32(1 / (1 + Math.exp(-h[i])));
      }
    }
    for (let i = 0; i < this.pixels; i++) out[i] = h[i];
    return out;
  }

  /** The grey levels of a decode query as GET …/decode takes it (z as strings, label, to_label, morph). */
  greyOf({ z, label = null, to_label = null, morph = 0 }) {
    return this.grey(z.map(Number), this.labelWeights(label, to_label, Number(morph)));
  }

  /** Grey levels 0–255 (Uint8Array), exactly as the server turns probabilities into PNG bytes. */
  grey(z, y, out = new Uint8Array(this.pixels)) {
    const p = this.probabilities(z, y);
    for (let i = 0; i < p.length; i++) out[i] = greyLevel(p[i]);
    return out;
  }
}

/** app.imaging.to_uint8 in float32: clip to [0, 1], ·255, +0.5, truncate. */
function greyLevel(p) {
  const clipped = p > 0 ? (p < 1 ? p : 1) : 0; // NaN → 0, as numpy's cast gives on x86
  return f32(f32(clipped * 255) + 0.5) | 0;
}

/**
 * y ← Wᵀh + b, skipping the inputs a ReLU zeroed; each output rounded to float32 as torch stores it.
 * Four inputs per pass over the outputs: a quarter of the loads and stores of y, about twice as fast
 * in V8 as one input at a time (bench/page_decoder.py times it against a plain forward pass).
 */
function linear({ weightT, bias, inputs, outputs }, h, y, nonzero) {
  for (let j = 0; j < outputs; j++) y[j] = bias[j];
  let n = 0;
  for (let i = 0; i < inputs; i++) if (h[i] !== 0) nonzero[n++] = i;
  let k = 0;
  for (; k + 3 < n; k += 4) {
    const i0 = nonzero[k], i1 = nonzero[k + 1], i2 = nonzero[k + 2], i3 = nonzero[k + 3];
    const a = h[i0], b = h[i1], c = h[i2], d = h[i3];
    const r0 = i0 * outputs, r1 = i1 * outputs, r2 = i2 * outputs, r3 = i3 * outputs;
    for (let j = 0; j < outputs; j++) {
      y[j] += a * weightT[r0 + j] + b * weightT[r1 + j] + c * weightT[r2 + j] + d * weightT[r3 + j];
    }
  }
  for (; k < n; k++) {
    const v = h[nonzero[k]];
    const r = nonzero[k] * outputs;
    for (let j = 0; j < outputs; j++) y[j] += v * weightT[r + j];
  }
  for (let j = 0; j < outputs; j++) y[j] = f32(y[j]);
}

function transpose(data, rows, columns) {
  const t = new Float32Array(data.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < columns; c++) t[c * rows + r] = data[r * columns + c];
  return t;
}
