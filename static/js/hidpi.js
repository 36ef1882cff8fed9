// A canvas drawn in fixed units (its width and height attributes in the markup) at the resolution it
// is shown at: CSS size × devicePixelRatio, so text and lines stay sharp on retina screens, on
// projectors and in presentation mode, where the same canvas is shown much larger.

const handles = new WeakMap(); // canvas → its handle: one watcher per canvas, whoever draws on it now

/**
 * Returns { width, height, begin() }: draw in `width` × `height` units after `begin()`, which hands
 * back the context scaled to the canvas's pixels. `redraw()` runs whenever those pixels change
 * (resizing a canvas clears it); asked again for the same canvas (another model's map), the new
 * `redraw` replaces the old one.
 */
export function sharpCanvas(canvas, redraw) {
  if (handles.has(canvas)) {
    handles.get(canvas).redraw = redraw;
    return handles.get(canvas);
  }
  const width = canvas.width;
  const height = canvas.height;
  const ctx = canvas.getContext("2d");

  /** Match the backing store to the shown size; → whether it changed. A hidden canvas keeps its own. */
  function fit() {
    const shown = canvas.getBoundingClientRect().width;
    if (!shown) return false;
    const scale = (shown * devicePixelRatio) / width;
    const [w, h] = [Math.round(width * scale), Math.round(height * scale)];
    if (w === canvas.width && h === canvas.height) return false;
    canvas.width = w;
    canvas.height = h;
    return true;
  }

  const handle = {
    width,
    height,
    redraw,
    begin() {
      ctx.setTransform(canvas.width / width, 0, 0, canvas.height / height, 0, 0);
      return ctx;
    },
  };
  new ResizeObserver(() => { if (fit()) handle.redraw(); }).observe(canvas);
  // A move to a screen of another pixel ratio (a projector beside a laptop) changes no CSS size.
  const watchRatio = () => matchMedia(`(resolution: ${devicePixelRatio}dppx)`).addEventListener("change", () => {
    if (fit()) handle.redraw();
    watchRatio();
  }, { once: true });
  watchRatio();
  fit();
  handles.set(canvas, handle);
  return handle;
}

// The same for a canvas drawn in CSS pixels at whatever size it is shown (the pose views, whose
// drawing scales itself to the canvas): its backing store follows its CSS size × devicePixelRatio.

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
