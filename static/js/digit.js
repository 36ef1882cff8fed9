// Drawing decoded digits: a 28×28 canvas (scaled up by CSS, pixelated) fed by a Latest loader.
import { Latest, getBitmap } from "./api.js";

/** A digit canvas that shows the PNG at the URL it was last asked for (latest value wins). */
export function digitView(canvas) {
  const ctx = canvas.getContext("2d");
  const loader = new Latest(getBitmap, (bitmap, url) => {
    ctx.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    canvas.dataset.src = url;
    canvas.dispatchEvent(new CustomEvent("drawn", { detail: { url } }));
  });
  return { canvas, show: (url) => loader.request(url), loader };
}
