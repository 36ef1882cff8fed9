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
