// CVAE: the label picks the digit, z holds the style. A label row, style sliders, a fresh-style
// sampler, the same z under every label, and a morph that interpolates the one-hot label input.
import { apiUrl } from "./api.js";
import { digitView } from "./digit.js";
import { $ } from "./dom.js";
import { formatZ, randn } from "./latent.js";
import { latentSliders } from "./sliders.js";

export function start({ models }) {
  const model = models.find((m) => m.kind === "cvae");
  if (!model) {
    $("panel-cvae").textContent = "No CVAE checkpoint is being served.";
    return {};
  }
  const labels = model.labels;
  const digit = digitView($("cvae-digit"));
  const morph = digitView($("morph-digit"));
  const row = labels.map((label) => {
    const figure = document.createElement("figure");
    const canvas = Object.assign(document.createElement("canvas"), { width: 28, height: 28, className: "digit" });
    canvas.setAttribute("aria-label", `Style z as a ${label}`);
    const caption = Object.assign(document.createElement("figcaption"), { textContent: String(label) });
    figure.append(canvas, caption);
    $("cvae-row").append(figure);
    return digitView(canvas);
  });
  const strip = Array.from({ length: 9 }, (_, i) => {
    const canvas = Object.assign(document.createElement("canvas"), { width: 28, height: 28, className: "digit" });
    canvas.title = `morph ${(i / 8).toFixed(2)}`;
    $("morph-strip").append(canvas);
    return digitView(canvas);
  });
  let label = labels[Math.min(3, labels.length - 1)];
  let z = new Array(model.latent_dim).fill(0);
  const sliders = latentSliders($("cvae-sliders"), model.latent_dim, { name: "s", onInput: (values) => setZ(values, false) });

  const buttons = labels.map((l) => {
    const button = Object.assign(document.createElement("button"), { type: "button", textContent: String(l) });
    button.setAttribute("aria-label", `Label ${l}`);
    button.addEventListener("click", () => setLabel(l));
    $("cvae-labels").append(button);
    return button;
  });
  for (const id of ["morph-a", "morph-b"]) $(id).replaceChildren(...labels.map((l) => new Option(String(l), l)));
  $("morph-a").value = labels[1 % labels.length];
  $("morph-b").value = labels[7 % labels.length];

  function setLabel(next) {
    label = next;
    buttons.forEach((b, i) => b.setAttribute("aria-pressed", String(labels[i] === label)));
    showMain();
  }

  function showMain() {
    digit.show(apiUrl(model.id, "decode", { z: formatZ(z), label }));
    $("cvae-caption").textContent = `label ${label}, style (${z.map((v) => v.toFixed(2)).join(", ")})`;
  }

  const morphUrl = (t) => apiUrl(model.id, "decode", { z: formatZ(z), label: $("morph-a").value, to_label: $("morph-b").value, morph: t });

  function showMorph() {
    const t = +$("morph-t").value;
    $("morph-out").textContent = t.toFixed(2);
    morph.show(morphUrl(t));
  }

  function showStrip() {
    strip.forEach((view, i) => view.show(morphUrl(i / 8)));
  }

  function setZ(values, moveSliders = true) {
    z = values.slice();
    if (moveSliders) sliders.set(z);
    showMain();
    row.forEach((view, i) => view.show(apiUrl(model.id, "decode", { z: formatZ(z), label: labels[i] })));
    showMorph();
    showStrip();
  }

  $("cvae-sample").addEventListener("click", () => setZ(z.map(() => randn())));
  $("morph-t").addEventListener("input", showMorph);
  for (const id of ["morph-a", "morph-b"]) $(id).addEventListener("input", () => { showMorph(); showStrip(); });
  setLabel(label);
  setZ(z);
  return {};
}
