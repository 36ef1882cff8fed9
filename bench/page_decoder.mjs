// Run by bench/page_decoder.py: µs per decode of static/js/decoder.js and of a plain forward pass
// (one dot product per output, no skipping of zeros) on the same weights, median of 7 rounds each.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PageDecoder, parseSafetensors } from "../static/js/decoder.js";

const folder = process.argv[2];
const models = JSON.parse(readFileSync(join(folder, "models.json")));

function plainForward(description, tensors, input) {
  let h = Float64Array.from(input);
  for (const layer of description.layers) {
    if (layer.op === "linear") {
      const w = tensors.get(layer.weight).data, b = tensors.get(layer.bias).data;
      const out = new Float64Array(layer.out);
      for (let j = 0; j < layer.out; j++) {
        let s = b[j];
        for (let i = 0; i < layer.in; i++) s += w[j * layer.in + i] * h[i];
        out[j] = s;
      }
      h = out;
    } else if (layer.op === "relu") {
      h = h.map((v) => Math.max(v, 0));
    } else {
      h = h.map((v) => 1 / (1 + Math.exp(-v)));
    }
  }
  return h;
}

function microseconds(fn) {
  for (let i = 0; i < 200; i++) fn(i);
  const rounds = [];
  for (let r = 0; r < 7; r++) {
    const t0 = performance.now();
    for (let i = 0; i < 300; i++) fn(i);
    rounds.push(((performance.now() - t0) / 300) * 1000);
  }
  return rounds.sort((a, b) => a - b)[3];
}

console.log(`${"model".padEnd(15)} page decoder µs   plain forward µs   ratio (plain / page)`);
for (const model of models) {
  const bytes = readFileSync(join(folder, `${model.id}.safetensors`));
  const tensors = parseSafetensors(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const decoder = new PageDecoder(model.decoder, tensors, model.labels);
  const y = decoder.labelWeights(model.labels.length ? model.labels[0] : null);
  const z = new Array(model.decoder.input.latent_dim).fill(0.5);
  const page = microseconds((i) => { z[0] = (i % 100) / 25 - 2; decoder.grey(z, y); });
  const plain = microseconds((i) => { z[0] = (i % 100) / 25 - 2; plainForward(model.decoder, tensors, [...z, ...y]); });
  console.log(`${model.id.padEnd(15)} ${page.toFixed(0).padStart(15)} ${plain.toFixed(0).padStart(18)} ${(plain / page).toFixed(2).padStart(7)}`);
}
