// CVAE: the label picks the class, z holds the style. A model picker (grouped by data set), a label
// row, style sliders, a fresh-style sampler, the same z under every label (pick one to choose its
// label), a morph that interpolates the one-hot label input, and a drawing pad whose style becomes z.
// Labels travel to the API as indices; people see names.
import { byDataset, fillModelPicker, labelName, sayNouns, shortName } from "./datasets.js";
import { decodeControl, decodedDigit, firstDrawn, wantedMode } from "./decodemode.js";
import { elements } from "./dom.js";
import { drawingPad } from "./draw.js";
import { exportAnimation, exportPng, walk } from "./export.js";
import { interpolation } from "./interp.js";
import { formatZ, randn, roundZ, shownZ } from "./latent.js";
import { latentSliders } from "./sliders.js";
import { traversalStrips } from "./strips.js";
import { notify } from "./status.js";
import { keepInUrl, linkedModel, sayLinkNotes, shareOnClick } from "./urlstate.js";

export const matches = (model) => model.kind === "cvae";
export const none = "No CVAE checkpoint is being served.";

export function start({ models, params }) {
  const el = elements({
    panel: "panel-cvae", select: "cvae-model", decode: "cvae-decode", digit: "cvae-digit", caption: "cvae-caption",
    labels: "cvae-labels", sample: "cvae-sample", sliders: "cvae-sliders", row: "cvae-row", reset: "cvae-reset",
    share: "cvae-share", morphFrom: "morph-a", morphTo: "morph-b", morphT: "morph-t", morphOut: "morph-out",
    morph: "morph-digit", strip: "morph-strip", strips: "cvae-strips", exportSize: "cvae-export-size",
    exportDigit: "cvae-export-digit", exportStrips: "cvae-export-strips", exportMorph: "cvae-export-morph", exportInterp: "cvae-export-interp",
  });
  const cvaes = byDataset(models);
  fillModelPicker(el.select, cvaes);
  const decoding = decodeControl(el.decode, { name: "cvae", onChange: () => model && setZ(z, false) });
  const strips = traversalStrips(el.strips, {
    control: decoding,
    onPick: (i, v) => setZ(z.map((w, j) => (j === i ? v : w))),
    onLabel: (l) => setLabel(l),
  });
  const digit = decodedDigit(el.digit, decoding, { timed: true });
  const firstPaint = firstDrawn(digit.canvas); // the decoder downloads after it, never before
  // The 20 other views follow a step one animation frame later in page mode (the big digit first),
  // and on the server only once a drag pauses, and only those on screen.
  const small = (canvas, name) => decodedDigit(canvas, decoding, { deferred: true, name });
  const morph = small(el.morph, null);
  const style = () => `style ${shownZ(z)}`;
  const strip = Array.from({ length: 9 }, (_, i) => {
    const canvas = Object.assign(document.createElement("canvas"), { width: 28, height: 28, className: "digit" });
    canvas.title = `morph ${(i / 8).toFixed(2)}`;
    canvas.setAttribute("aria-label", `Morph step ${i + 1} of 9`);
    el.strip.append(canvas);
    return small(canvas, `Morph step ${i + 1} of 9`);
  });
  // The address bar (the share link) carries the model, the label index, the style and the decode mode.
  const linkState = () => ({ model: model.id, label: String(label), z: formatZ(z).join(","), decode: wantedMode() });
  const url = keepInUrl(linkState);
  let model = null;
  let labels = [];
  let label = null;
  let z = [];
  let sliders = null;
  let row = [];
  let buttons = [];
  const name = (index) => labelName(model, index);

  /** Show `next`: its labels' buttons, row and morph choices replace the last model's. */
  function useModel(next, { label: wantedLabel, z: wantedZ } = {}) {
    model = next;
    el.select.value = model.id;
    labels = model.labels;
    sayNouns(el.panel, model);
    buttons = labels.map((l) => {
      const button = Object.assign(document.createElement("button"), { type: "button", textContent: shortName(name(l)) });
      button.title = name(l);
      button.setAttribute("aria-label", `Label ${name(l)}`);
      button.addEventListener("click", () => setLabel(l));
      return button;
    });
    el.labels.replaceChildren(...buttons);
    row = labels.map((l) => {
      // The picture is a button: it shows the style under this label and chooses the label.
      const figure = document.createElement("figure");
      const pick = Object.assign(document.createElement("button"), { type: "button", className: "pick", title: `Choose ${name(l)}` });
      const canvas = Object.assign(document.createElement("canvas"), { width: 28, height: 28, className: "digit" });
      canvas.setAttribute("aria-label", `The same style, label ${name(l)}`);
      pick.append(canvas);
      pick.addEventListener("click", () => setLabel(l));
      const caption = Object.assign(document.createElement("figcaption"), { textContent: shortName(name(l)) });
      figure.append(pick, caption);
      return { figure, pick, view: small(canvas, `The same style, label ${name(l)}`) };
    });
    el.row.replaceChildren(...row.map((r) => r.figure));
    for (const select of [el.morphFrom, el.morphTo]) select.replaceChildren(...labels.map((l) => new Option(name(l), l)));
    el.morphFrom.value = labels[1 % labels.length];
    el.morphTo.value = labels[7 % labels.length];
    sliders = latentSliders(el.sliders, model.latent_dim, { name: "s", onInput: (values) => setZ(values, false) });
    pad.model = model;
    pad.clear(); // a drawing encoded by the last model says nothing about this one
    interp.reset();
    z = wantedZ || new Array(model.latent_dim).fill(0);
    setLabel(labels.includes(wantedLabel) ? wantedLabel : labels[Math.min(3, labels.length - 1)]);
    setZ(z);
    decoding.setModel(model, firstPaint);
  }

  function setLabel(next) {
    label = next;
    pad.label = label;
    buttons.forEach((b, i) => b.setAttribute("aria-pressed", String(labels[i] === label)));
    row.forEach(({ pick }, i) => pick.setAttribute("aria-pressed", String(labels[i] === label)));
    showMain();
    strips.show(model, z, label);
    url.changed();
  }

  function showMain() {
    digit.show(model, { z: formatZ(z), label }, `${model.id}, label ${name(label)}, ${style()}`);
    el.caption.textContent = `label ${name(label)}, ${style()}`;
  }

  const morphEnds = () => `${name(+el.morphFrom.value)} → ${name(+el.morphTo.value)}`;
  const morphQuery = (t) => ({ z: formatZ(z), label: el.morphFrom.value, to_label: el.morphTo.value, morph: t });

  function showMorph() {
    const t = +el.morphT.value;
    el.morphOut.textContent = t.toFixed(2);
    morph.show(model, morphQuery(t), `${morphEnds()} at ${t.toFixed(2)}, ${style()}`);
  }

  function showStrip() {
    strip.forEach((view, i) => view.show(model, morphQuery(i / 8), `${morphEnds()} at ${(i / 8).toFixed(2)}`));
  }

  /** Every change of the style goes through here; it holds what a link carries (3 decimals, ±10). */
  function setZ(values, moveSliders = true) {
    z = roundZ(values);
    if (moveSliders) sliders.set(z);
    showMain();
    row.forEach(({ view }, i) => view.show(model, { z: formatZ(z), label: labels[i] }, style()));
    showMorph();
    showStrip();
    strips.show(model, z, label);
    url.changed();
  }

  const pad = drawingPad(
    { canvas: "cvae-draw", input: "cvae-draw-input", recon: "cvae-draw-recon", info: "cvae-draw-info", clear: "cvae-draw-clear" },
    { decoding, onEncoded: (mu) => setZ(mu), onClear: () => {} },
  );
  const interp = interpolation(
    { slider: "cvae-interp-t", info: "cvae-interp-info", pinA: "cvae-interp-a", pinB: "cvae-interp-b" },
    { getZ: () => z, setZ: (p) => setZ(p), onEnds: (a, b) => { el.exportInterp.disabled = !(a && b); } },
  );

  // Export: the digit and the strips as captioned PNGs; a label morph or a style interpolation
  // animated, every frame decoded in the page.
  const title = () => `${model.id} — ${model.title}`;
  el.exportDigit.addEventListener("click", () => exportPng(el.digit, {
    width: +el.exportSize.value, pixelated: true, name: `${model.id}-label-${label}.png`, lines: [title(), `label ${name(label)}, ${style()}`],
  }));
  el.exportStrips.addEventListener("click", () => exportPng(strips.picture(), {
    name: `${model.id}-strips.png`, lines: [`${title()}: each style dimension from −3 to 3, and each label`, `label ${name(label)}, ${style()}`],
  }));
  function animate(what, frames) {
    const decoder = decoding.decoderFor(model);
    if (!decoder) {
      notify("Animations are decoded in this page: choose “Decode: in this page” and wait for its decoder.");
      return null;
    }
    return exportAnimation(decoder, frames(decoder), { name: `${model.id}-${what.replaceAll(" ", "-")}.png`, title: `${title()}: ${what}` });
  }
  el.exportMorph.addEventListener("click", () => {
    const [from, to] = [+el.morphFrom.value, +el.morphTo.value];
    animate(`morph ${name(from)} to ${name(to)}`, (decoder) => walk([[0], [1], [0]], 30).map(([t]) => ({
      z, y: decoder.labelWeights(from, to, Math.round(t * 100) / 100),
      lines: [`${model.id}: label ${name(from)} → ${name(to)}`, `weight ${(Math.round(t * 100) / 100).toFixed(2)}, ${style()}`],
    })));
  });
  el.exportInterp.addEventListener("click", () => {
    const [a, b] = interp.ends();
    if (!(a && b)) return;
    animate("style interpolation A to B", (decoder) => walk([a, b, a], 30).map((p) => ({
      z: roundZ(p), y: decoder.labelWeights(label), lines: [`${model.id}: label ${name(label)}, style A → B`, `style ${shownZ(roundZ(p))}`],
    })));
  });

  el.select.addEventListener("change", () => useModel(cvaes.find((m) => m.id === el.select.value)));
  el.sample.addEventListener("click", () => setZ(z.map(() => randn())));
  el.reset.addEventListener("click", () => setZ(z.map(() => 0)));
  shareOnClick(el.share, () => ({ panel: "cvae", ...linkState() }));
  el.morphT.addEventListener("input", showMorph);
  for (const select of [el.morphFrom, el.morphTo]) select.addEventListener("input", () => { showMorph(); showStrip(); });

  const linked = linkedModel(params, cvaes, { kind: "CVAE" });
  const wantedLabel = params.label !== undefined && params.label !== "" ? Number(params.label) : undefined;
  if (wantedLabel !== undefined && !linked.model.labels.includes(wantedLabel)) {
    linked.notes.push(`This link's label (“${String(params.label).slice(0, 40)}”) is not one of ${linked.model.id}'s labels ` +
      `(${linked.model.labels.join(", ")}): showing ${labelName(linked.model, linked.model.labels[Math.min(3, linked.model.labels.length - 1)])}.`);
  }
  sayLinkNotes(linked.notes);
  useModel(linked.model, { label: wantedLabel, z: linked.z });
  return { shown: url.shown, hidden: url.hidden };
}
