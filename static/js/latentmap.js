// The latent map of a 2-D model: the decoded manifold (a linear grid, so the picture and the
// scatter share one coordinate system), the held-out digits' encoder means coloured by label,
// the current z, a drawing's q(z|x) as 1σ and 2σ ellipses, and the interpolation ends.
import { apiUrl, getImage, getJSON } from "./api.js";
import { isNetworkError, whenReachable } from "./connection.js";
import { labelName } from "./datasets.js";
import { elements } from "./dom.js";
import { PALETTE } from "./palette.js";
import { pointerDrag } from "./pointerdrag.js";
import { reportError } from "./status.js";

const GRID_N = 20;
const SPAN = 4;
const KEY_STEP = 0.1;

/**
 * The map for one model. Returns { setZ, showEncoding, setEnds, destroy }: call destroy() before
 * building the next model's map, or both answer every event on the canvas.
 */
export function latentMap(model, { onPoint, onPick }) {
  const el = elements({
    canvas: "map", manifold: "map-manifold", scatter: "map-scatter", tip: "map-tip", legend: "map-legend",
  });
  const listening = new AbortController();
  delete el.canvas.dataset.ready; // set again once this model's picture and points are in
  const on = (target, type, handler) => target.addEventListener(type, handler, { signal: listening.signal });
  const ctx = el.canvas.getContext("2d");
  const W = el.canvas.width;
  const H = el.canvas.height;
  const state = {
    z: [0, 0], pinned: [0, 0], previewing: false,
    manifold: null, lo: -SPAN, hi: SPAN, mu: [], labels: [], encoding: null, ends: [null, null],
  };

  const toPx = ([a, b]) => [((a - state.lo) / (state.hi - state.lo)) * W, ((state.hi - b) / (state.hi - state.lo)) * H];
  const toZ = (px, py) => [state.lo + (px / W) * (state.hi - state.lo), state.hi - (py / H) * (state.hi - state.lo)];

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
    ctx.fillStyle = "#000";
    ctx.fillRect(0, 0, W, H);
    if (state.manifold && el.manifold.checked) {
      ctx.imageSmoothingEnabled = false;
      ctx.globalAlpha = el.scatter.checked ? 0.6 : 1;
      ctx.drawImage(state.manifold, 0, 0, W, H);
      ctx.globalAlpha = 1;
    }
    if (el.scatter.checked) {
      state.mu.forEach((point, i) => {
        const [x, y] = toPx(point);
        ctx.fillStyle = PALETTE[state.labels[i] % PALETTE.length];
        ctx.beginPath();
        ctx.arc(x, y, 2.6, 0, 2 * Math.PI);
        ctx.fill();
      });
    }
    drawEnds();
    if (state.encoding) drawEncoding(state.encoding);
    drawMarker(state.z);
  }

  function drawEnds() {
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
    ctx.font = "bold 14px system-ui, sans-serif";
    [a, b].forEach((p, i) => {
      if (!p) return;
      const [x, y] = toPx(p);
      ctx.fillStyle = "#fff";
      ctx.fillRect(x - 9, y - 9, 18, 18);
      ctx.fillStyle = "#000";
      ctx.fillText("AB"[i], x - 5, y + 5);
    });
  }

  function drawEncoding({ mu, sigma }) {
    const [x, y] = toPx(mu);
    const scale = W / (state.hi - state.lo);
    for (const [k, alpha] of [[2, 0.18], [1, 0.32]]) {
      ctx.beginPath();
      ctx.ellipse(x, y, Math.max(1, k * sigma[0] * scale), Math.max(1, k * sigma[1] * scale), 0, 0, 2 * Math.PI);
      ctx.fillStyle = `rgba(255, 214, 0, ${alpha})`;
      ctx.fill();
      ctx.strokeStyle = "#ffd600";
      ctx.lineWidth = 2;
      ctx.stroke();
    }
    ctx.fillStyle = "#ffd600";
    ctx.fillRect(x - 3, y - 3, 6, 6);
  }

  function drawMarker(z) {
    const [x, y] = toPx(z);
    ctx.lineWidth = 2;
    ctx.strokeStyle = "#000";
    ctx.beginPath();
    ctx.arc(x, y, 9, 0, 2 * Math.PI);
    ctx.stroke();
    ctx.strokeStyle = "#fff";
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    ctx.arc(x, y, 8, 0, 2 * Math.PI);
    ctx.moveTo(x - 14, y); ctx.lineTo(x - 4, y);
    ctx.moveTo(x + 4, y); ctx.lineTo(x + 14, y);
    ctx.moveTo(x, y - 14); ctx.lineTo(x, y - 4);
    ctx.moveTo(x, y + 4); ctx.lineTo(x, y + 14);
    ctx.stroke();
  }

  /** The z under a pointer, clamped to the map: a drag that leaves it stops at its edge. */
  function eventZ(event) {
    const rect = el.canvas.getBoundingClientRect();
    const fx = Math.min(1, Math.max(0, (event.clientX - rect.left) / rect.width));
    const fy = Math.min(1, Math.max(0, (event.clientY - rect.top) / rect.height));
    return toZ(fx * W, fy * H);
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
  on(el.manifold, "change", draw);
  on(el.scatter, "change", draw);
  loadUntilDone();

  return {
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
