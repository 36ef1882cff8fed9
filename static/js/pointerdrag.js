// One pointer drag for every canvas that follows a press: mouse, pen or finger alike.

const TAP_PX = 10; // a touch that moved less than this and was not taken by a scroll is a tap

/**
 * `start(event)` when a pointer presses `target` (default: `move`), `move(event)` at each move while
 * it stays pressed, `end()` when it lets go or the browser takes it (pointercancel: a system
 * gesture), `hover(event)` at moves with nothing pressed. The pointer is captured, so a drag that
 * leaves the target still reports to it. `signal` removes the listeners. Returns { dragging }.
 *
 * `grab(event)`: whether a finger pressing there takes hold of the thing dragged (a marker, a
 * target, a line). A finger pressing anywhere else scrolls the page as usual (the canvas's CSS
 * allows panning), and a tap there still picks the point (start, then end). Mouse and pen presses
 * always drag.
 */
export function pointerDrag(target, { move, start = move, end = () => {}, hover = () => {}, grab = () => true }, { signal } = {}) {
  let dragging = false;
  let tap = null; // a finger down off the handle: { x, y } until it moves away or the page scrolls
  const on = (type, handler, options = {}) => target.addEventListener(type, handler, { signal, ...options });
  on("pointerdown", (event) => {
    if (event.pointerType === "touch" && !grab(event)) {
      tap = { x: event.clientX, y: event.clientY };
      return;
    }
    target.setPointerCapture(event.pointerId);
    dragging = true;
    start(event);
  });
  // A finger that took hold must not scroll the page as it moves (pointerdown comes first).
  on("touchstart", (event) => { if (dragging) event.preventDefault(); }, { passive: false });
  on("pointermove", (event) => {
    if (tap && Math.hypot(event.clientX - tap.x, event.clientY - tap.y) > TAP_PX) tap = null;
    if (dragging) move(event);
    else if (event.pointerType !== "touch") hover(event);
  });
  const stop = () => {
    if (!dragging) return;
    dragging = false;
    end();
  };
  on("pointerup", (event) => {
    if (tap) {
      tap = null;
      start(event);
      end();
      return;
    }
    stop();
  });
  on("pointercancel", () => {
    tap = null; // the browser scrolled: not a tap
    stop();
  });
  return { get dragging() { return dragging; } };
}
