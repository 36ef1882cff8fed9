// The page's alert line: what went wrong with a request, in words.
import { $ } from "./dom.js";

/** Show an API failure in the page's alert line (and nowhere near the console's error level). */
export function reportError(error) {
  const box = $("error");
  if (!box) return;
  // An ApiError (api.js) carries the server's own words; anything else is the request itself failing.
  box.textContent = error.name === "ApiError" ? `Server said ${error.message}` : `Request failed: ${error.message}`;
  box.hidden = false;
  clearTimeout(reportError.timer);
  reportError.timer = setTimeout(() => { box.hidden = true; }, 6000);
}
