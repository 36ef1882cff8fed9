// CVAE: the label picks the class, z holds the style. A model picker (grouped by data set), a label
// row, style sliders, a fresh-style sampler, the same z under every label, and a morph that
// interpolates the one-hot label input. Labels travel to the API as indices; people see names.
import { byDataset, fillModelPicker, labelName, sayNouns, shortName } from "./datasets.js";
import { decodeControl, decodedDigit, firstDrawn } from "./decodemode.js";
import { $ } from "./dom.js";
import { formatZ, randn } from "./latent.js";
import { latentSliders } from "./sliders.js";

export function start({ models, params = {}, writeParams }) {
  const cvaes = byDataset(models.filter((m) => m.kind === "cvae"));
  if (!cvaes.length) {
    $("panel-cvae").textContent = "No CVAE checkpoint is being served.";
    return {};
  }
  const select = $("cvae-model");
  fillModelPicker(select, cvaes);
  const decoding = decodeControl($("cvae-decode"), { name: "cvae", onChange: () => model && setZ(z, false) });
  const digit = decodedDigit($("cvae-digit"), decoding, { timed: true });
  const firstPaint = firstDrawn(digit.canvas); // the decoder downloads after it, never before
  const morph = decodedDigit($("morph-digit"), decoding);
  // The 19 small views follow a step one animation frame later in page mode (the big digit first).
  const small = (canvas, name) => decodedDigit(canvas, decoding, { deferred: true, name });
  const style = () => `style (${z.map((v) => v.toFixed(2)).join(", ")})`;
  const strip = Array.from({ length: 9 }, (_, i) => {
    const canvas = Object.assign(document.createElement("canvas"), { width: 28, height: 28, className: "digit" });
    canvas.title = `morph ${(i / 8).toFixed(2)}`;
    canvas.setAttribute("aria-label", `Morph step ${i + 1} of 9`);
    $("morph-strip").append(canvas);
    return small(canvas, `Morph step ${i + 1} of 9`);
  });
  let model = null;
  let labels = [];
  let label = null;
  let z = [];
  let sliders = null;
  let row = [];
  let buttons = [];
  let urlTimer = null;
  const name = (index) => labelName(model, index);

  /** Show `id` (or the first CVAE): its labels' buttons, row and morph choices replace the last model's. */
  function useModel(id, { label: wantedLabel, z: wantedZ } = {}) {
    model = cvaes.find((m) => m.id === id) || cvaes[0];
    select.value = model.id;
    labels = model.labels;
    sayNouns($("panel-cvae"), model);
    buttons = labels.map((l) => {
      const button = Object.assign(document.createElement("button"), { type: "button", textContent: shortName(name(l)) });
      button.title = name(l);
      button.setAttribute("aria-label", `Label ${name(l)}`);
      button.addEventListener("click", () => setLabel(l));
      return button;
    });
    $("cvae-labels").replaceChildren(...buttons);
    row = labels.map((l) => {
      const figure = document.createElement("figure");
      const canvas = Object.assign(document.createElement("canvas"), { width: 28, height: 28, className: "digit", title: name(l) });
      canvas.setAttribute("aria-label", `The same style, label ${name(l)}`);
      const caption = Object.assign(document.createElement("figcaption"), { textContent: shortName(name(l)) });
      figure.append(canvas, caption);
      return { figure, view: small(canvas, `The same style, label ${name(l)}`) };
    });
    $("cvae-row").replaceChildren(...row.map((r) => r.figure));
    for (const id of ["morph-a", "morph-b"]) $(id).replaceChildren(...labels.map((l) => new Option(name(l), l)));
    $("morph-a").value = labels[1 % labels.length];
    $("morph-b").value = labels[7 % labels.length];
    sliders = latentSliders($("cvae-sliders"), model.latent_dim, { name: "s", onInput: (values) => setZ(values, false) });
    const zOk = wantedZ && wantedZ.length === model.latent_dim && wantedZ.every(Number.isFinite);
    z = zOk ? wantedZ : new Array(model.latent_dim).fill(0);
    setLabel(labels.includes(wantedLabel) ? wantedLabel : labels[Math.min(3, labels.length - 1)]);
    setZ(z);
    decoding.setModel(model, firstPaint);
  }

  function setLabel(next) {
    label = next;
    buttons.forEach((b, i) => b.setAttribute("aria-pressed", String(labels[i] === label)));
    showMain();
    rememberInUrl();
  }

  function showMain() {
    digit.show(model, { z: formatZ(z), label }, `${model.id}, label ${name(label)}, ${style()}`);
    $("cvae-caption").textContent = `label ${name(label)}, ${style()}`;
  }

  const morphEnds = () => `${name(+$("morph-a").value)} → ${name(+$("morph-b").value)}`;
  const morphQuery = (t) => ({ z: formatZ(z), label: $("morph-a").value, to_label: $("morph-b").value, morph: t });

  function showMorph() {
    const t = +$("morph-t").value;
    $("morph-out").textContent = t.toFixed(2);
    morph.show(model, morphQuery(t), `${morphEnds()} at ${t.toFixed(2)}, ${style()}`);
  }

  function showStrip() {
    strip.forEach((view, i) => view.show(model, morphQuery(i / 8), `${morphEnds()} at ${(i / 8).toFixed(2)}`));
  }

  function setZ(values, moveSliders = true) {
    z = values.slice();
    if (moveSliders) sliders.set(z);
    showMain();
    row.forEach(({ view }, i) => view.show(model, { z: formatZ(z), label: labels[i] }, style()));
    showMorph();
    showStrip();
    rememberInUrl();
  }

  /** The address bar (the share link) carries the model, the label index and the style. */
  const state = () => ({ model: model.id, label: String(label), z: formatZ(z).join(",") });
  function rememberInUrl() {
    clearTimeout(urlTimer);
    // Only while this panel is the one shown: another panel's link must not name a CVAE.
    urlTimer = setTimeout(() => { if (!$("panel-cvae").hidden) writeParams(state()); }, 250);
  }

  select.addEventListener("change", () => useModel(select.value));
  $("cvae-sample").addEventListener("click", () => setZ(z.map(() => randn())));
  $("morph-t").addEventListener("input", showMorph);
  for (const id of ["morph-a", "morph-b"]) $(id).addEventListener("input", () => { showMorph(); showStrip(); });

  useModel(params.model, {
    label: params.label !== undefined && params.label !== "" ? Number(params.label) : undefined,
    z: params.z ? params.z.split(",").map(Number) : null,
  });
  return { shown: () => writeParams(state()) };
}
