// One model's drawing pad: the sketch (sketch.js) is sent to /encode (with the label a CVAE
// conditions on), and the mean of q(z|x) decoded beside it as the reconstruction. A drawing made
// while the server is unreachable is said to wait, and is encoded when the server answers again.
import { apiUrl, postJSON } from "./api.js";
import { isNetworkError, whenReachable } from "./connection.js";
import { framing } from "./datasets.js";
import { decodedDigit } from "./decodemode.js";
import { elements } from "./dom.js";
import { formatZ, shownZ } from "./latent.js";
import { sketchPad } from "./sketch.js";
import { reportError } from "./status.js";

// The VAE panel's pad; another panel names its own elements the same way.
export const VAE_PAD = { canvas: "draw", input: "draw-input", recon: "draw-recon", info: "draw-info", clear: "draw-clear" };

/**
 * q(z|x) of `pixels` under `model` (and `label`, for a CVAE): { mu, sigma }. While the server is
 * unreachable, `waiting()` is called once and the request is sent again when it answers.
 */
export async function encodeWhenReachable(model, pixels, label, waiting = () => {}) {
  for (;;) {
    try {
      return await postJSON(apiUrl(model.id, "encode"), label === null || label === undefined ? { pixels } : { pixels, label });
    } catch (error) {
      if (!isNetworkError(error)) throw error;
      waiting();
      await whenReachable();
    }
  }
}

/**
 * A pad on the elements `ids` names (VAE_PAD's keys). `decoding`: the panel's decode control (the
 * reconstruction is decoded where the panel's digits are). Set `pad.model` (and `pad.label` for a
 * CVAE) before a stroke ends. Returns the pad: { model, label, clear }.
 */
export function drawingPad(ids, { decoding, onEncoded, onClear }) {
  const el = elements(ids);
  const recon = decodedDigit(el.recon, decoding, { name: "Reconstruction of your drawing" });
  const hint = el.info.textContent;
  const pad = { model: null, label: null, clear: () => sketch.clear() };
  const sketch = sketchPad(ids, {
    onDrawn: (pixelsFor, which) => encode(pixelsFor, which).catch(reportError),
    onClear() {
      el.recon.getContext("2d").clearRect(0, 0, 28, 28);
      el.info.textContent = hint; // the last drawing's q(z|x) is gone with it
      onClear();
    },
  });

  async function encode(pixelsFor, which) {
    const [model, label] = [pad.model, pad.label];
    const pixels = pixelsFor(framing(model));
    if (!pixels) return;
    sketch.preview(pixels);
    const { mu, sigma } = await encodeWhenReachable(model, pixels, label, () => {
      el.info.textContent = "The server is unreachable: this drawing is encoded as soon as it answers (waiting for the server).";
    });
    if (which !== sketch.which() || model !== pad.model) return; // cleared, redrawn or another model meanwhile
    el.info.textContent = `q(z|x): μ = ${shownZ(mu)}, σ = ${shownZ(sigma)}`;
    const query = label === null ? { z: formatZ(mu) } : { z: formatZ(mu), label };
    recon.show(model, query, `z = ${shownZ(mu)}`);
    onEncoded(mu, sigma);
  }

  return pad;
}
