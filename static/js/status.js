// The page's alert line: what went wrong with a request, in words. It floats over the page's
// bottom edge, so showing it never moves what is under a pointer.
import { isNetworkError, serverUnreachable } from "./connection.js";
import { elements } from "./dom.js";

const el = elements({ box: "error" });

/** Show an API failure in the page's alert line (and nowhere near the console's error level). */
export function reportError(error) {
  // No answer at all: the persistent "server unreachable, retrying" state says it, not a 6 s line.
  if (isNetworkError(error)) {
    serverUnreachable();
    return;
  }
  // An ApiError (api.js) carries the server's own words; anything else is the request itself failing.
  notify(error.name === "ApiError" ? `Server said ${error.message}` : `Request failed: ${error.message}`);
}

/** Take back what `notify(text)` said, if the alert line still says it (what it refused was put right). */
export function dismiss(text) {
  if (el.box && !el.box.hidden && el.box.textContent === text) {
    el.box.hidden = true;
    clearTimeout(notify.timer);
  }
}

/** Say something in the alert line for a few seconds. */
export function notify(text, ms = 6000) {
  if (!el.box) return;
  el.box.textContent = text;
  el.box.hidden = false;
  clearTimeout(notify.timer);
  notify.timer = setTimeout(() => { el.box.hidden = true; }, ms);
}
