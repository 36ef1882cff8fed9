// MDN on the two-link robot arm: drag the end-effector target; every kernel's (θ₁, θ₂) is drawn
// as an arm with opacity πₖ, so both elbow-up and elbow-down solutions show at once. The target is in the link.
import { Latest, apiUrl, getJSON } from "./api.js";
import { elements } from "./dom.js";
import { exportPng } from "./export.js";
import { sharpCanvas } from "./hidpi.js";
import { parseZ } from "./latent.js";
import { PALETTE } from "./palette.js";
import { FONT } from "./plot.js";
import { pointerDrag } from "./pointerdrag.js";
import { keepInUrl, sayLinkNotes } from "./urlstate.js";

const VIEW = [-0.35, 1.15];
const GRAB_CSS_PX = 30; // a finger this close to the target drags it; farther away it scrolls the page
const START = [0.5, 0.75]; // inside the training domain: both elbows answer here

export const matches = (model) => model.kind === "mdn" && Boolean(model.arm);
export const none = "No robot-arm mixture density network is being served.";

/** The target a link asks for, within the view; what it gets wrong is said. */
function linkedTarget(text) {
  if (!text) return START;
  const asked = parseZ(text);
  if (asked?.length !== 2) {
    sayLinkNotes([`This link's target (“${text.slice(0, 40)}”) is not two numbers: showing (${START.join(", ")}).`]);
    return START;
  }
  const target = asked.map((v) => Math.max(VIEW[0], Math.min(VIEW[1], v)));
  if (target.some((v, i) => v !== asked[i])) {
    sayLinkNotes([`This link's target (${asked.join(", ")}) is outside the picture (${VIEW.join(" … ")}): showing (${target.join(", ")}).`]);
  }
  return target;
}

export async function start({ models: [model], params }) {
  const el = elements({ canvas: "arm", warning: "arm-warning", table: "arm-table", export: "arm-export" });
  const { l1, l2 } = model.arm;
  const data = await getJSON(apiUrl(model.id, "training-data", { limit: 2000 }));
  const sharp = sharpCanvas(el.canvas, () => draw());
  let ctx = sharp.begin();
  const S = sharp.width;
  const px = (v) => ((v - VIEW[0]) / (VIEW[1] - VIEW[0])) * S;
  const py = (v) => S - px(v);
  let target = linkedTarget(params.target);
  let result = null;
  const url = keepInUrl(() => ({ target: target.join(",") }));

  const loader = new Latest(getJSON, (density) => {
    result = density;
    draw();
    report();
  });

  function setTarget(next) {
    target = next.map((v) => Math.round(Math.max(VIEW[0], Math.min(VIEW[1], v)) * 1000) / 1000);
    draw();
    loader.request(apiUrl(model.id, "density", { x: target.map((v) => v.toFixed(3)).join(",") }));
    url.changed();
  }

  function draw() {
    ctx = sharp.begin();
    ctx.fillStyle = "#fff";
    ctx.fillRect(0, 0, S, S);
    // The reachable annulus and the training domain (the data's end-effector positions).
    ctx.fillStyle = "rgba(42, 98, 201, 0.07)";
    ctx.beginPath();
    ctx.arc(px(0), py(0), px(l1 + l2) - px(0), 0, 2 * Math.PI);
    ctx.arc(px(0), py(0), px(Math.abs(l1 - l2)) - px(0), 0, 2 * Math.PI, true);
    ctx.fill();
    ctx.fillStyle = "rgba(0, 0, 0, 0.18)";
    data.x.forEach(([a, b]) => ctx.fillRect(px(a) - 1, py(b) - 1, 2, 2));
    grid();
    if (result && result.kernel_elbow) {
      const order = result.pi.map((p, k) => [p, k]).sort((a, b) => a[0] - b[0]);
      for (const [p, k] of order) {
        ctx.globalAlpha = Math.max(0.06, p);
        arm(result.kernel_elbow[k], result.kernel_end_effector[k], PALETTE[k]);
      }
      ctx.globalAlpha = 1;
    }
    ctx.fillStyle = "#333";
    ctx.fillRect(px(0) - 8, py(0) - 2, 16, 10);
    // The target: a ring with a cross, the handle to drag.
    ctx.strokeStyle = "#d62728";
    ctx.lineWidth = 2.5;
    ctx.beginPath();
    ctx.arc(px(target[0]), py(target[1]), 10, 0, 2 * Math.PI);
    ctx.moveTo(px(target[0]) - 15, py(target[1])); ctx.lineTo(px(target[0]) + 15, py(target[1]));
    ctx.moveTo(px(target[0]), py(target[1]) - 15); ctx.lineTo(px(target[0]), py(target[1]) + 15);
    ctx.stroke();
    el.canvas.dataset.target = target.join(",");
  }

  function grid() {
    ctx.save();
    ctx.strokeStyle = "#e4e4e4";
    ctx.fillStyle = "#595959"; // 7:1 on white: small grey text stays readable
    ctx.font = FONT;
    ctx.lineWidth = 1;
    for (let v = -0.25; v <= 1.0001; v += 0.25) {
      ctx.beginPath();
      ctx.moveTo(px(v), 0); ctx.lineTo(px(v), S);
      ctx.moveTo(0, py(v)); ctx.lineTo(S, py(v));
      ctx.stroke();
      ctx.fillText(v.toFixed(2), px(v) + 3, S - 4);
      if (v !== 0) ctx.fillText(v.toFixed(2), 3, py(v) - 3);
    }
    ctx.restore();
  }

  function arm(elbow, end, colour) {
    ctx.strokeStyle = colour;
    ctx.lineWidth = 7;
    ctx.lineCap = "round";
    ctx.beginPath();
    ctx.moveTo(px(0), py(0));
    ctx.lineTo(px(elbow[0]), py(elbow[1]));
    ctx.lineTo(px(end[0]), py(end[1]));
    ctx.stroke();
    ctx.fillStyle = colour;
    for (const [a, b] of [[0, 0], elbow, end]) {
      ctx.beginPath();
      ctx.arc(px(a), py(b), 6, 0, 2 * Math.PI);
      ctx.fill();
    }
  }

  function report() {
    const notes = [];
    if (!result.reachable) notes.push(`Out of reach: no arm with links ${l1} and ${l2} can touch this target.`);
    if (result.extrapolating) notes.push("Outside the training domain: the network is extrapolating.");
    el.warning.textContent = notes.join(" ");
    el.warning.hidden = notes.length === 0;
    // Built as elements, not HTML: the page's CSP refuses style attributes in markup.
    const rows = result.pi.map((p, k) => [p, k]).sort((a, b) => b[0] - a[0]).map(([p, k]) => {
      const [t1, t2] = result.mu[k];
      const swatch = Object.assign(document.createElement("span"), { className: "swatch" });
      swatch.style.background = PALETTE[k];
      return tableRow("td", [[swatch, String(k + 1)], p.toFixed(3), t1.toFixed(2), t2.toFixed(2),
        result.kernel_reach_error[k].toFixed(3)]);
    });
    const caption = Object.assign(document.createElement("caption"), {
      className: "hint", textContent: `target (${target.map((v) => v.toFixed(2)).join(", ")})`,
    });
    el.table.replaceChildren(caption, tableRow("th", ["kernel", "π", "θ₁", "θ₂", "reach error"]), ...rows);
  }

  pointerDrag(el.canvas, {
    move(event) {
      const rect = el.canvas.getBoundingClientRect();
      const a = VIEW[0] + ((event.clientX - rect.left) / rect.width) * (VIEW[1] - VIEW[0]);
      const b = VIEW[1] - ((event.clientY - rect.top) / rect.height) * (VIEW[1] - VIEW[0]);
      setTarget([a, b]);
    },
    grab(event) {
      const rect = el.canvas.getBoundingClientRect();
      const [x, y] = [rect.left + (px(target[0]) / S) * rect.width, rect.top + (py(target[1]) / S) * rect.height];
      return Math.hypot(event.clientX - x, event.clientY - y) <= GRAB_CSS_PX;
    },
  });
  el.canvas.addEventListener("keydown", (event) => {
    const step = event.shiftKey ? 0.05 : 0.01;
    const move = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, step], ArrowDown: [0, -step] }[event.key];
    if (!move) return;
    event.preventDefault();
    setTarget([target[0] + move[0], target[1] + move[1]]);
  });
  el.export.addEventListener("click", () => exportPng(el.canvas, {
    name: `${model.id}-arm.png`,
    lines: [`${model.id} — ${model.title}`, `target (${target.map((v) => v.toFixed(2)).join(", ")}); each kernel's arm drawn with opacity πₖ`],
  }));
  setTarget(target);
  return { shown: url.shown, hidden: url.hidden };
}

/** A table row of `tag` cells; a cell is text or a list of nodes and text. */
function tableRow(tag, cells) {
  const row = document.createElement("tr");
  for (const cell of cells) {
    const element = document.createElement(tag);
    element.append(...(Array.isArray(cell) ? cell : [cell]));
    row.append(element);
  }
  return row;
}
