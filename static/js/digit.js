// Drawing decoded digits: a 28×28 canvas (scaled up by CSS, pixelated) fed by a Latest loader.
import { Latest, getBitmap } from "./api.js";

/**
 * A digit canvas that shows the PNG at the URL it was last asked for (latest value wins).
 * `show(url, description)`: the description ("z = (0.50, −1.20)") becomes the canvas's accessible
 * name once that image is on it. While the server is unreachable the canvas is marked stale (faded),
 * so an old digit never passes for the new z.
 */
export function digitView(canvas, { name = null } = {}) {
  const ctx = canvas.getContext("2d");
  const descriptions = new Map();
  // What the canvas is ("Decoded item"): given, or its label's noun-resolved base (datasets.js sayNouns).
  const initial = canvas.getAttribute("aria-label") || "Decoded image";
  const base = () => name || canvas.dataset.ariaName || initial;
  canvas.setAttribute("role", "img");
  // After every drawing: data-src (the decode URL shown), data-decoded-by, the name, a "drawn" event.
  function drawn(url, by) {
    canvas.dataset.src = url;
    canvas.dataset.decodedBy = by;
    const description = descriptions.get(url);
    if (description) canvas.setAttribute("aria-label", `${base()}, ${description}`);
    if (loader.shown === loader.wanted) delete canvas.dataset.stale;
    canvas.dispatchEvent(new CustomEvent("drawn", { detail: { url, by } }));
  }
  const loader = new Latest(getBitmap, (bitmap, url) => {
    ctx.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    drawn(url, "server");
  }, { onStale: () => { canvas.dataset.stale = "1"; } });
  function remember(url, description) {
    if (!description) return;
    descriptions.set(url, description);
    if (descriptions.size > 256) descriptions.delete(descriptions.keys().next().value);
  }
  function show(url, description) {
    remember(url, description);
    loader.request(url);
  }
  /** Show the image `url` names, drawn here by `draw(ctx)` instead of fetched (decodemode.js). */
  function paint(url, draw, description) {
    remember(url, description);
    loader.markShown(url);
    draw(ctx);
    drawn(url, "page");
  }
  return { canvas, show, paint, loader };
}
