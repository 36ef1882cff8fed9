// A canvas drawn at the screen's own resolution: its backing store follows its CSS size times
// devicePixelRatio, so lines stay crisp on a phone or a zoomed page, and code draws in CSS pixels.

/**
 * Keep `canvas`'s backing store at its CSS size × devicePixelRatio; `redraw()` runs when either
 * changes. Returns { begin() → { ctx, w, h } (cleared, scaled to CSS pixels; w = 0 while hidden), stop() }.
 */
export function crispCanvas(canvas, redraw) {
  const ctx = canvas.getContext("2d");
  let [w, h] = [0, 0];
  const fit = () => {
    const dpr = window.devicePixelRatio || 1;
    [w, h] = [canvas.clientWidth, canvas.clientHeight];
    const [bw, bh] = [Math.max(1, Math.round(w * dpr)), Math.max(1, Math.round(h * dpr))];
    if (canvas.width !== bw || canvas.height !== bh) Object.assign(canvas, { width: bw, height: bh });
  };
  const refit = () => { fit(); redraw(); };
  const sizes = new ResizeObserver(refit);
  sizes.observe(canvas);
  // A change of devicePixelRatio (browser zoom, a window dragged to another screen) keeps the CSS size.
  let query = null;
  const watchRatio = () => {
    query?.removeEventListener("change", onRatio);
    query = matchMedia(`(resolution: ${window.devicePixelRatio || 1}dppx)`);
    query.addEventListener("change", onRatio);
  };
  const onRatio = () => { watchRatio(); refit(); };
  watchRatio();
  fit();
  return {
    begin() {
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.clearRect(0, 0, canvas.width, canvas.height);
      if (w && h) ctx.setTransform(canvas.width / w, 0, 0, canvas.height / h, 0, 0);
      return { ctx, w, h };
    },
    stop() {
      sizes.disconnect();
      query?.removeEventListener("change", onRatio);
    },
  };
}
