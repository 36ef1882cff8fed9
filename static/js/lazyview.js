// A request held back until its view is on screen and its input has settled: the many small views
// of a panel (the CVAE's row, morph and strip) ask the server only for what a person can see, once
// a drag pauses, never for every step of it.

const QUIET_MS = 150; // a drag's steps come every frame; a pause this long ends the burst
const views = new WeakMap(); // element → its state below
const observer = new IntersectionObserver((entries) => {
  for (const entry of entries) {
    const view = views.get(entry.target);
    view.visible = entry.isIntersecting;
    if (view.visible) view.schedule();
  }
});

/** `later(element).request(run)`: `run()` once `element` is on screen and no newer request came for QUIET_MS. */
export function later(element) {
  if (!views.has(element)) {
    const view = {
      visible: false, pending: null, timer: null,
      schedule() {
        clearTimeout(view.timer);
        if (!view.pending || !view.visible) return;
        view.timer = setTimeout(() => {
          const run = view.pending;
          view.pending = null;
          if (view.visible) run?.();
          else view.pending = run;
        }, QUIET_MS);
      },
      request(run) {
        view.pending = run;
        view.schedule();
      },
    };
    views.set(element, view);
    observer.observe(element);
  }
  return views.get(element);
}
