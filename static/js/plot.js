// Small hand-drawn plots on canvas: a frame with ticks, and scales from data to pixels.

export const FONT = "12px system-ui, sans-serif";

/**
 * A plot area inside `size` ({ width, height } in drawing units: a sharpCanvas handle) with
 * margins, mapping [x0,x1]×[y0,y1] to those units.
 */
export function frame(size, [x0, x1], [y0, y1], { left = 44, right = 12, top = 10, bottom = 32 } = {}) {
  const w = size.width - left - right;
  const h = size.height - top - bottom;
  return {
    left, top, w, h, x0, x1, y0, y1, height: size.height,
    x: (v) => left + ((v - x0) / (x1 - x0)) * w,
    y: (v) => top + h - ((v - y0) / (y1 - y0)) * h,
    invX: (px) => x0 + ((px - left) / w) * (x1 - x0),
  };
}

/** Axes with a few ticks and labels, drawn in `ctx` for frame `f`. */
export function axes(ctx, f, { xLabel = "", yLabel = "", xTicks = 5, yTicks = 4 } = {}) {
  ctx.save();
  ctx.strokeStyle = "#888";
  ctx.fillStyle = "#444";
  ctx.font = FONT;
  ctx.lineWidth = 1;
  ctx.strokeRect(f.left + 0.5, f.top + 0.5, f.w, f.h);
  ctx.textAlign = "center";
  ctx.textBaseline = "top";
  for (const v of ticks(f.x0, f.x1, xTicks)) {
    const x = Math.round(f.x(v)) + 0.5;
    ctx.beginPath(); ctx.moveTo(x, f.top + f.h); ctx.lineTo(x, f.top + f.h + 4); ctx.stroke();
    ctx.fillText(fmt(v), x, f.top + f.h + 5);
  }
  ctx.textAlign = "right";
  ctx.textBaseline = "middle";
  for (const v of ticks(f.y0, f.y1, yTicks)) {
    const y = Math.round(f.y(v)) + 0.5;
    ctx.beginPath(); ctx.moveTo(f.left - 4, y); ctx.lineTo(f.left, y); ctx.stroke();
    ctx.fillText(fmt(v), f.left - 6, y);
  }
  ctx.textAlign = "center";
  ctx.textBaseline = "bottom";
  if (xLabel) ctx.fillText(xLabel, f.left + f.w / 2, f.height - 1);
  if (yLabel) {
    ctx.translate(11, f.top + f.h / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.textBaseline = "middle";
    ctx.fillText(yLabel, 0, 0);
  }
  ctx.restore();
}

/** "Nice" tick values (1, 2, 5 × 10^k steps) covering [a, b]. */
function ticks(a, b, count) {
  const raw = (b - a) / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) || raw;
  const out = [];
  for (let v = Math.ceil(a / step) * step; v <= b + 1e-9; v += step) out.push(Math.abs(v) < 1e-12 ? 0 : v);
  return out;
}

const fmt = (v) => (Math.abs(v) >= 100 || Number.isInteger(v) ? String(v) : v.toFixed(Math.abs(v) < 0.1 ? 2 : 1));

/** A polyline through points [[x, y]…] already in pixels. */
export function polyline(ctx, points) {
  ctx.beginPath();
  points.forEach(([x, y], i) => (i ? ctx.lineTo(x, y) : ctx.moveTo(x, y)));
  ctx.stroke();
}

/** Gaussian density N(t | mu, sigma²). */
export const gauss = (t, mu, sigma) => Math.exp(-0.5 * ((t - mu) / sigma) ** 2) / (sigma * Math.sqrt(2 * Math.PI));
