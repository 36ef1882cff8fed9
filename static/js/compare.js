// Side by side: the same z, label and drawing through several VAEs and CVAEs at once (digits beside
// clothes at one z; a drawing reconstructed by vae-2d, vae-8d and the CVAE). Each model reads as many
// coordinates of the shared z as it has; the CVAEs take the shared label. Decoded in the page where
// each model's checked decoder is ready (pagedecode.js), else by the server.
import { byDataset, datasetTitle, framing, labelName, shortName } from "./datasets.js";
import { decodedDigit, wantedMode } from "./decodemode.js";
import { elements } from "./dom.js";
import { encodeWhenReachable } from "./draw.js";
import { formatZ, parseZ, randn, roundZ, shownZ, subscript } from "./latent.js";
import { loadPageDecoder } from "./pagedecode.js";
import { sketchPad } from "./sketch.js";
import { latentSliders } from "./sliders.js";
import { reportError } from "./status.js";
import { Z_LIMIT, keepInUrl, sayLinkNotes, shareOnClick } from "./urlstate.js";

export const matches = (model) => model.kind === "vae" || model.kind === "cvae";
export const none = "No VAE or CVAE checkpoint is being served.";

export function start({ models, params }) {
  const el = elements({
    models: "compare-models", labels: "compare-labels", sliders: "compare-sliders", dims: "compare-dims",
    grid: "compare-grid", reset: "compare-reset", random: "compare-random", share: "compare-share", decode: "compare-decode",
  });
  // Unconditional models first, then by latent size, digits before clothes: vae-2d beside fashion-vae-2d.
  const all = byDataset(models).sort((a, b) => Number(Boolean(a.labels)) - Number(Boolean(b.labels)) || a.latent_dim - b.latent_dim);
  const dims = Math.max(...all.map((m) => m.latent_dim));
  const labels = [...new Set(all.flatMap((m) => m.labels || []))].sort((a, b) => a - b);
  const notes = [];
  const { chosen: linked, z: linkedZ, label: linkedLabel } = readLink(params, all, dims, labels, notes);
  sayLinkNotes(notes);
  let z = linkedZ;
  let label = linkedLabel;
  let frame = null;
  const chosen = new Set(linked);
  const views = new Map(all.map((m) => [m.id, view(m)]));
  const url = keepInUrl(() => ({ models: [...chosen].join(","), z: formatZ(z).join(","), label: String(label) }));

  /** One model's figure: its decode of the shared z (and label), and its reconstruction of the drawing. */
  function view(model) {
    let decoder = null;
    const control = {
      decoderFor: (m) => (wantedMode() === "page" && m.id === model.id ? decoder : null),
      report() {},
    };
    const figure = Object.assign(document.createElement("figure"), { className: "compare-card" });
    figure.dataset.model = model.id;
    const title = Object.assign(document.createElement("h4"), { textContent: `${model.title}` });
    const about = Object.assign(document.createElement("div"), { className: "hint",
      textContent: `${model.id} · ${datasetTitle(model)} · ${model.latent_dim}-D${model.labels ? ", conditional" : ""}` });
    const canvas = Object.assign(document.createElement("canvas"), { width: 28, height: 28, className: "digit mid" });
    canvas.setAttribute("aria-label", `${model.title}: decoded`);
    const caption = document.createElement("figcaption");
    const recon = Object.assign(document.createElement("canvas"), { width: 28, height: 28, className: "digit small recon" });
    recon.setAttribute("aria-label", `${model.title}: your drawing, reconstructed`);
    const reconCaption = Object.assign(document.createElement("figcaption"), { className: "hint" });
    const reconBox = Object.assign(document.createElement("div"), { className: "compare-recon", hidden: true });
    reconBox.append(recon, reconCaption);
    figure.append(title, about, canvas, caption, reconBox);
    const state = {
      model, figure, caption, reconBox, reconCaption, control,
      digit: decodedDigit(canvas, control, { name: `${model.title}, decoded` }),
      recon: decodedDigit(recon, control, { name: `${model.title}, your drawing reconstructed` }),
      query: () => {
        const q = { z: formatZ(z.slice(0, model.latent_dim)) };
        if (model.labels) q.label = model.labels.includes(label) ? label : model.labels[0];
        return q;
      },
      loadDecoder() {
        if (wantedMode() !== "page" || state.requested) return;
        state.requested = true;
        loadPageDecoder(model).then((outcome) => {
          decoder = outcome.decoder;
          if (!decoder) state.reason = outcome.reason;
          sayMode();
          if (chosen.has(model.id)) draw(state);
        });
      },
    };
    return state;
  }

  function draw(v) {
    const q = v.query();
    const used = v.model.latent_dim === 1 ? "z₁" : `z₁…z${subscript(v.model.latent_dim)}`;
    const labelText = v.model.labels ? `, label ${labelName(v.model, q.label)}` : "";
    v.digit.show(v.model, q, `${used} = ${shownZ(z.slice(0, v.model.latent_dim))}${labelText}`);
    v.caption.textContent = `${used} = ${shownZ(z.slice(0, v.model.latent_dim))}${labelText}`;
  }

  /** Every shown model's digit, at the next animation frame (one frame per burst of input). */
  function drawAll() {
    if (frame !== null) return;
    frame = requestAnimationFrame(() => {
      frame = null;
      for (const id of chosen) draw(views.get(id));
      el.grid.dataset.z = formatZ(z).join(",");
      el.grid.dispatchEvent(new CustomEvent("drawn"));
    });
  }

  function setZ(values, moveSliders = true) {
    z = roundZ(values, Z_LIMIT);
    if (moveSliders) sliders.set(z);
    drawAll();
    url.changed();
  }

  function setLabel(next) {
    label = next;
    labelButtons.forEach((b, i) => b.setAttribute("aria-pressed", String(labels[i] === label)));
    el.grid.dataset.label = String(label);
    drawAll();
    url.changed();
  }

  function sayMode() {
    const shown = [...chosen].map((id) => views.get(id));
    const inPage = shown.filter((v) => v.control.decoderFor(v.model)).length;
    el.decode.textContent = wantedMode() !== "page" ? "Decoded on the server (?decode=server)."
      : `Decoded in this page: ${inPage} of ${shown.length} models${inPage < shown.length ? " (the others by the server until their decoders are ready)" : ""}.`;
    el.decode.dataset.inPage = String(inPage);
  }

  function layout() {
    el.grid.replaceChildren(...all.filter((m) => chosen.has(m.id)).map((m) => views.get(m.id).figure));
    for (const id of chosen) views.get(id).loadDecoder();
    modelButtons.forEach((b, i) => b.setAttribute("aria-pressed", String(chosen.has(all[i].id))));
    const widest = Math.max(0, ...[...chosen].map((id) => views.get(id).model.latent_dim));
    el.dims.textContent = `Each model reads as many coordinates of z as it has (here up to ${widest}): ` +
      [...chosen].map((id) => `${id} z₁…z${subscript(views.get(id).model.latent_dim)}`).join(", ") + ".";
    sayMode();
    drawAll();
    url.changed();
  }

  const modelButtons = all.map((m) => {
    const button = Object.assign(document.createElement("button"), { type: "button", textContent: m.id, title: `${m.title} (${datasetTitle(m)})` });
    button.addEventListener("click", () => {
      if (chosen.has(m.id) && chosen.size > 1) chosen.delete(m.id);
      else chosen.add(m.id);
      layout();
    });
    return button;
  });
  el.models.replaceChildren(...modelButtons);
  const labelButtons = labels.map((l) => {
    const names = [...new Set(all.filter((m) => m.labels?.includes(l)).map((m) => labelName(m, l)))];
    const button = Object.assign(document.createElement("button"), { type: "button", textContent: String(l), title: names.join(" / ") });
    button.setAttribute("aria-label", `Label ${l}: ${names.map(shortName).join(" / ")}`);
    button.addEventListener("click", () => setLabel(l));
    return button;
  });
  el.labels.replaceChildren(...labelButtons);
  const sliders = latentSliders(el.sliders, dims, { onInput: (values) => setZ(values, false) });

  const sketch = sketchPad({ canvas: "compare-draw", input: "compare-draw-input", clear: "compare-draw-clear" }, {
    onDrawn(pixelsFor, which) {
      sketch.preview(pixelsFor(framing({ dataset: "mnist" })));
      for (const id of chosen) reconstruct(views.get(id), pixelsFor, which).catch(reportError);
    },
    onClear() {
      for (const v of views.values()) v.reconBox.hidden = true;
      el.grid.dataset.drawing = "";
    },
  });

  /** The drawing through one model: its q(z|x) mean, decoded by the same model. */
  async function reconstruct(v, pixelsFor, which) {
    const pixels = pixelsFor(framing(v.model));
    const cvaeLabel = v.model.labels ? (v.model.labels.includes(label) ? label : v.model.labels[0]) : null;
    v.reconBox.hidden = false;
    v.reconCaption.textContent = "encoding…";
    const { mu } = await encodeWhenReachable(v.model, pixels, cvaeLabel, () => {
      v.reconCaption.textContent = "waiting for the server to encode your drawing";
    });
    if (which !== sketch.which()) return;
    const q = cvaeLabel === null ? { z: formatZ(mu) } : { z: formatZ(mu), label: cvaeLabel };
    v.recon.show(v.model, q, `q(z|x) mean ${shownZ(mu)}`);
    v.reconCaption.textContent = `your drawing: q(z|x) mean ${shownZ(mu)}${cvaeLabel === null ? "" : ` as ${labelName(v.model, cvaeLabel)}`}`;
    el.grid.dataset.drawing = String(Number(el.grid.dataset.drawing || 0) + 1);
  }

  el.reset.addEventListener("click", () => setZ(z.map(() => 0)));
  el.random.addEventListener("click", () => setZ(z.map(() => randn())));
  shareOnClick(el.share, () => ({ panel: "compare", models: [...chosen].join(","), z: formatZ(z).join(","), label: String(label), decode: wantedMode() }));

  sliders.set(z);
  setLabel(label);
  layout();
  return {
    shown() {
      url.shown();
      for (const id of chosen) views.get(id).loadDecoder(); // the page's mode may have changed in another panel
      sayMode();
      drawAll();
    },
    hidden: url.hidden,
  };
}

/** The models, z and label a link asks for; what it gets wrong goes into `notes`. */
function readLink(params, all, dims, labels, notes) {
  const ids = (params.models || "").split(",").filter(Boolean);
  const known = ids.filter((id) => all.some((m) => m.id === id));
  if (ids.length > known.length) notes.push(`This link names models that are not served (${ids.filter((id) => !known.includes(id)).join(", ").slice(0, 80)}).`);
  const chosen = known.length ? known : all.map((m) => m.id);
  let z = new Array(dims).fill(0);
  if (params.z) {
    const asked = parseZ(params.z);
    if (!asked || asked.length > dims) notes.push(`This link's z (“${params.z.slice(0, 80)}”) is not up to ${dims} numbers: showing z = 0.`);
    else {
      if (asked.some((v) => Math.abs(v) > Z_LIMIT)) notes.push(`This link's z goes beyond ±${Z_LIMIT}: shown at ±${Z_LIMIT}.`);
      z = roundZ([...asked, ...z.slice(asked.length)], Z_LIMIT);
    }
  }
  let label = labels.includes(3) ? 3 : labels[0] ?? 0;
  if (params.label !== undefined && params.label !== "") {
    if (labels.includes(Number(params.label))) label = Number(params.label);
    else notes.push(`This link's label (“${String(params.label).slice(0, 20)}”) is not one of ${labels.join(", ")}: showing ${label}.`);
  }
  return { chosen, z, label };
}
