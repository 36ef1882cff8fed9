// One pointer drag for every canvas that follows a press: mouse, pen or finger alike.

/**
 * `start(event)` when a pointer presses `target` (default: `move`), `move(event)` at each move while
 * it stays pressed, `end()` when it lets go or the browser takes it (pointercancel: a system
 * gesture), `hover(event)` at moves with nothing pressed. The pointer is captured, so a drag that
 * leaves the target still reports to it. `signal` removes the listeners. Returns { dragging }.
 */
export function pointerDrag(target, { move, start = move, end = () => {}, hover = () => {} }, { signal } = {}) {
  let dragging = false;
  const on = (type, handler) => target.addEventListener(type, handler, { signal });
  on("pointerdown", (event) => {
    target.setPointerCapture(event.pointerId);
    dragging = true;
    start(event);
  });
  on("pointermove", (event) => (dragging ? move(event) : hover(event)));
  const stop = () => {
    if (!dragging) return;
    dragging = false;
    end();
  };
  on("pointerup", stop);
  on("pointercancel", stop);
  return { get dragging() { return dragging; } };
}
