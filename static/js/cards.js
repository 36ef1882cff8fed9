// Model cards: what each checkpoint is, how well it does (in words, with which way is better), and
// how it was trained.
import { byDataset, datasetTitle, labelName, nouns } from "./datasets.js";
import { elements } from "./dom.js";
import { explainOnTap, withTerms } from "./glossary.js";

// Each metric in words; `better`: which way is better, where one is ("lower", "higher"); `as`: how
// its value reads ("percent", "count"). A metric not listed is named from its key, and flagged so.
const METRICS = {
  test_neg_elbo_nats: { label: "test −ELBO, nats per image", better: "lower" },
  test_reconstruction_nats: { label: "test reconstruction error, nats", better: "lower" },
  test_kl_nats: { label: "test KL from the prior, nats" },
  train_neg_elbo_nats: { label: "training −ELBO, nats per image", better: "lower" },
  train_neg_elbo_digits: { label: "training images the −ELBO was measured on", as: "count" },
  test_iw_log_likelihood_nats: { label: "test log p(x), importance-weighted, nats", better: "higher" },
  iw_samples: { label: "importance samples per image", as: "count" },
  n_test: { label: "test set size", as: "count" },
  frechet_distance: { label: "Fréchet distance, generated vs test images", better: "lower" },
  frechet_samples: { label: "images compared by the Fréchet distance", as: "count" },
  frechet_floor_test_halves: { label: "Fréchet distance of the test set's two halves (the floor)" },
  frechet_distance_at_half: { label: "Fréchet distance with half the images (a stability check)", better: "lower" },
  frechet_features: { label: "features the Fréchet distance compares" },
  manifold_grid: { label: "latent grid the classes were counted on" },
  manifold_class_counts: { label: "grid cells per class (evaluator)", as: "count" },
  manifold_classes_present: { label: "classes present on the grid", better: "higher", as: "count" },
  manifold_confident_cells_per_class: { label: "grid cells read with confidence, per class", better: "higher", as: "count" },
  manifold_classes_shown_confidently: { label: "classes with 3 or more confident cells", better: "higher", as: "count" },
  confident_samples: { label: "generated {many} the evaluator reads with confidence", better: "higher", as: "percent" },
  confident_test_images: { label: "real test {many} it reads with confidence (its ceiling)", as: "percent" },
  confident_test_images_per_class: { label: "real test {many} read with confidence, per class", as: "percent" },
  confident_threshold: { label: "read with confidence: top class probability at least" },
  reconstruction_keeps_class: { label: "test {many} still read as their class after encoding and decoding", better: "higher", as: "percent" },
  generated_label_accuracy: { label: "generated {many} classified as their label", better: "higher", as: "percent" },
  generated_label_accuracy_per_label: { label: "classified as their label, per label", better: "higher", as: "percent" },
  generated_per_label: { label: "{many} generated per label", as: "count" },
  test_nll_nats: { label: "test NLL, nats", better: "lower" },
  train_nll_nats: { label: "training NLL, nats", better: "lower" },
  unimodal_baseline_test_nll_nats: { label: "test NLL of one Gaussian (the baseline to beat), nats", better: "lower" },
  best_possible_test_nll_nats: { label: "best possible test NLL (the data's own density), nats" },
  grid_x_with_three_intervals: { label: "x (of the grid) where the exact p(t|x) has three separate branches", as: "count" },
  three_modes_where_three_intervals: { label: "of those, where the page finds three modes", better: "higher", as: "percent" },
  grid_x_with_two_intervals: { label: "x where the exact p(t|x) has two separate branches", as: "count" },
  grid_x_with_three_modes: { label: "x where the page finds three modes", as: "count" },
  grid_points: { label: "x on the grid, from −0.1 to 1.1", as: "count" },
  reach_error_most_probable_kernel: { label: "reach error of the most probable kernel", better: "lower" },
  reach_error_conditional_mean: { label: "reach error of the conditional mean", better: "lower" },
  both_elbows_found: { label: "targets where both elbow solutions were found", better: "higher", as: "percent" },
  targets_with_two_solutions_in_domain: { label: "test targets with two solutions", as: "count" },
  both_elbows_criterion: { label: "counted as found when" },
  mpjpe_best_of_k_mm: { label: "mean joint error of the best of the hypotheses, mm (MPJPE)", better: "lower" },
  mpjpe_most_probable_mm: { label: "mean joint error of the most probable hypothesis, mm", better: "lower" },
  mpjpe_conditional_mean_mm: { label: "mean joint error of the average pose Σ π μ, mm", better: "lower" },
  mpjpe_unimodal_baseline_mm: { label: "mean joint error of one Gaussian (the baseline to beat), mm", better: "lower" },
  mpjpe_flat_zero_depth_mm: { label: "mean joint error of a flat pose (no depth), mm, for scale" },
  best_of_k_over_unimodal: { label: "best hypothesis's error ÷ the baseline's", better: "lower" },
  bone_length_error_best_of_k_mm: { label: "bone-length error of the best hypothesis, mm", better: "lower" },
  bone_length_error_most_probable_mm: { label: "bone-length error of the most probable hypothesis, mm", better: "lower" },
  bone_length_error_conditional_mean_mm: { label: "bone-length error of the average pose, mm", better: "lower" },
  bone_length_error_unimodal_baseline_mm: { label: "bone-length error of the baseline, mm", better: "lower" },
  per_joint_mm: { label: "mean error per joint, mm" },
  per_joint_order: { label: "joints, in the order of the per-joint errors" },
  per_clip_mpjpe_mm: { label: "mean joint error per held-out clip, mm" },
  reprojection_mm_by_rank: { label: "distance from the input in the image, by rank of π, mm", better: "lower" },
  reprojection_mm_max_pi_ge_min: { label: "largest image distance of a likely hypothesis, mm", better: "lower" },
  share_likely_hypotheses_within_tolerance: { label: "likely hypotheses within the image tolerance", better: "higher", as: "percent" },
  reprojection_tolerance_mm: { label: "image tolerance, mm" },
  reprojection_mm_unimodal_baseline: { label: "baseline's distance from the input in the image, mm" },
  pi_min: { label: "π at which a hypothesis counts as likely" },
  pi_by_rank: { label: "mean π of the hypotheses, most probable first" },
  hypotheses_with_pi_ge_min: { label: "likely hypotheses per pose (mean)" },
  mpjpe_by_rank_mm: { label: "mean joint error by rank of π, mm", better: "lower" },
};
// Metrics that hold one number per label, shown beside the label's name.
const PER_LABEL = new Set(["generated_label_accuracy_per_label", "manifold_class_counts",
  "manifold_confident_cells_per_class", "confident_test_images_per_class"]);
const DATA = {
  dataset: "data set", title: "title", source: "source", files_match_pinned: "files match their pinned hashes",
  split: "split", n_train: "training set size", n_test: "test set size", generator: "generator",
  train_seed: "training data seed", test_seed: "test data seed",
};

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
  // By kind, then MNIST before Fashion-MNIST (the pickers' order), then by id.
  const byId = [...models].sort((a, b) => a.id.localeCompare(b.id));
  const sorted = byDataset(byId).sort((a, b) => rank(a) - rank(b));
  el.cards.replaceChildren(...sorted.map(card));
  explainOnTap(el.cards);
  return {};
}

function card(model) {
  const article = document.createElement("article");
  article.className = "card";
  article.id = `card-${model.id}`;
  const shape = KINDS[model.kind]?.(model) ?? model.kind;
  const training = model.training || {};
  const many = nouns(model).many;
  const metricRows = Object.entries(model.metrics || {}).map(([key, value]) => {
    const about = METRICS[key] || { label: key.replaceAll("_", " ") };
    const label = withTerms(esc(about.label.replace("{many}", many)));
    const better = about.better ? ` <small class="better">(${about.better} is better)</small>` : "";
    const shown = PER_LABEL.has(key) ? named(model, value, about.as) : show(value, about.as);
    return [`${label}${better}`, esc(shown)];
  });
  const time = training.seconds != null
    ? `${significant(training.seconds, 3)} s (${significant(training.seconds_per_epoch, 3)} s per epoch)` : undefined;
  const trainingRows = [
    ["epochs", training.epochs], ["batch size", training.batch_size], ["optimizer", training.optimizer],
    ["Dirichlet λ (mixture weights' prior)", training.dirichlet_lambda],
    ["KL weight β (1 = the plain −ELBO)", training.kl_weight], ["seed", training.seed],
    ["training time", time], ["final training loss", training.final_train_loss != null ? significant(training.final_train_loss, 4) : undefined],
    ["PyTorch", training.torch], ["CPU threads", training.torch_threads], ["machine", training.machine],
  ].filter(([, v]) => v !== undefined && v !== null).map(([k, v]) => [esc(k), esc(show(v))]);
  const dataRows = Object.entries(model.data || {}).filter(([, v]) => v !== null && typeof v !== "object")
    .map(([k, v]) => [esc(DATA[k] || k.replaceAll("_", " ")), esc(show(v))]);
  article.innerHTML = `<h2>${esc(model.title)}<span class="kind">${esc(model.kind)}</span></h2>
    <div class="hint"><code>${esc(model.id)}</code> · ${esc(shape)}</div>
    ${model.label_names ? `<div class="hint">${esc(labelLine(model))}</div>` : ""}
    <p>${esc(model.description)}</p>
    <h4>Metrics</h4>${table(metricRows)}
    <h4>Training</h4>${table(trainingRows)}
    ${training.loss_every_10_epochs ? lossPlot(training.loss_every_10_epochs, training.epochs) : ""}
    <h4>Data</h4>${table(dataRows)}`;
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
function named(model, values, as) {
  return Array.isArray(values) ? values.map((v, i) => `${labelName(model, i)} ${show(v, as)}`).join(", ") : show(values, as);
}

/** Rows of [header HTML, value HTML] as a key–value table. */
function table(rows) {
  return `<table class="kv">${rows.map(([k, v]) => `<tr><th>${k}</th><td>${v}</td></tr>`).join("")}</table>`;
}

/** `v` with `digits` significant digits, no more (a time of 5.2608 s reads 5.26 s). */
function significant(v, digits) {
  if (!Number.isFinite(v) || v === 0) return String(v);
  const places = Math.max(0, digits - 1 - Math.floor(Math.log10(Math.abs(v))));
  return v.toFixed(Math.min(places, 10)).replace("-", "−");
}

/** A value as people read it: whole counts grouped, shares as percentages, measures to 4 significant digits. */
function show(v, as) {
  if (Array.isArray(v)) return v.map((x) => show(x, as)).join(", ");
  // A table of tables (per clip, per joint): "name: its values", one entry after another.
  if (v && typeof v === "object") return Object.entries(v).map(([k, x]) => `${k.replaceAll("_", " ")}: ${show(x, as)}`).join("; ");
  if (typeof v === "boolean") return v ? "yes" : "no";
  if (typeof v !== "number") return String(v);
  if (as === "percent") return `${(100 * v).toFixed(1)} %`;
  if (Number.isInteger(v)) return v.toLocaleString("en");
  return significant(v, 4);
}

/** The training loss every 10 epochs as a small SVG plot with its axes: epochs across, the loss up. */
function lossPlot(values, epochs) {
  const [w, h, left, bottom, top, right] = [300, 120, 52, 30, 8, 10];
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const last = (values.length - 1) * 10;
  const x = (i) => left + (i / Math.max(1, values.length - 1)) * (w - left - right);
  const y = (v) => top + (1 - (v - lo) / (hi - lo || 1)) * (h - top - bottom);
  const points = values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(" ");
  const text = (tx, ty, anchor, content) => `<text x="${tx}" y="${ty}" text-anchor="${anchor}">${esc(content)}</text>`;
  return `<figure class="loss"><svg width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" role="img"
      aria-label="Training loss every 10 epochs, from ${show(values[0])} to ${show(values[values.length - 1])}">
    <path d="M${left},${top} V${h - bottom} H${w - right}" fill="none" stroke="#888"/>
    <polyline fill="none" stroke="#2a62c9" stroke-width="1.5" points="${points}"/>
    ${text(left - 4, y(hi) + 4, "end", significant(hi, 3))}
    ${text(left - 4, y(lo) + 4, "end", significant(lo, 3))}
    ${text(left, h - bottom + 14, "middle", "0")}
    ${text(w - right, h - bottom + 14, "end", String(last))}
    ${text((left + w - right) / 2, h - 2, "middle", "epoch")}
    <text transform="translate(12 ${(top + h - bottom) / 2}) rotate(-90)" text-anchor="middle">loss</text>
    </svg>
    <figcaption>training loss every 10 epochs${epochs ? ` (of ${epochs})` : ""}, lower is better</figcaption></figure>`;
}

function esc(text) {
  return String(text).replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
}
