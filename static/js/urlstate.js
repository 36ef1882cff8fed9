// The page's query string is its state: ?panel=vae&model=vae-2d&z=0.1,-0.4
import { parseZ } from "./latent.js";
import { notify } from "./status.js";

export function readParams() {
  return Object.fromEntries(new URLSearchParams(location.search));
}

/** Merge `params` into the address bar's query (empty values dropped), without a history entry. */
export function writeParams(params) {
  const query = new URLSearchParams({ ...readParams(), ...params });
  for (const [k, v] of [...query]) if (v === "" || v === "undefined") query.delete(k);
  history.replaceState(null, "", `?${query}`);
}

/** An absolute link to this page showing exactly `params` (a share link). */
export function pageUrl(params) {
  return `${location.origin}${location.pathname}?${new URLSearchParams(params)}`;
}

/**
 * The address bar kept on a panel's `state()`: `changed()` writes it at most every 250 ms, and only
 * while the panel is shown, so another panel's link never names this one's model; `shown()` writes
 * it at once and `hidden()` stops the writes (main.js calls both as the tabs change).
 */
export function keepInUrl(state) {
  let timer = null;
  let shown = true;
  const write = () => shown && writeParams(state());
  return {
    // Throttled, not debounced: a steady stream of changes (a drag, dream) still reaches the address bar.
    changed: () => { timer ??= setTimeout(() => { timer = null; write(); }, 250); },
    shown: () => { shown = true; write(); },
    hidden: () => { shown = false; },
  };
}

/**
 * The model (among `models`, else `fallback`) and z that a share link's `params` ask for; z is null
 * when the link has none that fits the model. What the link gets wrong is said, not silently replaced.
 */
export function linkedModel({ model: id, z: text }, models, { kind, fallback = models[0] }) {
  const wanted = models.find((m) => m.id === id);
  const model = wanted || fallback;
  const notes = [];
  if (id && !wanted) notes.push(`This link names no ${kind} called “${id.slice(0, 80)}”: showing ${model.id}.`);
  const z = text ? parseZ(text) : null;
  const fits = z?.length === model.latent_dim;
  if (text && !fits) notes.push(`This link's z (“${text.slice(0, 80)}”) is not ${model.latent_dim} numbers: showing z = 0.`);
  if (notes.length) notify(notes.join(" "), 12000);
  return { model, z: fits ? z : null };
}
