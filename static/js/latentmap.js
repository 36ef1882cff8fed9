// The latent map of a 2-D model: the decoded manifold (a linear grid, so the picture and the
// scatter share one coordinate system), the held-out digits' encoder means coloured by label, the
// axes with the prior's 1σ/2σ/3σ circles, the current z (at the map's edge, with its value, when
// it lies beyond), a drawing's q(z|x) as 1σ and 2σ ellipses (magnified beside it when smaller than
// the marker), and the interpolation ends, labelled on top of everything.
import { apiUrl, getImage, getJSON } from "./api.js";
import { isNetworkError, whenReachable } from "./connection.js";
import { labelName } from "./datasets.js";
import { elements } from "./dom.js";
import { sharpCanvas } from "./hidpi.js";
import { shownZ } from "./latent.js";
import { PALETTE } from "./palette.js";
import { pointerDrag } from "./pointerdrag.js";
import { reportError } from "./status.js";

const GRID_N = 20;
const SPAN = 4;
const KEY_STEP = 0.1;
// q(z|x) in a colour no label has, nor its blends with the black map (it was label 5's yellow; a cyan
// fades towards label 0's blue), and that reads on black and on digits.
const POSTERIOR = "#ff40ff";
const MARKER_R = 14; // the crosshair's reach, in map units (the canvas is 560 wide)
const LABEL_FONT = "bold 14px system-ui, sans-serif";
const TICK_FONT = "12px system-ui, sans-serif";
const GRAB_CSS_PX = 28; // a finger this close to the marker drags it; farther away it scrolls the page

/**
 * The map for one model. Returns { canvas, setZ, showEncoding, setEnds, destroy }: call destroy() before
 * building the next model's map, or both answer every event on the canvas.
 */
export function latentMap(model, { onPoint, onPick }) {
  const el = elements({
    canvas: "map", manifold: "map-manifold", scatter: "map-scatter", axes: "map-axes", tip: "map-tip", legend: "map-legend",
  });
  const listening = new AbortController();
  delete el.canvas.dataset.ready; // set again once this model's picture and points are in
  const on = (target, type, handler) => target.addEventListener(type, handler, { signal: listening.signal });
  const sharp = sharpCanvas(el.canvas, () => draw());
  const { width: W, height: H } = sharp;
  let ctx = sharp.begin();
  const state = {
    z: [0, 0], pinned: [0, 0], previewing: false,
    manifold: null, lo: -SPAN, hi: SPAN, mu: [], labels: [], encoding: null, ends: [null, null],
  };

  const toPx = ([a, b]) => [((a - state.lo) / (state.hi - state.lo)) * W, ((state.hi - b) / (state.hi - state.lo)) * H];
  const toZ = (px, py) => [state.lo + (px / W) * (state.hi - state.lo), state.hi - (py / H) * (state.hi - state.lo)];
  const unit = () => W / (state.hi - state.lo); // map pixels per unit of z

  /** Load the picture and the points; after an outage, again once the server answers. */
  function loadUntilDone() {
    load().catch((error) => {
      if (listening.signal.aborted) return;
      if (isNetworkError(error)) whenReachable().then(() => { if (!listening.signal.aborted) loadUntilDone(); });
      else reportError(error);
    });
  }

  async function load() {
    const { bitmap, headers } = await getImage(apiUrl(model.id, "manifold", { n: GRID_N, grid: "linear", span: SPAN }));
    // The axis header lists cell centres; each cell reaches half a step beyond them.
    const axis = (headers.get("X-Latent-Axis") || "").split(",").map(Number);
    if (axis.length === GRID_N && axis.every(Number.isFinite)) {
      const half = (axis[GRID_N - 1] - axis[0]) / (GRID_N - 1) / 2;
      state.lo = axis[0] - half;
      state.hi = axis[GRID_N - 1] + half;
    }
    if (listening.signal.aborted) return;
    state.manifold = bitmap;
    draw();
    const embedding = await getJSON(apiUrl(model.id, "embedding", { limit: 2000 }));
    if (listening.signal.aborted) return;
    Object.assign(state, { mu: embedding.mu, labels: embedding.labels });
    legend([...new Set(embedding.labels)].sort((a, b) => a - b));
    draw();
    el.canvas.dataset.ready = "1";
  }

  function legend(labels) {
    el.legend.replaceChildren(...labels.map((label) => {
      const item = document.createElement("span");
      const dot = document.createElement("i");
      dot.style.background = PALETTE[label % PALETTE.length];
      item.append(dot, labelName(model, label));
      return item;
    }));
  }

  function draw() {
    if (listening.signal.aborted) return;
    ctx = sharp.begin();
    ctx.fillStyle = "#000";
    ctx.fillRect(0, 0, W, H);
    if (state.manifold && el.manifold.checked) {
      ctx.imageSmoothingEnabled = false;
      ctx.globalAlpha = el.scatter.checked ? 0.6 : 1;
      ctx.drawImage(state.manifold, 0, 0, W, H);
      ctx.globalAlpha = 1;
    }
    if (el.axes?.checked) drawPrior();
    if (el.scatter.checked) {
      state.mu.forEach((point, i) => {
        const [x, y] = toPx(point);
        ctx.fillStyle = PALETTE[state.labels[i] % PALETTE.length];
        ctx.beginPath();
        ctx.arc(x, y, 2.6, 0, 2 * Math.PI);
        ctx.fill();
      });
    }
    drawPath();
    if (state.encoding) drawEncoding(state.encoding);
    drawMarker(state.z);
    if (el.axes?.checked) drawTicks();
    drawEndLabels(); // last: nothing covers A or B
    describe();
  }

  /** The prior N(0, I): circles at 1σ, 2σ, 3σ around the origin, and the origin's cross. */
  function drawPrior() {
    const [ox, oy] = toPx([0, 0]);
    ctx.save();
    ctx.strokeStyle = "rgba(255, 255, 255, 0.55)";
    ctx.lineWidth = 1.2;
    ctx.setLineDash([4, 5]);
    for (const k of [1, 2, 3]) {
      ctx.beginPath();
      ctx.arc(ox, oy, k * unit(), 0, 2 * Math.PI);
      ctx.stroke();
    }
    ctx.setLineDash([]);
    ctx.strokeStyle = "rgba(255, 255, 255, 0.8)";
    ctx.beginPath();
    ctx.moveTo(ox - 8, oy); ctx.lineTo(ox + 8, oy);
    ctx.moveTo(ox, oy - 8); ctx.lineTo(ox, oy + 8);
    ctx.stroke();
    ctx.restore();
  }

  /** Ticks at whole z values along the bottom and left edges, labelled in white boxes; the σ circles named. */
  function drawTicks() {
    ctx.save();
    ctx.font = TICK_FONT;
    ctx.textAlign = "center";
    ctx.textBaseline = "middle";
    const box = (text, x, y) => {
      const w = ctx.measureText(text).width + 6;
      ctx.fillStyle = "rgba(255, 255, 255, 0.92)";
      ctx.fillRect(x - w / 2, y - 8, w, 16);
      ctx.fillStyle = "#1d1d1f";
      ctx.fillText(text, x, y);
    };
    ctx.strokeStyle = "#fff";
    ctx.lineWidth = 1.5;
    for (let v = Math.ceil(state.lo); v <= Math.floor(state.hi); v++) {
      const [x] = toPx([v, 0]);
      const [, y] = toPx([0, v]);
      ctx.beginPath();
      ctx.moveTo(x, H); ctx.lineTo(x, H - 6);
      ctx.moveTo(0, y); ctx.lineTo(6, y);
      ctx.stroke();
      if (v % 2 === 0) {
        box(String(v).replace("-", "−"), x, H - 16);
        if (v !== 0 && Math.abs(v) < state.hi - 0.3) box(String(v).replace("-", "−"), 18, y);
      }
    }
    box("z₁ →", W - 24, H - 16);
    box("z₂ ↑", 22, 14);
    const [ox, oy] = toPx([0, 0]);
    for (const k of [1, 2, 3]) box(`${k}σ`, ox + k * unit() * Math.SQRT1_2 + 10, oy - k * unit() * Math.SQRT1_2 - 10);
    ctx.restore();
  }

  function drawPath() {
    const [a, b] = state.ends;
    ctx.lineWidth = 2;
    ctx.strokeStyle = "#fff";
    ctx.setLineDash([6, 4]);
    if (a && b) {
      ctx.beginPath();
      ctx.moveTo(...toPx(a));
      ctx.lineTo(...toPx(b));
      ctx.stroke();
    }
    ctx.setLineDash([]);
    for (const p of state.ends) {
      if (!p) continue;
      const [x, y] = toPx(p);
      ctx.fillStyle = "#fff";
      ctx.strokeStyle = "#000";
      ctx.lineWidth = 1.5;
      ctx.beginPath();
      ctx.arc(x, y, 4, 0, 2 * Math.PI);
      ctx.fill();
      ctx.stroke();
    }
  }

  /** A and B in white boxes beside their points (up and right, or mirrored near an edge), clear of the marker. */
  function drawEndLabels() {
    ctx.font = LABEL_FONT;
    ctx.textAlign = "left";
    ctx.textBaseline = "alphabetic";
    state.ends.forEach((p, i) => {
      if (!p) return;
      const [x, y] = toPx(p);
      const bx = x + 30 > W ? x - 30 : x + 12;
      const by = y - 30 < 0 ? y + 12 : y - 30;
      ctx.fillStyle = "#fff";
      ctx.fillRect(bx, by, 18, 18);
      ctx.strokeStyle = "#000";
      ctx.lineWidth = 1;
      ctx.strokeRect(bx + 0.5, by + 0.5, 17, 17);
      ctx.fillStyle = "#000";
      ctx.fillText("AB"[i], bx + 4, by + 14);
    });
  }

  function ellipses(x, y, sigma, scale) {
    for (const [k, alpha] of [[2, 0.16], [1, 0.3]]) {
      ctx.beginPath();
      ctx.ellipse(x, y, Math.max(1, k * sigma[0] * scale), Math.max(1, k * sigma[1] * scale), 0, 0, 2 * Math.PI);
      ctx.fillStyle = `rgba(255, 64, 255, ${alpha})`;
      ctx.fill();
      ctx.strokeStyle = POSTERIOR;
      ctx.lineWidth = 2;
      ctx.stroke();
    }
  }

  /**
   * q(z|x) at its place and scale; when its 2σ ellipse would hide under the marker (a typical
   * drawing's σ is 0.03–0.08, a few pixels), also magnified in a circle beside it, its factor named.
   */
  function drawEncoding({ mu, sigma }) {
    const [x, y] = toPx(mu);
    ellipses(x, y, sigma, unit());
    const twoSigma = 2 * Math.max(...sigma) * unit();
    el.canvas.dataset.magnified = "";
    if (twoSigma >= MARKER_R + 6) return;
    const factor = [2, 5, 10, 20, 50, 100, 200].find((f) => twoSigma * f >= 22) || 200;
    const R = 36;
    const cx = x + 62 + R > W ? x - 62 : x + 62;
    const cy = y + 62 + R > H ? y - 62 : y + 62;
    ctx.save();
    ctx.strokeStyle = POSTERIOR;
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    ctx.moveTo(x + (cx - x) * 0.25, y + (cy - y) * 0.25);
    ctx.lineTo(cx - ((cx - x) / Math.hypot(cx - x, cy - y)) * R, cy - ((cy - y) / Math.hypot(cx - x, cy - y)) * R);
    ctx.stroke();
    ctx.beginPath();
    ctx.arc(cx, cy, R, 0, 2 * Math.PI);
    ctx.fillStyle = "rgba(0, 0, 0, 0.85)";
    ctx.fill();
    ctx.lineWidth = 2;
    ctx.stroke();
    ctx.clip();
    ellipses(cx, cy, sigma, unit() * factor);
    ctx.restore();
    ctx.font = TICK_FONT;
    ctx.textAlign = "center";
    ctx.textBaseline = "middle";
    const text = `q(z|x) ×${factor}`;
    const w = ctx.measureText(text).width + 8;
    ctx.fillStyle = "#fff";
    ctx.fillRect(cx - w / 2, cy + R + 2, w, 16);
    ctx.fillStyle = "#1d1d1f";
    ctx.fillText(text, cx, cy + R + 10);
    el.canvas.dataset.magnified = String(factor);
  }

  /** The current z: a crosshair, or at the edge an arrow pointing where it lies, with its value. */
  function drawMarker(z) {
    let [x, y] = toPx(z);
    const inside = x >= 0 && x <= W && y >= 0 && y <= H;
    if (!inside) {
      const [cx, cy] = [Math.min(W - 16, Math.max(16, x)), Math.min(H - 16, Math.max(16, y))];
      const angle = Math.atan2(y - cy, x - cx);
      ctx.save();
      ctx.translate(cx, cy);
      ctx.rotate(angle);
      ctx.beginPath();
      ctx.moveTo(12, 0);
      ctx.lineTo(-8, -10);
      ctx.lineTo(-8, 10);
      ctx.closePath();
      ctx.fillStyle = "#fff";
      ctx.fill();
      ctx.strokeStyle = "#000";
      ctx.lineWidth = 2;
      ctx.stroke();
      ctx.restore();
      ctx.font = TICK_FONT;
      ctx.textBaseline = "middle";
      const text = `z = ${shownZ(z)}`;
      const w = ctx.measureText(text).width + 8;
      const tx = Math.min(W - w - 4, Math.max(4, cx - w / 2));
      const ty = cy + (cy > H / 2 ? -30 : 22);
      ctx.fillStyle = "#fff";
      ctx.fillRect(tx, ty - 8, w, 16);
      ctx.fillStyle = "#1d1d1f";
      ctx.textAlign = "left";
      ctx.fillText(text, tx + 4, ty);
      return;
    }
    ctx.lineWidth = 2;
    ctx.strokeStyle = "#000";
    ctx.beginPath();
    ctx.arc(x, y, 9, 0, 2 * Math.PI);
    ctx.stroke();
    ctx.strokeStyle = "#fff";
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    ctx.arc(x, y, 8, 0, 2 * Math.PI);
    ctx.moveTo(x - MARKER_R, y); ctx.lineTo(x - 4, y);
    ctx.moveTo(x + 4, y); ctx.lineTo(x + MARKER_R, y);
    ctx.moveTo(x, y - MARKER_R); ctx.lineTo(x, y - 4);
    ctx.moveTo(x, y + 4); ctx.lineTo(x, y + MARKER_R);
    ctx.stroke();
  }

  /** The map's accessible name ends with the current z, and says when it lies beyond the map. */
  function describe() {
    const base = el.canvas.dataset.ariaName || el.canvas.getAttribute("aria-label").split(" Now at z")[0];
    const [a, b] = state.z;
    const beyond = [a < state.lo && "left", a > state.hi && "right", b > state.hi && "top", b < state.lo && "bottom"].filter(Boolean);
    el.canvas.setAttribute("aria-label", `${base} Now at z = ${shownZ(state.z)}` +
      `${beyond.length ? `, beyond the map's ${beyond.join(" and ")} edge (it shows ±${state.hi.toFixed(1)})` : ""}.`);
    el.canvas.dataset.marker = beyond.length ? "edge" : "inside";
  }

  /** The z under a pointer, clamped to the map: a drag that leaves it stops at its edge. */
  function eventZ(event) {
    const rect = el.canvas.getBoundingClientRect();
    const fx = Math.min(1, Math.max(0, (event.clientX - rect.left) / rect.width));
    const fy = Math.min(1, Math.max(0, (event.clientY - rect.top) / rect.height));
    return toZ(fx * W, fy * H);
  }

  /** Whether a press is on the marker (a finger there drags z; elsewhere it scrolls the page). */
  function onMarker(event) {
    const rect = el.canvas.getBoundingClientRect();
    const [x, y] = toPx(state.z).map((v) => Math.min(W, Math.max(0, v)));
    const [mx, my] = [rect.left + (x / W) * rect.width, rect.top + (y / H) * rect.height];
    return Math.hypot(event.clientX - mx, event.clientY - my) <= GRAB_CSS_PX;
  }

  /** The held-out point under the pointer (within a few pixels), named in a tooltip. */
  function showTip(event) {
    const rect = el.canvas.getBoundingClientRect();
    const [px, py] = [((event.clientX - rect.left) / rect.width) * W, ((event.clientY - rect.top) / rect.height) * H];
    let [best, bestD2] = [-1, (6 * W / rect.width) ** 2];
    if (el.scatter.checked) {
      state.mu.forEach((point, i) => {
        const [x, y] = toPx(point);
        const d2 = (x - px) ** 2 + (y - py) ** 2;
        if (d2 < bestD2) [best, bestD2] = [i, d2];
      });
    }
    el.tip.hidden = best < 0;
    if (best < 0) return;
    el.tip.textContent = labelName(model, state.labels[best]);
    // Beside the pointer, on the side towards the map's centre so it never sticks out of the page
    // (the tip is positioned against .map-fig).
    const [x, y] = [event.clientX - rect.left + el.canvas.offsetLeft, event.clientY - rect.top + el.canvas.offsetTop];
    el.tip.style.left = `${px < W / 2 ? x + 12 : x - 12 - el.tip.offsetWidth}px`;
    el.tip.style.top = `${py < H / 2 ? y + 12 : y - 12 - el.tip.offsetHeight}px`;
  }

  const pin = (event) => {
    state.pinned = eventZ(event);
    onPoint(state.pinned);
  };
  const drag = pointerDrag(el.canvas, {
    start(event) {
      state.previewing = false;
      onPick();
      pin(event);
    },
    move(event) {
      if (event.pointerType === "mouse") showTip(event);
      pin(event);
    },
    hover(event) {
      if (event.pointerType !== "mouse") return;
      showTip(event);
      state.previewing = true;
      onPoint(eventZ(event));
    },
    grab: onMarker,
  }, { signal: listening.signal });
  on(el.canvas, "pointerleave", () => {
    el.tip.hidden = true;
    if (state.previewing && !drag.dragging) {
      state.previewing = false;
      onPoint(state.pinned);
    }
  });
  on(el.canvas, "keydown", (event) => {
    const step = event.shiftKey ? 5 * KEY_STEP : KEY_STEP;
    const move = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, step], ArrowDown: [0, -step] }[event.key];
    if (!move) return;
    event.preventDefault();
    onPick();
    const clamp = (v) => Math.min(state.hi, Math.max(state.lo, v));
    state.previewing = false;
    state.pinned = [clamp(state.z[0] + move[0]), clamp(state.z[1] + move[1])];
    onPoint(state.pinned);
  });
  for (const toggle of [el.manifold, el.scatter, el.axes]) if (toggle) on(toggle, "change", draw);
  loadUntilDone();

  return {
    canvas: el.canvas, // as drawn, for export
    destroy() {
      listening.abort();
      el.tip.hidden = true;
    },
    setZ(z) {
      state.z = z.slice();
      if (!state.previewing) state.pinned = z.slice();
      draw();
    },
    showEncoding(mu, sigma) {
      state.encoding = mu ? { mu, sigma } : null;
      el.canvas.dataset.ellipse = mu ? "1" : "";
      draw();
    },
    setEnds(a, b) {
      state.ends = [a, b];
      draw();
    },
  };
}
