// Model cards: what each checkpoint is, how well it does, and how it was trained.
import { datasetTitle, labelName, nouns } from "./datasets.js";
import { elements } from "./dom.js";

const LABELS = {
  test_neg_elbo_nats: "test −ELBO (nats)", test_reconstruction_nats: "test reconstruction (nats)",
  test_kl_nats: "test KL (nats)", train_neg_elbo_nats: "train −ELBO (nats)",
  test_iw_log_likelihood_nats: "test log p(x), importance-weighted (nats)", test_nll_nats: "test NLL (nats)",
  train_nll_nats: "train NLL (nats)", unimodal_baseline_test_nll_nats: "unimodal baseline test NLL (nats)",
  generated_label_accuracy: "generated {many} classified as their label",
  generated_label_accuracy_per_label: "classified as their label, per label", manifold_class_counts: "manifold cells per class (evaluator)",
  train_neg_elbo_digits: "train −ELBO: images used",
};
// Metrics that hold one number per label, shown beside the label's name.
const PER_LABEL = new Set(["generated_label_accuracy_per_label", "manifold_class_counts"]);

// Each kind of model in the order its cards come, with what one such model is, in a line.
const imageModel = (model) => `${datasetTitle(model)}, latent ${model.latent_dim}-D, image ${model.image_shape?.join("×")}`;
const KINDS = {
  vae: imageModel,
  cvae: imageModel,
  mdn: (model) => `input ${model.input_dim}-D → output ${model.output_dim}-D, ${model.components} kernels`,
  pose: (model) => `2-D skeleton of ${model.joints?.length} joints → 3-D, ${model.components} hypotheses`,
};
const ORDER = Object.keys(KINDS);

export const matches = () => true;
export const none = "No model is being served.";

export function start({ models }) {
  const el = elements({ cards: "cards" });
  const rank = (m) => (ORDER.includes(m.kind) ? ORDER.indexOf(m.kind) : ORDER.length);
  const sorted = [...models].sort((a, b) => rank(a) - rank(b) || a.id.localeCompare(b.id));
  el.cards.replaceChildren(...sorted.map(card));
  return {};
}

function card(model) {
  const article = document.createElement("article");
  article.className = "card";
  article.id = `card-${model.id}`;
  const shape = KINDS[model.kind]?.(model) ?? model.kind;
  const training = model.training || {};
  const metricLabels = Object.fromEntries(Object.entries(LABELS).map(([k, v]) => [k, v.replace("{many}", nouns(model).many)]));
  const metrics = Object.fromEntries(Object.entries(model.metrics || {}).map(([k, v]) => [k, PER_LABEL.has(k) ? named(model, v) : v]));
  article.innerHTML = `<h2>${esc(model.title)}<span class="kind">${esc(model.kind)}</span></h2>
    <div class="hint"><code>${esc(model.id)}</code> · ${esc(shape)}</div>
    ${model.label_names ? `<div class="hint">${esc(labelLine(model))}</div>` : ""}
    <p>${esc(model.description)}</p>
    <h4>Metrics</h4>${table(metrics, metricLabels)}
    <h4>Training</h4>${table({
      epochs: training.epochs, "batch size": training.batch_size, optimizer: training.optimizer,
      "Dirichlet λ": training.dirichlet_lambda, seed: training.seed,
      time: training.seconds != null ? `${training.seconds} s (${training.seconds_per_epoch} s/epoch)` : undefined,
      "final train loss": training.final_train_loss, torch: training.torch, threads: training.torch_threads,
    })}
    ${training.loss_every_10_epochs ? sparkline(training.loss_every_10_epochs) : ""}
    <h4>Data</h4>${table(model.data || {})}`;
  return article;
}

/** "labels 0 T-shirt/top, 1 Trouser, …" (a CVAE's input: index and name); "classes …" for a VAE's data. */
function labelLine(model) {
  const indices = model.labels || model.label_names.map((_, i) => i);
  const plain = indices.every((i) => labelName(model, i) === String(i)); // MNIST: the name is the index
  const items = indices.map((i) => (plain ? String(i) : `${i} ${labelName(model, i)}`));
  return `${model.labels ? "labels" : "classes"}: ${items.join(plain ? " " : ", ")}`;
}

/** Per-label numbers as "name value" strings, in label order. */
function named(model, values) {
  return Array.isArray(values) ? values.map((v, i) => `${labelName(model, i)} ${show(v)}`) : values;
}

function table(object, labels = {}) {
  const rows = Object.entries(object).filter(([, v]) => v !== undefined && v !== null && typeof v !== "object" || Array.isArray(v));
  return `<table class="kv">${rows.map(([k, v]) => `<tr><th>${esc(labels[k] || k.replaceAll("_", " "))}</th><td>${esc(show(v))}</td></tr>`).join("")}</table>`;
}

function show(v) {
  if (Array.isArray(v)) return v.map(show).join(", ");
  if (typeof v === "number") return Number.isInteger(v) ? String(v) : Math.abs(v) >= 1000 || Math.abs(v) < 0.01 ? v.toPrecision(3) : v.toFixed(3);
  return String(v);
}

/** The training loss every 10 epochs as a small inline SVG line. */
function sparkline(values) {
  const [w, h] = [280, 48];
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const points = values.map((v, i) => `${(i / Math.max(1, values.length - 1)) * (w - 4) + 2},${h - 2 - ((v - lo) / (hi - lo || 1)) * (h - 4)}`);
  return `<figure><svg width="${w}" height="${h}" role="img" aria-label="Training loss every 10 epochs">
    <polyline fill="none" stroke="#2a62c9" stroke-width="1.5" points="${points.join(" ")}"/></svg>
    <figcaption>training loss every 10 epochs: ${show(values[0])} → ${show(values[values.length - 1])}</figcaption></figure>`;
}

function esc(text) {
  return String(text).replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
}
