// Latent codes as the page handles them: drawn from the prior, written into URLs.

/** Latent coordinates as they travel in URLs: 3 decimals are finer than a slider step. */
export function formatZ(z) {
  return z.map((v) => (Math.round(v * 1000) / 1000).toString());
}

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
