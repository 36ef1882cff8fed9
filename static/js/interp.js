// Interpolation between two pinned latent points (or drawings, whose mean becomes the current z).
import { $ } from "./dom.js";

export function interpolation({ getZ, setZ, onEnds }) {
  const slider = $("interp-t");
  const info = $("interp-info");
  let ends = [null, null];

  function update() {
    const [a, b] = ends;
    slider.disabled = !(a && b);
    onEnds(a, b);
    const fmt = (p) => (p ? `(${p.map((v) => v.toFixed(2)).join(", ")})` : "—");
    info.textContent = `A = ${fmt(a)}, B = ${fmt(b)}${a && b ? "; scrub the slider (or use arrow keys)." : ""}`;
  }

  function pin(i) {
    ends[i] = getZ().slice();
    slider.value = i;
    update();
  }

  $("interp-a").addEventListener("click", () => pin(0));
  $("interp-b").addEventListener("click", () => pin(1));
  slider.addEventListener("input", () => {
    const [a, b] = ends;
    if (!(a && b)) return;
    const t = +slider.value;
    setZ(a.map((v, i) => v + (b[i] - v) * t));
  });

  return {
    reset() {
      ends = [null, null];
      slider.value = 0;
      update();
    },
  };
}
