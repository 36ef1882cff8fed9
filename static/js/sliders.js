// A slider and an editable number box per latent dimension, kept in step with each other.
import { fixed2, subscript as sub } from "./latent.js";
import { dismiss, notify } from "./status.js";

const LIMIT = 10; // the API's bound on |z_i|

/**
 * What a person typed in a number box, or null. A decimal comma counts as a point ("1,5" is 1.5);
 * anything else that is not a plain number (empty, "-", "abc", 400 nines, "1e9") is refused.
 */
function parseBox(text) {
  const plain = text.trim().replace(",", ".");
  if (!/^[-+−]?(\d+\.?\d*|\.\d+)$/.test(plain)) return null;
  const value = Number(plain.replace("−", "-"));
  return Number.isFinite(value) && Math.abs(value) <= LIMIT ? value : null;
}

/**
 * Build `n` rows of [label, range, number box] in `container`. `onInput(z, i)` fires on every change
 * a person makes (not on `set`). Returns { set(z) }.
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
    // Text, not type=number: a number input reports "" for anything it cannot read, which cannot
    // be told from an empty box, and silently rewrites some entries. We parse and say no ourselves.
    const box = Object.assign(document.createElement("input"), {
      type: "text", inputMode: "decimal", className: "z-value", value: fixed2(0), autocomplete: "off",
      title: `A number from −${LIMIT} to ${LIMIT}`,
    });
    box.setAttribute("aria-label", `${name} ${i + 1} value`);
    let refusal = null; // what the alert line said about this box, taken back by the next valid value
    const accepted = () => {
      box.removeAttribute("aria-invalid");
      if (refusal) dismiss(refusal);
      refusal = null;
    };
    range.addEventListener("input", () => {
      z[i] = +range.value;
      box.value = fixed2(z[i]);
      accepted();
      onInput(z.slice(), i);
    });
    const commit = (value) => {
      z[i] = Math.round(value * 1000) / 1000;
      range.value = z[i];
      box.value = fixed2(z[i]);
      accepted();
      onInput(z.slice(), i);
    };
    box.addEventListener("input", () => { box.dataset.editing = "1"; box.removeAttribute("aria-invalid"); });
    box.addEventListener("change", () => {
      delete box.dataset.editing;
      const value = parseBox(box.value);
      if (value === null) {
        // Refused: the old value comes back, the box is marked, and the alert line says why in words.
        const typed = box.value.trim();
        box.value = fixed2(z[i]);
        box.setAttribute("aria-invalid", "true");
        const what = typed ? `“${typed.length > 24 ? `${typed.slice(0, 24)}…` : typed}” is` : "An empty box is";
        refusal = `${name}${sub(i + 1)}: ${what} not a number from −${LIMIT} to ${LIMIT}; it stays ${box.value}.`;
        notify(refusal);
        return;
      }
      commit(value);
    });
    box.addEventListener("keydown", (event) => {
      if (event.key === "Escape") {
        delete box.dataset.editing;
        box.value = fixed2(z[i]);
        return;
      }
      const delta = { ArrowUp: 1, ArrowDown: -1 }[event.key];
      if (!delta) return;
      event.preventDefault();
      delete box.dataset.editing;
      commit(Math.max(-LIMIT, Math.min(LIMIT, z[i] + delta * (event.shiftKey ? 10 * step : step))));
    });
    box.addEventListener("blur", () => {
      if (box.dataset.editing) box.dispatchEvent(new Event("change"));
    });
    ranges.push(range);
    boxes.push(box);
    container.append(label, range, box);
  }
  return {
    set(values) {
      values.forEach((v, i) => {
        z[i] = v;
        ranges[i].value = v;
        // A box someone is typing in keeps their text; a merely focused one follows the map.
        if (!boxes[i].dataset.editing) boxes[i].value = fixed2(v);
      });
    },
  };
}
