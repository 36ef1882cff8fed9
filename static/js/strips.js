// Traversal strips: for every latent dimension, a row of decodes from −3 to +3 around the current z
// (the other coordinates held), redrawn at the next animation frame whenever z moves, so what each
// dimension does is seen at a glance. For a CVAE the rows are its style dimensions under the
// current label, and one more row runs across the labels. Drawn by the page's decoder only (no
// request per cell); a click on a cell moves z (or the label) there.
import { labelName, shortName } from "./datasets.js";
import { formatZ, subscript as sub } from "./latent.js";
export const STRIP_VALUES = [-3, -2.25, -1.5, -0.75, 0, 0.75, 1.5, 2.25, 3];

/**
 * Strips inside `container` (a <details> or any element; nothing is drawn while it is closed or
 * off screen). `control`: the panel's decode control; `onPick(i, v)`: a cell of dimension i at v
 * was clicked; `onLabel(l)`: a label cell was clicked. Returns { show(model, z, label) }.
 */
export function traversalStrips(container, { control, onPick, onLabel = () => {} }) {
  const body = container.querySelector(".strips") || container;
  const note = Object.assign(document.createElement("p"), { className: "hint" });
  let rows = [];
  let model = null;
  let wanted = null; // { z, label }: what the next frame draws
  let frame = null;
  let visible = true;
  const cell = new Uint8Array(28 * 28);
  new IntersectionObserver(([entry]) => {
    visible = entry.isIntersecting;
    if (visible) schedule();
  }).observe(container);
  container.addEventListener("toggle", schedule);

  /** One row: a name, a canvas of `n` cells, a mark at the current value; clicking cell k calls pick(k). */
  function row(name, n, title, pick) {
    const element = Object.assign(document.createElement("div"), { className: "strip-row" });
    const label = Object.assign(document.createElement("span"), { className: "strip-name", textContent: name });
    const track = Object.assign(document.createElement("div"), { className: "strip-track" });
    const canvas = Object.assign(document.createElement("canvas"), { width: n * 28, height: 28, className: "strip" });
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", title);
    const now = Object.assign(document.createElement("i"), { className: "strip-now" });
    now.setAttribute("aria-hidden", "true");
    track.append(canvas, now);
    element.append(label, track);
    canvas.addEventListener("click", (event) => {
      const rect = canvas.getBoundingClientRect();
      pick(Math.min(n - 1, Math.max(0, Math.floor(((event.clientX - rect.left) / rect.width) * n))));
    });
    const ctx = canvas.getContext("2d");
    return { element, canvas, now, ctx, image: ctx.createImageData(n * 28, 28), n };
  }

  function build() {
    const dims = Array.from({ length: model.latent_dim }, (_, i) => {
      const r = row(`${model.labels ? "s" : "z"}${sub(i + 1)}`, STRIP_VALUES.length,
        `Decodes with ${model.labels ? "s" : "z"}${sub(i + 1)} from −3 to 3, the rest held`, (k) => onPick(i, STRIP_VALUES[k]));
      return { ...r, dim: i };
    });
    const labels = model.labels ? [{ ...row("label", model.labels.length, "The same style under every label", (k) => onLabel(model.labels[k])), dim: null }] : [];
    rows = [...dims, ...labels];
    const axis = Object.assign(document.createElement("div"), { className: "strip-axis" });
    axis.append(...["−3", "0", "+3"].map((t) => Object.assign(document.createElement("span"), { textContent: t })));
    const names = Object.assign(document.createElement("div"), { className: "strip-axis labels" });
    if (labels.length) {
      names.append(...model.labels.map((l) => Object.assign(document.createElement("span"), { textContent: shortName(labelName(model, l)) })));
    }
    body.replaceChildren(...dims.map((r) => r.element), axis, ...labels.map((r) => r.element), ...(labels.length ? [names] : []), note);
  }

  function schedule() {
    if (frame === null && wanted) frame = requestAnimationFrame(draw);
  }

  function draw() {
    frame = null;
    const open = container.open !== false;
    if (!wanted || !open || !visible) return;
    const decoder = control.decoderFor(model);
    container.dataset.state = decoder ? "drawn" : "waiting";
    note.textContent = decoder ? "" : "The strips are decoded in the page: they appear once its decoder is ready (Decode: in this page).";
    if (!decoder) return;
    const { z, label } = wanted;
    const y = model.labels ? decoder.labelWeights(label) : undefined;
    for (const r of rows) {
      const rgba = r.image.data;
      for (let k = 0; k < r.n; k++) {
        let grey;
        if (r.dim === null) {
          grey = decoder.grey(z, decoder.labelWeights(model.labels[k]), cell);
        } else {
          const moved = z.slice();
          moved[r.dim] = STRIP_VALUES[k];
          grey = decoder.grey(moved, y, cell);
        }
        for (let py = 0; py < 28; py++) {
          for (let px = 0; px < 28; px++) {
            const j = 4 * (py * r.n * 28 + k * 28 + px);
            rgba[j] = rgba[j + 1] = rgba[j + 2] = grey[py * 28 + px];
            rgba[j + 3] = 255;
          }
        }
      }
      r.ctx.putImageData(r.image, 0, 0);
      const at = r.dim === null ? (model.labels.indexOf(label) + 0.5) / r.n
        : (Math.max(-3.375, Math.min(3.375, z[r.dim])) + 3.375) / 6.75; // cell centres at −3 … 3
      r.now.style.left = `${(100 * at).toFixed(2)}%`;
    }
    container.dataset.z = formatZ(z).join(",");
    container.dataset.frames = String(Number(container.dataset.frames || 0) + 1);
    container.dispatchEvent(new CustomEvent("drawn"));
  }

  /** The strips as one picture, each cell `scale` pixels per digit pixel, the rows named (for export). */
  function picture(scale = 4) {
    const name = 16 * scale;
    const width = name + Math.max(...rows.map((r) => r.n)) * 28 * scale;
    const canvas = Object.assign(document.createElement("canvas"), { width, height: rows.length * 30 * scale });
    const ctx = canvas.getContext("2d");
    ctx.fillStyle = "#fff";
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.imageSmoothingEnabled = false;
    ctx.font = `${7 * scale}px system-ui, sans-serif`;
    ctx.textBaseline = "middle";
    rows.forEach((r, i) => {
      ctx.fillStyle = "#1d1d1f";
      ctx.fillText(r.element.querySelector(".strip-name").textContent, 2 * scale, (i * 30 + 14) * scale);
      ctx.drawImage(r.canvas, name, i * 30 * scale, r.n * 28 * scale, 28 * scale);
    });
    return canvas;
  }

  return {
    picture,
    /** Draw `model`'s strips around `z` (and `label` for a CVAE) at the next animation frame. */
    show(next, z, label = null) {
      if (next !== model) {
        model = next;
        build();
      }
      wanted = { z: z.slice(), label };
      schedule();
    },
    /** Draw again with what was last asked (the decoder became ready). */
    refresh: schedule,
  };
}
