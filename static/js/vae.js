// VAE explorer: one slider per latent dimension, the decoded digit, dream mode, a shareable URL,
// and for 2-D models the latent map with drawing and interpolation.
import { byDataset, fillModelPicker, sayNouns } from "./datasets.js";
import { decodeControl, decodedDigit, firstDrawn, wantedMode } from "./decodemode.js";
import { elements } from "./dom.js";
import { formatZ, randn, roundZ, shownZ } from "./latent.js";
import { keepInUrl, linkedModel, sayLinkNotes, shareOnClick } from "./urlstate.js";
import { latentSliders } from "./sliders.js";
import { latentMap } from "./latentmap.js";
import { VAE_PAD, drawingPad } from "./draw.js";
import { VAE_INTERP, interpolation } from "./interp.js";
import { traversalStrips } from "./strips.js";
import { exportAnimation, exportPng, walk } from "./export.js";
import { notify } from "./status.js";

export const matches = (model) => model.kind === "vae";
export const none = "No VAE checkpoint is being served.";

export function start({ models, params }) {
  const el = elements({
    panel: "panel-vae", select: "vae-model", reset: "vae-reset", random: "vae-random", dream: "vae-dream",
    share: "vae-share", decode: "vae-decode", digit: "vae-digit", caption: "vae-caption", sliders: "vae-sliders",
    mapSection: "map-section", strips: "vae-strips", exportSize: "vae-export-size", exportDigit: "vae-export-digit",
    exportMap: "vae-export-map", exportStrips: "vae-export-strips", exportDream: "vae-export-dream", exportInterp: "vae-export-interp",
  });
  const vaes = byDataset(models);
  fillModelPicker(el.select, vaes);
  const decoding = decodeControl(el.decode, { name: "vae", onChange: () => { if (model) { showDigit(); strips.refresh(); } } });
  const digit = decodedDigit(el.digit, decoding, { timed: true });
  const firstPaint = firstDrawn(digit.canvas); // the decoder downloads after it, never before
  const linkState = () => ({ model: model.id, z: formatZ(z).join(","), decode: wantedMode() });
  const url = keepInUrl(linkState);
  let model = null;
  let sliders = null;
  let map = null;
  let z = [];
  let panelShown = true;
  const strips = traversalStrips(el.strips, {
    control: decoding,
    onPick: (i, v) => { stopDream(); setZ(z.map((w, j) => (j === i ? v : w))); },
  });

  /** Every change of z goes through here: digit, sliders, map marker, and the URL. */
  function setZ(next, { from = null } = {}) {
    // z holds exactly what a link can carry (formatZ's 3 decimals): rounding twice, once for the
    // link and again for the 2-decimal boxes, showed -0.8949 as -0.89 here and as -0.90 from the link.
    z = roundZ(next);
    if (from !== "sliders") sliders.set(z);
    performance.mark("z-input");
    showDigit(); // the digit first: in page mode it is drawn before the map's redraw starts
    map?.setZ(z);
    strips.show(model, z);
    el.caption.textContent = `z = ${shownZ(z)}`;
    url.changed();
  }

  function showDigit() {
    digit.show(model, { z: formatZ(z) }, `${model.id}, z = ${shownZ(z)}`);
  }

  function useModel(next, initialZ = null) {
    model = next;
    el.select.value = model.id;
    sayNouns(el.panel, model);
    const n = model.latent_dim;
    sliders = latentSliders(el.sliders, n, { onInput: (values) => { stopDream(); setZ(values, { from: "sliders" }); } });
    map?.destroy(); // its handlers would otherwise stay on the canvas beside the new map's
    map = null;
    el.mapSection.hidden = n !== 2;
    el.exportMap.hidden = n !== 2;
    if (n === 2) {
      map = latentMap(model, {
        onPoint: (point) => setZ(point, { from: "map" }),
        onPick: () => stopDream(),
      });
    }
    pad.model = model;
    pad.clear(); // a drawing encoded by the last model says nothing about this one
    interp.reset();
    setZ(initialZ || new Array(n).fill(0));
    decoding.setModel(model, firstPaint);
  }

  // Dream: glide between random points of the prior with a smooth (cosine) ease, like Kingma's
  // "Digit Fantasies". Each frame asks for one image; the loader drops frames the server can't keep up with.
  // It pauses while its panel or the browser tab is hidden (no decodes nobody sees) and resumes where it was.
  let dream = null;
  const visible = () => panelShown && !document.hidden;
  function dreamFrame(now) {
    if (!dream) return;
    if (!visible()) {
      pauseDream();
      return;
    }
    const t = Math.min(1, (now - dream.t0) / dream.duration);
    const w = (1 - Math.cos(Math.PI * t)) / 2;
    setZ(dream.from.map((a, i) => a + (dream.to[i] - a) * w));
    if (t >= 1) Object.assign(dream, { from: dream.to, to: z.map(() => randn()), t0: now });
    dream.frame = requestAnimationFrame(dreamFrame);
  }
  function startDream() {
    dream = { from: z.slice(), to: z.map(() => randn()), t0: performance.now(), duration: 1600 };
    dream.frame = requestAnimationFrame(dreamFrame);
  }
  function stopDream() {
    if (!dream) return;
    cancelAnimationFrame(dream.frame);
    dream = null;
    el.dream.checked = false;
  }
  function pauseDream() {
    if (!dream || dream.frame === null) return;
    cancelAnimationFrame(dream.frame);
    Object.assign(dream, { frame: null, pausedAt: performance.now() });
  }
  function resumeDream() {
    if (!dream || dream.frame !== null || !visible()) return;
    dream.t0 += performance.now() - dream.pausedAt;
    dream.frame = requestAnimationFrame(dreamFrame);
  }
  document.addEventListener("visibilitychange", () => (document.hidden ? pauseDream() : resumeDream()));

  const pad = drawingPad(VAE_PAD, {
    decoding,
    onEncoded: (mu, sigma) => { stopDream(); map?.showEncoding(mu, sigma); setZ(mu); },
    onClear: () => map?.showEncoding(null),
  });
  const interp = interpolation(VAE_INTERP, {
    getZ: () => z,
    setZ: (p) => { stopDream(); setZ(p); },
    onEnds: (a, b) => {
      map?.setEnds(a, b);
      el.exportInterp.disabled = !(a && b);
    },
  });

  el.select.addEventListener("change", () => { stopDream(); useModel(vaes.find((m) => m.id === el.select.value)); });
  el.reset.addEventListener("click", () => { stopDream(); setZ(z.map(() => 0)); });
  el.random.addEventListener("click", () => { stopDream(); setZ(z.map(() => randn())); });
  el.dream.addEventListener("change", (e) => (e.target.checked ? startDream() : stopDream()));
  shareOnClick(el.share, () => ({ panel: "vae", ...linkState() }));

  // Export: PNGs of what is shown, captioned; animations decoded in the page, frame by frame.
  const title = () => `${model.id} — ${model.title}`;
  el.exportDigit.addEventListener("click", () => exportPng(el.digit, {
    width: +el.exportSize.value, pixelated: true, name: `${model.id}-digit.png`, lines: [title(), `z = ${shownZ(z)}`],
  }));
  el.exportMap.addEventListener("click", () => map && exportPng(map.canvas, {
    name: `${model.id}-latent-map.png`, lines: [`${title()}: latent map`, `z = ${shownZ(z)} (crosshair); dots: held-out encodings`],
  }));
  el.exportStrips.addEventListener("click", () => exportPng(strips.picture(), {
    name: `${model.id}-strips.png`, lines: [`${title()}: each dimension from −3 to 3`, `around z = ${shownZ(z)}`],
  }));
  function animate(what, points) {
    const decoder = decoding.decoderFor(model);
    if (!decoder) {
      notify("Animations are decoded in this page: choose “Decode: in this page” and wait for its decoder.");
      return null;
    }
    const frames = points.map((p) => ({ z: roundZ(p), y: new Float32Array(0), lines: [`${model.id}: ${what}`, `z = ${shownZ(roundZ(p))}`] }));
    return exportAnimation(decoder, frames, { name: `${model.id}-${what.replaceAll(" ", "-")}.png`, title: `${title()}: ${what}` });
  }
  el.exportDream.addEventListener("click", () => {
    const stops = [z.slice(), ...Array.from({ length: 3 }, () => z.map(() => randn())), z.slice()];
    animate("dream walk", walk(stops, 24));
  });
  el.exportInterp.addEventListener("click", () => {
    const [a, b] = interp.ends();
    if (a && b) animate("interpolation A to B", walk([a, b, a], 30));
  });

  // The default is the first 2-D model: the one with the map.
  const linked = linkedModel(params, vaes, { kind: "VAE", fallback: vaes.find((m) => m.latent_dim === 2) || vaes[0] });
  sayLinkNotes(linked.notes);
  useModel(linked.model, linked.z);
  return {
    shown() {
      panelShown = true;
      url.shown();
      resumeDream();
    },
    hidden() {
      panelShown = false;
      url.hidden();
      pauseDream();
    },
  };
}
