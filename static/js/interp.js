// Interpolation between two pinned latent points (or drawings, whose mean becomes the current z).
import { elements } from "./dom.js";
import { shownZ } from "./latent.js";

// The VAE panel's controls; another panel names its own the same way.
export const VAE_INTERP = { slider: "interp-t", info: "interp-info", pinA: "interp-a", pinB: "interp-b" };

/** Returns { reset, ends() → [A, B] } (each a z, or null until pinned). */
export function interpolation(ids, { getZ, setZ, onEnds }) {
  const el = elements(ids);
  const hint = el.info.textContent; // said until a first point is pinned
  let ends = [null, null];

  function update() {
    const [a, b] = ends;
    el.slider.disabled = !(a && b);
    onEnds(a, b);
    const fmt = (p) => (p ? shownZ(p) : "—");
    el.info.textContent = a || b ? `A = ${fmt(a)}, B = ${fmt(b)}${a && b ? "; scrub the slider (or use arrow keys)." : ""}` : hint;
  }

  function pin(i) {
    ends[i] = getZ().slice();
    el.slider.value = i;
    update();
  }

  el.pinA.addEventListener("click", () => pin(0));
  el.pinB.addEventListener("click", () => pin(1));
  el.slider.addEventListener("input", () => {
    const [a, b] = ends;
    if (!(a && b)) return;
    const t = +el.slider.value;
    setZ(a.map((v, i) => v + (b[i] - v) * t));
  });

  return {
    reset() {
      ends = [null, null];
      el.slider.value = 0;
      update();
    },
    ends: () => ends.slice(),
  };
}
