// A drawing pad. The stroke is turned into a 28×28 input framed the way the model's data set was
// (white ink on black; MNIST: the ink scaled into a 20×20 box and centred by its centre of mass, as
// LeCun et al. did; Fashion-MNIST: the longest edge scaled to 28, the box centred), sent to /encode
// (with the label a CVAE conditions on), and the mean of q(z|x) decoded beside it as the
// reconstruction. A drawing made while the server is unreachable is said to wait, and is encoded
// when the server answers again.
import { apiUrl, postJSON } from "./api.js";
import { isNetworkError, whenReachable } from "./connection.js";
import { framing } from "./datasets.js";
import { decodedDigit } from "./decodemode.js";
import { elements } from "./dom.js";
import { formatZ, shownZ } from "./latent.js";
import { pointerDrag } from "./pointerdrag.js";
import { reportError } from "./status.js";

// The VAE panel's pad; another panel names its own elements the same way.
export const VAE_PAD = { canvas: "draw", input: "draw-input", recon: "draw-recon", info: "draw-info", clear: "draw-clear" };

/**
 * A pad on the elements `ids` names (VAE_PAD's keys). `decoding`: the panel's decode control (the
 * reconstruction is decoded where the panel's digits are). Set `pad.model` (and `pad.label` for a
 * CVAE) before a stroke ends. Returns the pad: { model, label, clear }.
 */
export function drawingPad(ids, { decoding, onEncoded, onClear }) {
  const el = elements(ids);
  const ctx = el.canvas.getContext("2d");
  const recon = decodedDigit(el.recon, decoding, { name: "Reconstruction of your drawing" });
  const hint = el.info.textContent;
  const pad = { model: null, label: null, clear };
  let last = null;
  let inked = false;
  let drawing = 0; // counts strokes and clears: an encoding answers only for the drawing still on the pad

  function clear() {
    ctx.fillStyle = "#000";
    ctx.fillRect(0, 0, el.canvas.width, el.canvas.height);
    el.input.getContext("2d").clearRect(0, 0, 28, 28);
    el.recon.getContext("2d").clearRect(0, 0, 28, 28);
    el.info.textContent = hint; // the last drawing's q(z|x) is gone with it
    inked = false;
    drawing++;
    onClear();
  }

  function point(event) {
    const rect = el.canvas.getBoundingClientRect();
    return [((event.clientX - rect.left) / rect.width) * el.canvas.width, ((event.clientY - rect.top) / rect.height) * el.canvas.height];
  }

  function dot([x, y]) {
    // A tap: a zero-length line draws nothing in Chromium, so the pen's round tip is filled instead.
    ctx.fillStyle = "#fff";
    ctx.beginPath();
    ctx.arc(x, y, el.canvas.width / 24, 0, 2 * Math.PI);
    ctx.fill();
    inked = true;
  }

  function segment(from, to) {
    ctx.strokeStyle = "#fff";
    ctx.lineWidth = el.canvas.width / 12;
    ctx.lineCap = "round";
    ctx.lineJoin = "round";
    ctx.beginPath();
    ctx.moveTo(...from);
    ctx.lineTo(...to);
    ctx.stroke();
    inked = true;
  }

  pointerDrag(el.canvas, {
    start(event) {
      last = point(event);
      dot(last);
    },
    move(event) {
      const next = point(event);
      segment(last, next);
      last = next;
    },
    end() {
      drawing++;
      if (inked) encode().catch(reportError);
    },
  });
  el.clear.addEventListener("click", clear);

  async function encode() {
    const pixels = toMnist(el.canvas, framing(pad.model));
    if (!pixels) return;
    const input = el.input.getContext("2d");
    const image = input.createImageData(28, 28);
    pixels.flat().forEach((v, i) => {
      image.data.set([v * 255, v * 255, v * 255, 255], i * 4);
    });
    input.putImageData(image, 0, 0);
    const [model, label, which] = [pad.model, pad.label, drawing];
    let answer;
    try {
      answer = await postJSON(apiUrl(model.id, "encode"), label === null ? { pixels } : { pixels, label });
    } catch (error) {
      if (!isNetworkError(error)) throw error;
      el.info.textContent = "The server is unreachable: this drawing is encoded as soon as it answers (waiting for the server).";
      await whenReachable();
      if (which === drawing && model === pad.model) await encode();
      return;
    }
    if (which !== drawing || model !== pad.model) return; // cleared, redrawn or another model meanwhile
    const { mu, sigma } = answer;
    el.info.textContent = `q(z|x): μ = ${shownZ(mu)}, σ = ${shownZ(sigma)}`;
    const query = label === null ? { z: formatZ(mu) } : { z: formatZ(mu), label };
    recon.show(model, query, `z = ${shownZ(mu)}`);
    onEncoded(mu, sigma);
  }

  clear();
  return pad;
}

/**
 * The drawing as 28 rows of 28 values in [0, 1]; null when there is no ink. The ink's bounding box
 * is scaled to fit `box` pixels and centred by its centre of mass (`centre: "mass"`) or by the box.
 */
function toMnist(source, { box: fit = 20, centre = "mass" } = {}) {
  const { width, height } = source;
  const data = source.getContext("2d").getImageData(0, 0, width, height).data;
  let [x0, y0, x1, y1] = [width, height, -1, -1];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (data[(y * width + x) * 4] > 32) {
        x0 = Math.min(x0, x); x1 = Math.max(x1, x);
        y0 = Math.min(y0, y); y1 = Math.max(y1, y);
      }
    }
  }
  if (x1 < 0) return null;
  // Fit the ink's bounding box into fit×fit, keeping its aspect ratio (a "1" stays thin).
  const side = Math.max(x1 - x0 + 1, y1 - y0 + 1);
  const w = Math.max(1, Math.round((fit * (x1 - x0 + 1)) / side));
  const h = Math.max(1, Math.round((fit * (y1 - y0 + 1)) / side));
  const box = new OffscreenCanvas(w, h).getContext("2d", { willReadFrequently: true });
  box.imageSmoothingEnabled = true;
  box.imageSmoothingQuality = "high";
  box.drawImage(source, x0, y0, x1 - x0 + 1, y1 - y0 + 1, 0, 0, w, h);
  const small = box.getImageData(0, 0, w, h).data;
  let [mass, mx, my] = [0, 0, 0];
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const v = small[(y * w + x) * 4] / 255;
      mass += v; mx += v * x; my += v * y;
    }
  }
  // Shift so the centre of mass (or of the box) lands on the centre of the 28×28 frame.
  const byMass = centre === "mass" && mass > 0;
  const dx = byMass ? Math.round(14 - mx / mass - 0.5) : Math.floor((28 - w) / 2);
  const dy = byMass ? Math.round(14 - my / mass - 0.5) : Math.floor((28 - h) / 2);
  const rows = Array.from({ length: 28 }, () => new Array(28).fill(0));
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const [tx, ty] = [x + dx, y + dy];
      if (tx >= 0 && tx < 28 && ty >= 0 && ty < 28) rows[ty][tx] = Math.round((small[(y * w + x) * 4] / 255) * 1000) / 1000;
    }
  }
  return rows;
}
