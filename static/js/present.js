// Presentation mode: one key (P) or the Present button makes the panel on screen fill the screen,
// with canvases and text sized to the screen (style.css :root[data-present]), for a projector at
// 1024 × 768 as for a 4K screen. The canvases redraw at their new size (hidpi.js). Escape, P or the
// button leave it; so does leaving full screen.
import { elements } from "./dom.js";

/** Wire the Present button and the keys. */
export function presentation() {
  const el = elements({ button: "present" });
  const root = document.documentElement;
  let fullscreen = false; // whether entering asked for full screen (and got it)

  async function enter() {
    root.dataset.present = "1";
    el.button.setAttribute("aria-pressed", "true");
    el.button.textContent = "Leave presentation (Esc)";
    try {
      if (!document.fullscreenElement && root.requestFullscreen) {
        await root.requestFullscreen({ navigationUI: "hide" });
        fullscreen = true;
      }
    } catch {
      fullscreen = false; // not allowed here (an iframe, a test): the page still fills the window
    }
  }

  function leave() {
    delete root.dataset.present;
    el.button.setAttribute("aria-pressed", "false");
    el.button.textContent = "Present";
    if (fullscreen && document.fullscreenElement) document.exitFullscreen().catch(() => {});
    fullscreen = false;
  }

  const toggle = () => (root.dataset.present ? leave() : enter());
  el.button.addEventListener("click", toggle);
  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
    if (event.target.closest?.("input, select, textarea, [contenteditable]")) return; // typing, not a command
    if (event.key === "p" || event.key === "P") {
      event.preventDefault();
      toggle();
    } else if (event.key === "Escape" && root.dataset.present) {
      leave();
    }
  });
  document.addEventListener("fullscreenchange", () => {
    if (!document.fullscreenElement && fullscreen && root.dataset.present) leave(); // Esc in full screen
  });
}
