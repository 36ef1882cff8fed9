// Interpolation between two pinned latent points (or drawings, whose mean becomes the current z).
import { elements } from "./dom.js";

export function interpolation({ getZ, setZ, onEnds }) {
  const el = elements({ slider: "interp-t", info: "interp-info", pinA: "interp-a", pinB: "interp-b" });
  let ends = [null, null];

  function update() {
    const [a, b] = ends;
    el.slider.disabled = !(a && b);
    onEnds(a, b);
    const fmt = (p) => (p ? `(${p.map((v) => v.toFixed(2)).join(", ")})` : "—");
    el.info.textContent = `A = ${fmt(a)}, B = ${fmt(b)}${a && b ? "; scrub the slider (or use arrow keys)." : ""}`;
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
  };
}
