// MDN on Bishop's inverse problem: the data and p(t|x) as a heatmap with a movable x, the mixture
// at that x kernel by kernel, and πₖ(x), μₖ(x) across x in the same colour per kernel. x is in the link.
import { Latest, apiUrl, getJSON } from "./api.js";
import { elements } from "./dom.js";
import { exportPng } from "./export.js";
import { sharpCanvas } from "./hidpi.js";
import { PALETTE } from "./palette.js";
import { FONT, axes, frame, gauss, polyline } from "./plot.js";
import { pointerDrag } from "./pointerdrag.js";
import { keepInUrl, linkedNumber, sayLinkNotes } from "./urlstate.js";

const GRAB_CSS_PX = 24; // a finger this close to the x line drags it; farther away it scrolls the page

export const matches = (model) => model.kind === "mdn" && model.input_dim === 1 && model.output_dim === 1;
export const none = "No 1-D mixture density network is being served.";

export async function start({ models: [model], params }) {
  const el = elements({
    desc: "mdn-desc", heat: "mdn-heat", slider: "mdn-x", xOut: "mdn-x-out", mix: "mdn-mix",
    extrapolating: "mdn-extrapolating", pi: "mdn-pi", mu: "mdn-mu",
    exportHeat: "mdn-export-heat", exportMix: "mdn-export-mix", exportPi: "mdn-export-pi", exportMu: "mdn-export-mu",
  });
  el.desc.textContent = `${model.title}: ${model.description}`;
  const [sweep, data] = await Promise.all([
    getJSON(apiUrl(model.id, "sweep", { x_points: 200, t_points: 160 })),
    getJSON(apiUrl(model.id, "training-data", { limit: 1500 })),
  ]);
  const K = model.components;
  const xs = sweep.x;
  const xRange = [xs[0], xs[xs.length - 1]];
  const tRange = [sweep.t[0], sweep.t[sweep.t.length - 1]];
  const sharp = {
    heat: sharpCanvas(el.heat, () => drawHeat()),
    mix: sharpCanvas(el.mix, () => mixture && drawMixture()),
    pi: sharpCanvas(el.pi, () => drawCurves()),
    mu: sharpCanvas(el.mu, () => drawCurves()),
  };
  const hf = frame(sharp.heat, xRange, tRange);
  const heatImage = heatmap(sweep);
  // The slider's ends on its 0.01 grid, so every key press moves x by a hundredth and typed values stay on it.
  const [xMin, xMax] = [Math.floor(xRange[0] * 100) / 100, Math.ceil(xRange[1] * 100) / 100];
  Object.assign(el.slider, { min: xMin.toFixed(3), max: xMax.toFixed(3) });
  const linked = linkedNumber(params.x, { name: "x", lo: xMin, hi: xMax, fallback: 0.5 });
  sayLinkNotes(linked.note ? [linked.note] : []);
  let x = linked.value;
  let mixture = null;
  const url = keepInUrl(() => ({ x: String(x) }));

  const loader = new Latest(getJSON, (density) => {
    mixture = density;
    drawMixture();
  });

  function setX(value) {
    x = Math.round(Math.max(xMin, Math.min(xMax, value)) * 1000) / 1000;
    el.slider.value = x;
    el.xOut.textContent = x.toFixed(3);
    drawHeat();
    drawCurves();
    loader.request(apiUrl(model.id, "density", { x: x.toFixed(3), points: 300, t_min: tRange[0], t_max: tRange[1] }));
    url.changed();
  }

  function drawHeat() {
    const ctx = sharp.heat.begin();
    ctx.clearRect(0, 0, sharp.heat.width, sharp.heat.height);
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(heatImage, hf.left, hf.top, hf.w, hf.h);
    ctx.fillStyle = "rgba(255, 255, 255, 0.45)";
    data.x.forEach(([xi], i) => ctx.fillRect(hf.x(xi) - 1, hf.y(data.t[i][0]) - 1, 2, 2));
    ctx.strokeStyle = "#fff";
    ctx.lineWidth = 2;
    ctx.setLineDash([5, 4]);
    polyline(ctx, xs.map((xi, i) => [hf.x(xi), hf.y(sweep.mean[i][0])]));
    ctx.setLineDash([]);
    const px = hf.x(x);
    ctx.strokeStyle = "#ff7f0e";
    ctx.lineWidth = 3;
    polyline(ctx, [[px, hf.top], [px, hf.top + hf.h]]);
    axes(ctx, hf, { xLabel: "x (input)", yLabel: "t (target)" });
  }

  function drawMixture() {
    const canvas = el.mix;
    const ctx = sharp.mix.begin();
    ctx.clearRect(0, 0, sharp.mix.width, sharp.mix.height);
    const { t, density, pi, mu, sigma } = mixture;
    const top = Math.max(...density) * 1.15 || 1;
    const f = frame(sharp.mix, tRange, [0, top], { top: 44 });
    for (let k = 0; k < K; k++) {
      ctx.strokeStyle = PALETTE[k];
      ctx.lineWidth = 2;
      polyline(ctx, t.map((ti) => [f.x(ti), f.y(pi[k] * gauss(ti, mu[k][0], sigma[k]))]));
    }
    ctx.strokeStyle = "#111";
    ctx.lineWidth = 2.5;
    polyline(ctx, t.map((ti, i) => [f.x(ti), f.y(density[i])]));
    const at = (v) => density[Math.round(((v - t[0]) / (t[t.length - 1] - t[0])) * (t.length - 1))] ?? 0;
    // The conditional mean: the least-squares answer, which may fall where no data is.
    const mean = mixture.mean[0];
    ctx.strokeStyle = "#d62728";
    ctx.setLineDash([6, 4]);
    polyline(ctx, [[f.x(mean), f.top], [f.x(mean), f.top + f.h]]);
    ctx.setLineDash([]);
    // Marks only inside the plotted t range: a mode the network puts beyond it is named in words.
    const inside = (v) => v >= tRange[0] && v <= tRange[1];
    const best = mixture.most_probable[0];
    ctx.fillStyle = "#111";
    if (inside(best)) triangle(ctx, f.x(best), f.y(at(best)) - 6);
    ctx.fillStyle = "#fff";
    ctx.strokeStyle = "#111";
    ctx.lineWidth = 1.5;
    const modes = mixture.modes.map(([m]) => m);
    for (const m of modes.filter(inside)) {
      ctx.beginPath();
      ctx.arc(f.x(m), f.y(at(m)), 4.5, 0, 2 * Math.PI);
      ctx.fill();
      ctx.stroke();
    }
    axes(ctx, f, { xLabel: "t", yLabel: "p(t | x)" });
    legend(ctx, f);
    const outside = modes.filter((m) => !inside(m));
    const notes = [];
    if (mixture.extrapolating) notes.push("x is outside the training data: the network is extrapolating.");
    if (outside.length) notes.push(`Mode${outside.length > 1 ? "s" : ""} beyond the plotted t range: t = ${outside.map((m) => m.toFixed(2)).join(", ")}.`);
    el.extrapolating.textContent = notes.join(" ");
    el.extrapolating.hidden = notes.length === 0;
    canvas.setAttribute("aria-label", `The mixture at x = ${mixture.x[0].toFixed(3)}: modes at t = ` +
      `${modes.map((m) => m.toFixed(2)).join(", ")}; mean ${mean.toFixed(2)}.${mixture.extrapolating ? " Extrapolating." : ""}`);
    canvas.dataset.extrapolating = mixture.extrapolating ? "1" : "";
    canvas.dataset.x = String(mixture.x[0]);
  }

  function legend(ctx, f) {
    ctx.save();
    ctx.font = FONT;
    ctx.textBaseline = "middle";
    let px = f.left;
    const y = 14;
    const item = (drawMark, text) => {
      drawMark(px, y);
      ctx.fillStyle = "#333";
      ctx.fillText(text, px + 16, y);
      px += 24 + ctx.measureText(text).width;
    };
    item((a, b) => { ctx.strokeStyle = "#111"; ctx.lineWidth = 2.5; polyline(ctx, [[a, b], [a + 12, b]]); }, "sum");
    item((a, b) => { ctx.strokeStyle = PALETTE[0]; ctx.lineWidth = 2; polyline(ctx, [[a, b], [a + 12, b]]); }, "πₖ N(t|μₖ,σₖ)");
    item((a, b) => { ctx.strokeStyle = "#d62728"; ctx.setLineDash([4, 3]); polyline(ctx, [[a, b], [a + 12, b]]); ctx.setLineDash([]); }, "mean");
    px = f.left;
    const y2 = 32;
    ctx.fillStyle = "#111";
    triangle(ctx, px + 6, y2 + 2);
    ctx.fillStyle = "#333";
    ctx.fillText("most probable kernel", px + 16, y2);
    px += 28 + ctx.measureText("most probable kernel").width;
    ctx.fillStyle = "#fff"; ctx.strokeStyle = "#111"; ctx.lineWidth = 1.5;
    ctx.beginPath(); ctx.arc(px + 6, y2, 4.5, 0, 2 * Math.PI); ctx.fill(); ctx.stroke();
    ctx.fillStyle = "#333";
    ctx.fillText("modes", px + 16, y2);
    ctx.restore();
  }

  function drawCurves() {
    for (const [key, range, label] of [["pi", [0, 1], "πₖ(x)"], ["mu", tRange, "μₖ(x)"]]) {
      const ctx = sharp[key].begin();
      ctx.clearRect(0, 0, sharp[key].width, sharp[key].height);
      const f = frame(sharp[key], xRange, range);
      ctx.save();
      ctx.beginPath();
      ctx.rect(f.left, f.top, f.w, f.h);
      ctx.clip();
      for (let k = 0; k < K; k++) {
        ctx.strokeStyle = PALETTE[k];
        if (key === "pi") {
          ctx.lineWidth = 2;
          polyline(ctx, xs.map((xi, i) => [f.x(xi), f.y(sweep.pi[i][k])]));
        } else {
          for (let i = 1; i < xs.length; i++) {
            ctx.lineWidth = 0.5 + 4 * sweep.pi[i][k];
            ctx.globalAlpha = 0.25 + 0.75 * sweep.pi[i][k];
            polyline(ctx, [[f.x(xs[i - 1]), f.y(sweep.mu[i - 1][k][0])], [f.x(xs[i]), f.y(sweep.mu[i][k][0])]]);
          }
          ctx.globalAlpha = 1;
        }
      }
      ctx.strokeStyle = "#ff7f0e";
      ctx.lineWidth = 2;
      polyline(ctx, [[f.x(x), f.top], [f.x(x), f.top + f.h]]);
      ctx.restore();
      axes(ctx, f, { xLabel: "x", yLabel: label, yTicks: 3 });
    }
  }

  pointerDrag(el.heat, {
    move(event) {
      const rect = el.heat.getBoundingClientRect();
      setX(hf.invX(((event.clientX - rect.left) / rect.width) * sharp.heat.width));
    },
    grab(event) {
      const rect = el.heat.getBoundingClientRect();
      return Math.abs(event.clientX - (rect.left + (hf.x(x) / sharp.heat.width) * rect.width)) <= GRAB_CSS_PX;
    },
  });
  el.slider.addEventListener("input", () => setX(+el.slider.value));
  const plots = {
    heat: "p(t|x) heatmap with the training data, the conditional mean (white) and x (orange)",
    mix: "the mixture at x: each kernel πₖ·N(t|μₖ,σₖ) and their sum",
    pi: "mixing coefficients πₖ(x) across x", mu: "kernel centres μₖ(x) across x (width ∝ πₖ)",
  };
  for (const [which, what] of Object.entries(plots)) {
    el[`export${which[0].toUpperCase()}${which.slice(1)}`].addEventListener("click", () => exportPng(el[which], {
      name: `${model.id}-${which}.png`, lines: [`${model.id} — ${model.title}`, `${what}; x = ${x.toFixed(3)}`],
    }));
  }
  setX(x);
  return { shown: url.shown, hidden: url.hidden };
}

function triangle(ctx, x, y) {
  ctx.beginPath();
  ctx.moveTo(x, y + 2);
  ctx.lineTo(x - 6, y - 8);
  ctx.lineTo(x + 6, y - 8);
  ctx.closePath();
  ctx.fill();
}

/** p(t|x) on the sweep's grid as an image (rows: t from high to low), with a perceptual colour ramp. */
function heatmap(sweep) {
  const nx = sweep.x.length;
  const nt = sweep.t.length;
  const canvas = new OffscreenCanvas(nx, nt);
  const ctx = canvas.getContext("2d");
  const image = ctx.createImageData(nx, nt);
  const values = sweep.density.flat().sort((a, b) => a - b);
  const top = values[Math.floor(values.length * 0.995)] || 1; // a few needle-sharp peaks would wash out the rest
  for (let i = 0; i < nx; i++) {
    for (let j = 0; j < nt; j++) {
      const v = Math.sqrt(Math.min(1, sweep.density[i][j] / top));
      image.data.set([...ramp(v), 255], ((nt - 1 - j) * nx + i) * 4);
    }
  }
  ctx.putImageData(image, 0, 0);
  return canvas;
}

/** A viridis-like ramp from dark blue through teal to yellow, v in [0, 1]. */
function ramp(v) {
  const stops = [[48, 18, 59], [40, 90, 160], [30, 150, 140], [120, 200, 80], [250, 230, 40]];
  const s = v * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(s));
  const w = s - i;
  return stops[i].map((c, n) => Math.round(c + (stops[i + 1][n] - c) * w));
}
