// Latent codes as the page handles them: drawn from the prior, written into URLs, shown to people.

/** Latent coordinates as they travel in URLs: 3 decimals are finer than a slider step. */
export function formatZ(z) {
  return z.map((v) => (Math.round(v * 1000) / 1000).toString());
}

/** z as the page holds it: within ±limit and on formatZ's 3 decimals, so what a link carries is what is shown. */
export function roundZ(z, limit = 10) {
  return formatZ(z.map((v) => Math.max(-limit, Math.min(limit, v)))).map(Number);
}

/**
 * One coordinate with 2 decimals, rounded from its 3-decimal form half away from zero (−2.675 → −2.68),
 * the same for every view of one z: toFixed rounds the binary value, so −2.675 gave −2.67 in one
 * place and −2.6751 gave −2.68 in another.
 */
export function fixed2(v) {
  const hundredths = Math.round(Math.round(Math.abs(v) * 1000) / 10);
  return `${v < 0 && hundredths ? "-" : ""}${(hundredths / 100).toFixed(2)}`;
}

/** 12 → "₁₂": the index of a coordinate as people write it (z₁, s₄). */
export const subscript = (n) => String(n).split("").map((d) => "₀₁₂₃₄₅₆₇₈₉"[+d]).join("");

/** "(0.50, -1.25)": a z as captions, tooltips and info lines show it. */
export const shownZ = (z) => `(${z.map(fixed2).join(", ")})`;

/** "0.5,-1.2" → [0.5, -1.2]; null when any part is not a finite number ("nan", "", "1e999", "abc"). */
export function parseZ(text) {
  const parts = text.split(",");
  const number = /^\s*[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?\s*$/i;
  if (!parts.every((p) => number.test(p))) return null;
  const values = parts.map(Number);
  return values.every(Number.isFinite) ? values : null;
}

/** A standard normal draw (Box–Muller). */
export function randn() {
  const u = 1 - Math.random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * Math.random());
}
