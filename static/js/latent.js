// Latent codes as the page handles them: drawn from the prior, written into URLs.

/** Latent coordinates as they travel in URLs: 3 decimals are finer than a slider step. */
export function formatZ(z) {
  return z.map((v) => (Math.round(v * 1000) / 1000).toString());
}

/** A standard normal draw (Box–Muller). */
export function randn() {
  const u = 1 - Math.random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * Math.random());
}
