// The page's query string is its state: ?panel=vae&model=vae-2d&z=0.1,-0.4 names one panel and
// that panel's own state (another panel's parameters never ride along). Each tab a person opens is
// a history entry, so Back and Forward move between panels.
import { parseZ } from "./latent.js";
import { notify } from "./status.js";

export function readParams() {
  return Object.fromEntries(new URLSearchParams(location.search));
}

/** The link the page was opened with (read once, before any panel rewrites the address bar). */
export const LINK = readParams();

/**
 * The address bar names panel `name` and nothing else yet (its panel adds its own state when shown):
 * a new history entry when `push`, else in place.
 */
export function panelInUrl(name, { push = false } = {}) {
  const url = `?${new URLSearchParams({ panel: name })}`;
  if (push) history.pushState(null, "", url);
  else history.replaceState(null, "", url);
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

/** Say what a link asked for that the page shows otherwise (once, for a while: a link is read once). */
export function sayLinkNotes(notes) {
  if (notes.length) notify(notes.join(" "), 12000);
}

/** The z limit of the API and the sliders' boxes. */
export const Z_LIMIT = 10;

/**
 * The model (among `models`, else `fallback`) and z that a share link's `params` ask for; z is null
 * when the link has none that fits the model, and clamped to ±Z_LIMIT. What the link gets wrong is
 * returned in `notes`, to be said (sayLinkNotes), not silently replaced.
 */
export function linkedModel({ model: id, z: text }, models, { kind, fallback = models[0] }) {
  const wanted = models.find((m) => m.id === id);
  const model = wanted || fallback;
  const notes = [];
  if (id && !wanted) notes.push(`This link names no ${kind} called “${id.slice(0, 80)}”: showing ${model.id}.`);
  const z = text ? parseZ(text) : null;
  const fits = z?.length === model.latent_dim;
  if (text && !fits) notes.push(`This link's z (“${text.slice(0, 80)}”) is not ${model.latent_dim} numbers: showing z = 0.`);
  if (fits && z.some((v) => Math.abs(v) > Z_LIMIT)) {
    notes.push(`This link's z (“${text.slice(0, 80)}”) goes beyond ±${Z_LIMIT}, the API's limit: those values are shown at ±${Z_LIMIT}.`);
  }
  return { model, z: fits ? z.map((v) => Math.max(-Z_LIMIT, Math.min(Z_LIMIT, v))) : null, notes };
}

/** A number a link carries for one value, within [lo, hi]: { value, note } (note: what was wrong, or null). */
export function linkedNumber(text, { name, lo, hi, fallback }) {
  if (text === undefined || text === "") return { value: fallback, note: null };
  const parsed = parseZ(String(text));
  if (!parsed || parsed.length !== 1) return { value: fallback, note: `This link's ${name} (“${String(text).slice(0, 40)}”) is not a number: showing ${fallback}.` };
  const value = Math.max(lo, Math.min(hi, parsed[0]));
  return { value, note: value === parsed[0] ? null : `This link's ${name} = ${parsed[0]} is outside ${lo} … ${hi}: showing ${value}.` };
}

/**
 * A "Share link" anchor: a click puts `params()`'s link in the address bar and on the clipboard,
 * and the anchor says which for two seconds.
 */
export function shareOnClick(anchor, params) {
  const label = anchor.textContent;
  anchor.addEventListener("click", async (event) => {
    event.preventDefault();
    const link = pageUrl(params());
    history.replaceState(null, "", link);
    try {
      await navigator.clipboard.writeText(link);
      anchor.textContent = "Link copied";
    } catch {
      anchor.textContent = "Link in the address bar";
    }
    setTimeout(() => { anchor.textContent = label; }, 2000);
  });
}
