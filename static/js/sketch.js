// A sketch pad: strokes with a mouse, pen or finger become a 28×28 input framed the way a model's
// data set was (white ink on black; MNIST: the ink scaled into a 20×20 box and centred by its centre
// of mass, as LeCun et al. did; Fashion-MNIST: the longest edge scaled to 28, the box centred).
// What the drawing is then used for (one model's encoding, or several) is the caller's.
import { elements } from "./dom.js";
import { pointerDrag } from "./pointerdrag.js";

/**
 * A pad on the elements `ids` names ({ canvas, input, clear }: the pad, the 28×28 preview of the
 * encoder's input, the Clear button). When a stroke ends on an inked pad, `onDrawn(pixelsFor, which)`:
 * `pixelsFor(framing)` gives the 28 rows for a data set's framing (datasets.js), `which` counts
 * drawings (a later one, or a clear, makes an earlier answer stale). Returns { clear, which(), preview(pixels) }.
 */
export function sketchPad(ids, { onDrawn, onClear = () => {} }) {
  const el = elements(ids);
  const ctx = el.canvas.getContext("2d", { willReadFrequently: true }); // toMnist reads it back after each stroke
  let last = null;
  let inked = false;
  let drawing = 0;

  function clear() {
    ctx.fillStyle = "#000";
    ctx.fillRect(0, 0, el.canvas.width, el.canvas.height);
    el.input.getContext("2d").clearRect(0, 0, 28, 28);
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

  /** Show `pixels` (28 rows of [0, 1]) as the encoder's input. */
  function preview(pixels) {
    const input = el.input.getContext("2d");
    const image = input.createImageData(28, 28);
    pixels.flat().forEach((v, i) => {
      image.data.set([v * 255, v * 255, v * 255, 255], i * 4);
    });
    input.putImageData(image, 0, 0);
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
      if (inked) onDrawn((frame) => toMnist(el.canvas, frame), drawing);
    },
  });
  el.clear.addEventListener("click", clear);
  clear();
  return { clear, which: () => drawing, preview };
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
