// Getting a model's decoder into the page, and deciding whether to trust it: the weights come from
// GET /api/models/{id}/decoder (cached immutable under their version), then a few probe points are
// decoded both here and by the server, and the page's decoder is used only if every pixel of every
// probe is within ±1 grey level of the server's PNG. The server stays the source of truth. An outage
// is no verdict on the decoder: the download waits for the server and is tried again.
import { apiUrl } from "./api.js";
import { ServerUnreachable, isNetworkError, serverUnreachable, whenReachable } from "./connection.js";
import { PageDecoder, parseSafetensors } from "./decoder.js";
import { formatZ } from "./latent.js";

const TOLERANCE = 1; // grey levels: float32 sums in another order may land across a rounding edge

const loads = new Map(); // model id → Promise of the outcome below (one download per model and page)

/**
 * The model's decoder, checked: resolves { decoder, bytes, ms, maxDiff } when it agrees with the
 * server, or { decoder: null, reason } when it cannot be used (it never rejects). While the server
 * is unreachable it stays pending, and tries again once the server answers.
 */
export function loadPageDecoder(model) {
  if (!loads.has(model.id)) {
    const attempt = () => fetchAndCheck(model).catch(async (error) => {
      if (isNetworkError(error)) {
        await whenReachable();
        return attempt();
      }
      loads.delete(model.id); // asked again (another model, then back), it is tried again
      return { decoder: null, reason: error.message };
    });
    loads.set(model.id, attempt());
  }
  return loads.get(model.id);
}

/** fetch, with a failure to reach the server said as such (the page's "unreachable" state). */
async function reach(url) {
  try {
    return await fetch(url);
  } catch (error) {
    serverUnreachable();
    throw new ServerUnreachable(url, error);
  }
}

async function fetchAndCheck(model) {
  if (!model.decoder) throw new Error("the server publishes no decoder for this model");
  const started = performance.now();
  const response = await reach(apiUrl(model.id, "decoder", { version: model.decoder.version }));
  if (!response.ok) throw new Error(`its weights did not download (HTTP ${response.status})`);
  const buffer = await response.arrayBuffer();
  const ms = performance.now() - started;
  let decoder;
  try {
    decoder = new PageDecoder(model.decoder, parseSafetensors(buffer), model.labels || []);
  } catch (error) {
    throw new Error(`its weights could not be read (${error.message})`);
  }
  const maxDiff = await probeDifference(model, decoder);
  if (!(maxDiff <= TOLERANCE)) {
    throw new Error(`it differs from the server by ${maxDiff} grey levels at a probe point (±${TOLERANCE} allowed)`);
  }
  return { decoder, bytes: buffer.byteLength, ms, maxDiff };
}

/** A decode query as the panels send one (z rounded as in every URL). */
function decodeQuery(z, { label = null, to_label = null, morph = 0 } = {}) {
  const params = { z: formatZ(z) };
  if (label !== null) params.label = label;
  if (to_label !== null) Object.assign(params, { to_label, morph });
  return params;
}

/** A few spread-out latent points (and for a CVAE several labels and a morph), the same on every load. */
function probePoints(model) {
  const labels = model.labels || [];
  return [0, 1, 2, 3].map((k) => {
    const z = Array.from({ length: model.latent_dim }, (_, i) => (k ? (((k * 7 + i * 3) % 11) - 5) * 0.37 : 0));
    if (!labels.length) return decodeQuery(z);
    const label = labels[(3 * k + 1) % labels.length];
    return k === 3 ? decodeQuery(z, { label, to_label: labels[(k + 4) % labels.length], morph: 0.35 })
      : decodeQuery(z, { label });
  });
}

/** The largest |page − server| grey level over every pixel of every probe point. */
async function probeDifference(model, decoder) {
  let worst = 0;
  for (const params of probePoints(model)) {
    const server = await serverGrey(apiUrl(model.id, "decode", params));
    const page = decoder.greyOf(params);
    if (server.length !== page.length) return Infinity;
    for (let i = 0; i < page.length; i++) worst = Math.max(worst, Math.abs(page[i] - server[i]));
  }
  return worst;
}

/** The grey levels of the server's PNG, read back without colour management (R of R = G = B). */
async function serverGrey(url) {
  const response = await reach(url);
  if (!response.ok) throw new Error(`a probe decode failed (HTTP ${response.status})`);
  const bitmap = await createImageBitmap(await response.blob(), { colorSpaceConversion: "none", premultiplyAlpha: "none" });
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const ctx = canvas.getContext("2d", { willReadFrequently: true });
  ctx.drawImage(bitmap, 0, 0);
  bitmap.close();
  const rgba = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
  return Uint8Array.from({ length: rgba.length / 4 }, (_, i) => rgba[4 * i]);
}
