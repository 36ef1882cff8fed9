// Export for slides and handouts: the current digit at a chosen size, the latent map or a plot as a
// PNG with its caption under the picture (and in the file's text chunks); the dream walk or an
// interpolation as an animated PNG, every frame decoded in the page (no request per frame).
import { animatedPng, withText } from "./png.js";

const INK = "#1d1d1f";

/** Lines of caption under a picture `width` wide: { height, draw(ctx, top) }. */
function captionBand(width, lines) {
  const size = Math.max(12, Math.round(width / 28));
  const line = Math.round(size * 1.35);
  return {
    height: Math.round(line * lines.length + size * 0.9),
    draw(ctx, top) {
      ctx.fillStyle = "#fff";
      ctx.fillRect(0, top, width, this.height);
      ctx.fillStyle = INK;
      ctx.textBaseline = "top";
      lines.forEach((text, i) => {
        ctx.font = `${i === 0 ? "600 " : ""}${size}px system-ui, sans-serif`;
        ctx.fillText(text, Math.round(size * 0.5), top + Math.round(size * 0.45) + i * line, width - size);
      });
    },
  };
}

/** `source` (a canvas) drawn `width` wide, nearest-neighbour when `pixelated`, with `lines` under it. */
function captioned(source, { width, lines, pixelated }) {
  const height = Math.round((source.height * width) / source.width);
  const band = captionBand(width, lines);
  const canvas = document.createElement("canvas");
  Object.assign(canvas, { width, height: height + band.height });
  const ctx = canvas.getContext("2d");
  ctx.imageSmoothingEnabled = !pixelated;
  ctx.drawImage(source, 0, 0, width, height);
  band.draw(ctx, height);
  return canvas;
}

/** Hand `blob` to the browser as a download named `name`. */
function download(blob, name) {
  const link = Object.assign(document.createElement("a"), { href: URL.createObjectURL(blob), download: name });
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 30000);
}

const texts = (lines) => ({ Title: lines[0], Description: lines.join("\n"), Software: "Latent Explorer" });

/**
 * Download `source` as a PNG `width` pixels wide (default: its own resolution) with `lines` of
 * caption under it and in its tEXt chunks. `pixelated`: scale by nearest neighbour (a 28×28 digit).
 */
export async function exportPng(source, { lines, name, width = source.width, pixelated = false }) {
  const canvas = captioned(source, { width, lines, pixelated });
  const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/png"));
  const file = await withText(blob, texts(lines));
  download(file, name);
  return file;
}

/**
 * Download an animated PNG of `frames` decoded by `decoder` (the page's, checked): each frame is
 * { z, y, lines }: the latent point, the label weights (a CVAE) and the caption under it. `scale`:
 * pixels per digit pixel; `delayMs`: per frame.
 */
export async function exportAnimation(decoder, frames, { name, title, scale = 8, delayMs = 50 }) {
  const size = 28 * scale;
  const band = captionBand(size, frames[0].lines);
  const canvas = document.createElement("canvas");
  Object.assign(canvas, { width: size, height: size + band.height });
  const ctx = canvas.getContext("2d", { willReadFrequently: true });
  ctx.imageSmoothingEnabled = false;
  const digit = new OffscreenCanvas(28, 28);
  const digitCtx = digit.getContext("2d");
  const image = new ImageData(28, 28);
  const grey = new Uint8Array(784);
  const out = [];
  for (const frame of frames) {
    decoder.grey(frame.z, frame.y, grey);
    for (let i = 0; i < 784; i++) image.data.set([grey[i], grey[i], grey[i], 255], 4 * i);
    digitCtx.putImageData(image, 0, 0);
    ctx.drawImage(digit, 0, 0, size, size);
    captionBand(size, frame.lines).draw(ctx, size);
    const rgba = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
    out.push(Uint8Array.from({ length: rgba.length / 4 }, (_, i) => rgba[4 * i])); // grey: R = G = B
  }
  const file = await animatedPng(out, { width: canvas.width, height: canvas.height, delayMs, texts: texts([title, `${frames.length} frames, ${delayMs} ms each`]) });
  download(file, name);
  return file;
}

/** A walk through `stops` (latent points), `per` frames from one to the next, with a cosine ease (as the dream glides). */
export function walk(stops, per) {
  const points = [];
  for (let s = 0; s + 1 < stops.length; s++) {
    for (let f = 0; f < per; f++) {
      const w = (1 - Math.cos((Math.PI * f) / per)) / 2;
      points.push(stops[s].map((a, i) => a + (stops[s + 1][i] - a) * w));
    }
  }
  return points;
}
