// VAE explorer: one slider per latent dimension, the decoded digit, dream mode, a shareable URL,
// and for 2-D models the latent map with drawing and interpolation.
import { byDataset, fillModelPicker, sayNouns } from "./datasets.js";
import { decodeControl, decodedDigit, firstDrawn, wantedMode } from "./decodemode.js";
import { $ } from "./dom.js";
import { formatZ, parseZ, randn } from "./latent.js";
import { notify } from "./status.js";
import { pageUrl } from "./urlstate.js";
import { latentSliders } from "./sliders.js";
import { latentMap } from "./latentmap.js";
import { drawingPad } from "./draw.js";
import { interpolation } from "./interp.js";

export function start({ models, params, writeParams }) {
  const vaes = byDataset(models.filter((m) => m.kind === "vae"));
  const select = $("vae-model");
  fillModelPicker(select, vaes);
  const decoding = decodeControl($("vae-decode"), { name: "vae", onChange: () => model && showDigit() });
  const digit = decodedDigit($("vae-digit"), decoding, { timed: true });
  const firstPaint = firstDrawn(digit.canvas); // the decoder downloads after it, never before
  let model = null;
  let sliders = null;
  let map = null;
  let z = [];
  let urlTimer = null;
  let panelShown = true;

  /** Every change of z goes through here: digit, sliders, map marker, and (throttled) the URL. */
  function setZ(next, { from = null } = {}) {
    // z holds exactly what a link can carry (formatZ's 3 decimals): rounding twice, once for the
    // link and again for the 2-decimal boxes, showed -0.8949 as -0.89 here and as -0.90 from the link.
    z = formatZ(next.map((v) => Math.max(-10, Math.min(10, v)))).map(Number);
    if (from !== "sliders") sliders.set(z);
    performance.mark("z-input");
    showDigit(); // the digit first: in page mode it is drawn before the map's redraw starts
    map?.setZ(z);
    $("vae-caption").textContent = shownZ();
    // Throttled, not debounced: a steady stream of changes (a drag, dream) still reaches the address bar.
    urlTimer ??= setTimeout(() => {
      urlTimer = null;
      if (panelShown) writeParams({ model: model.id, z: formatZ(z).join(",") });
    }, 250);
  }

  const shownZ = () => `z = (${z.map((v) => v.toFixed(2)).join(", ")})`;
  function showDigit() {
    digit.show(model, { z: formatZ(z) }, `${model.id}, ${shownZ()}`);
  }

  function useModel(id, initialZ = null) {
    model = vaes.find((m) => m.id === id) || vaes[0];
    select.value = model.id;
    sayNouns($("panel-vae"), model);
    const n = model.latent_dim;
    sliders = latentSliders($("vae-sliders"), n, { onInput: (values) => { stopDream(); setZ(values, { from: "sliders" }); } });
    map?.destroy(); // its handlers would otherwise stay on the canvas beside the new map's
    map = null;
    $("map-section").hidden = n !== 2;
    if (n === 2) {
      map = latentMap($("map"), model, {
        onPoint: (point) => setZ(point, { from: "map" }),
        onPick: () => stopDream(),
      });
      pad.model = model;
      pad.clear(); // a drawing encoded by the last model says nothing about this one
      interp.reset();
    }
    setZ(initialZ && initialZ.length === n ? initialZ : new Array(n).fill(0));
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
    $("vae-dream").checked = false;
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

  const pad = drawingPad($("draw"), $("draw-input"), $("draw-recon"), $("draw-info"), {
    onEncoded: (mu, sigma) => { stopDream(); map?.showEncoding(mu, sigma); setZ(mu); },
    onClear: () => map?.showEncoding(null),
  });
  const interp = interpolation({ getZ: () => z, setZ: (p) => { stopDream(); setZ(p); }, onEnds: (a, b) => map?.setEnds(a, b) });

  select.addEventListener("change", () => { stopDream(); useModel(select.value); });
  $("vae-reset").addEventListener("click", () => { stopDream(); setZ(z.map(() => 0)); });
  $("vae-random").addEventListener("click", () => { stopDream(); setZ(z.map(() => randn())); });
  $("vae-dream").addEventListener("change", (e) => (e.target.checked ? startDream() : stopDream()));
  $("draw-clear").addEventListener("click", () => pad.clear());
  $("vae-share").addEventListener("click", async (event) => {
    event.preventDefault();
    const link = pageUrl({ panel: "vae", model: model.id, z: formatZ(z).join(","), decode: wantedMode() });
    history.replaceState(null, "", link);
    try {
      await navigator.clipboard.writeText(link);
      $("vae-share").textContent = "Link copied";
    } catch {
      $("vae-share").textContent = "Link in the address bar";
    }
    setTimeout(() => { $("vae-share").textContent = "Share link"; }, 2000);
  });

  useModel(...fromLink(params));
  return {
    shown() {
      panelShown = true;
      writeParams({ model: model.id, z: formatZ(z).join(",") });
      resumeDream();
    },
    hidden() {
      panelShown = false;
      pauseDream();
    },
  };

  /** The model and z a share link asks for; what it gets wrong is said, not silently replaced. */
  function fromLink({ model: id, z: text }) {
    const fallback = (vaes.find((m) => m.latent_dim === 2) || vaes[0]).id;
    const wanted = vaes.find((m) => m.id === id);
    const notes = [];
    if (id && !wanted) notes.push(`This link names no VAE called “${id.slice(0, 80)}”: showing ${fallback}.`);
    const n = (wanted || vaes.find((m) => m.id === fallback)).latent_dim;
    const values = text ? parseZ(text) : null;
    if (text && (!values || values.length !== n)) {
      notes.push(`This link's z (“${text.slice(0, 80)}”) is not ${n} numbers: showing z = 0.`);
    }
    if (notes.length) notify(notes.join(" "), 12000);
    return [wanted ? wanted.id : fallback, values];
  }
}
