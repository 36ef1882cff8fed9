// A slider and an editable number box per latent dimension, kept in step with each other.

const SUBSCRIPTS = "₀₁₂₃₄₅₆₇₈₉";
const sub = (i) => String(i).split("").map((d) => SUBSCRIPTS[+d]).join("");

/**
 * Build `n` rows of [label, range, number] in `container`. `onInput(z, i)` fires on every change
 * a person makes (not on `set`). Returns { get(), set(z), element(i) }.
 */
export function latentSliders(container, n, { min = -3, max = 3, step = 0.01, name = "z", onInput }) {
  container.replaceChildren();
  const ranges = [];
  const boxes = [];
  const z = new Array(n).fill(0);
  for (let i = 0; i < n; i++) {
    const id = `${container.id}-${i}`;
    const label = Object.assign(document.createElement("label"), { htmlFor: id, textContent: `${name}${sub(i + 1)}` });
    const range = Object.assign(document.createElement("input"), {
      type: "range", id, min, max, step, value: 0,
    });
    range.setAttribute("aria-label", `${name} ${i + 1}`);
    const box = Object.assign(document.createElement("input"), {
      type: "number", min: -10, max: 10, step, value: "0.00",
    });
    box.setAttribute("aria-label", `${name} ${i + 1} value`);
    range.addEventListener("input", () => {
      z[i] = +range.value;
      box.value = z[i].toFixed(2);
      onInput(z.slice(), i);
    });
    box.addEventListener("change", () => {
      const v = Math.max(-10, Math.min(10, Number(box.value)));
      if (!Number.isFinite(v)) { box.value = z[i].toFixed(2); return; }
      z[i] = v;
      range.value = v;
      box.value = v.toFixed(2);
      onInput(z.slice(), i);
    });
    ranges.push(range);
    boxes.push(box);
    container.append(label, range, box);
  }
  return {
    get: () => z.slice(),
    set(values) {
      values.forEach((v, i) => {
        z[i] = v;
        ranges[i].value = v;
        if (document.activeElement !== boxes[i]) boxes[i].value = v.toFixed(2);
      });
    },
    element: (i) => ranges[i],
  };
}
