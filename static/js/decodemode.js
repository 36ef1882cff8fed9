// Where the VAE/CVAE panels decode: "in this page" (static/js/decoder.js, no request per slider
// step) or "on the server" (a PNG per step). One choice for the whole page, kept in the address bar
// as ?decode=page|server; the page's decoder is used only once pagedecode.js has checked it.
import { apiUrl } from "./api.js";
import { digitView } from "./digit.js";
import { later } from "./lazyview.js";
import { loadPageDecoder } from "./pagedecode.js";
import { LINK, writeParams } from "./urlstate.js";

const MODES = ["page", "server"];
let wanted = MODES.includes(LINK.decode) ? LINK.decode : "page";
const controls = new Set();

/** The mode the page asks for (the share link's `decode`), whether or not a decoder is ready. */
export const wantedMode = () => wanted;

function setWanted(mode) {
  wanted = mode;
  writeParams({ decode: mode });
  for (const control of controls) control.refresh();
}

/**
 * The mode picker, its status line and the last slider-to-pixels time, built inside `container`.
 * `onChange()` fires when the mode in effect changes (so the panel redraws its digits).
 */
export function decodeControl(container, { name, onChange }) {
  container.replaceChildren();
  container.classList.add("decode-mode");
  container.setAttribute("role", "group");
  container.setAttribute("aria-label", "Where digits are decoded");
  const radios = MODES.map((mode) => {
    const input = Object.assign(document.createElement("input"), { type: "radio", name: `${name}-decode`, value: mode });
    input.addEventListener("change", () => input.checked && setWanted(mode));
    const label = document.createElement("label");
    label.append(input, mode === "page" ? " in this page" : " on the server");
    return { mode, input, label };
  });
  const time = Object.assign(document.createElement("output"), { title: "Last slider-to-pixels time" });
  const note = Object.assign(document.createElement("span"), { className: "hint" });
  note.setAttribute("role", "status");
  // The decoder's download and check, for whoever asks: behind a disclosure once all went well.
  const detail = Object.assign(document.createElement("details"), { className: "decoder-detail", hidden: true });
  const detailText = Object.assign(document.createElement("span"), { className: "hint" });
  detail.append(Object.assign(document.createElement("summary"), { textContent: "about the decoder", title: "Where the page's decoder came from and how it was checked" }), detailText);
  // The time, the note and the detail share one line of fixed width, so the toolbar keeps its
  // height as the decoder loads: a line that shrank mid-drag would move the map under the finger.
  const status = Object.assign(document.createElement("span"), { className: "decode-status" });
  status.append(time, note, detail);
  container.append("Decode:", ...radios.map((r) => r.label), status);

  let model = null;
  let outcome = null; // what loadPageDecoder said for `model`; null until it has answered
  let requested = false; // whether `model`'s decoder was asked for (only ever in page mode)
  let firstPaint = Promise.resolve();
  let inEffect = "server"; // every panel starts on the server: its first paint waits for no download

  function load() {
    requested = true;
    const forModel = model;
    firstPaint.then(() => loadPageDecoder(forModel)).then((result) => {
      if (model !== forModel) return;
      outcome = result;
      control.refresh();
    });
  }

  const control = {
    /** The checked page decoder to use now for `forModel`, or null: decode on the server. */
    decoderFor(forModel) {
      return wanted === "page" && outcome?.decoder && forModel?.id === model?.id ? outcome.decoder : null;
    },
    /**
     * Decode `next` from now on. In page mode its decoder is fetched once `after` (the panel's first
     * paint) has resolved; on the server nothing is downloaded until a person picks the page.
     */
    setModel(next, after = Promise.resolve()) {
      model = next;
      outcome = null;
      requested = false;
      firstPaint = after;
      control.refresh();
    },
    /** A digit reached the screen `ms` after its input, decoded `by` "page" or "server". */
    report(ms, by) {
      time.value = `${ms < 10 ? ms.toFixed(2) : ms.toFixed(0)} ms ${by === "page" ? "in the page" : "via the server"}`;
    },
    refresh() {
      if (wanted === "page" && model && !requested) load();
      const unusable = Boolean(outcome && !outcome.decoder);
      for (const r of radios) r.input.checked = r.mode === (unusable ? "server" : wanted);
      radios[0].input.disabled = unusable;
      const mode = control.decoderFor(model) ? "page" : "server";
      container.dataset.mode = mode;
      container.dataset.state = outcome ? (outcome.decoder ? "ready" : "failed") : requested ? "loading" : "not loaded";
      const said = describe(outcome, model);
      const fine = Boolean(outcome?.decoder);
      note.textContent = fine ? "" : said; // loading and failures are said; success is a detail
      note.title = note.textContent; // the whole of it where a narrow line cuts it short
      detailText.textContent = fine ? said : "";
      detail.hidden = !fine;
      if (mode !== inEffect) {
        inEffect = mode;
        onChange?.();
      }
    },
  };
  controls.add(control);
  return control;
}

function describe(outcome, model) {
  if (!model) return "";
  if (!outcome) return wanted === "page" ? `loading decoder (${megabytes(model.decoder?.bytes)})…` : "";
  if (!outcome.decoder) return `Decoding on the server: the page's decoder is off because ${outcome.reason}.`;
  return `The decoder's weights (${megabytes(outcome.bytes)}) downloaded in ${outcome.ms.toFixed(0)} ms; at four probe points its ` +
    `pixels agree with the server's within ${outcome.maxDiff} grey level${outcome.maxDiff === 1 ? "" : "s"}, so sliders now decode here, with no request.`;
}

const megabytes = (bytes) => (bytes ? `${(bytes / 1e6).toFixed(1)} MB` : "size unknown");

/** Resolves when the canvas first shows a digit (or after `ms`, so a failed first image blocks nothing). */
export function firstDrawn(canvas, ms = 3000) {
  return new Promise((resolve) => {
    canvas.addEventListener("drawn", resolve, { once: true });
    setTimeout(resolve, ms);
  });
}

/**
 * A 28×28 digit canvas (digit.js) that decodes in the page when `control` has a checked decoder for
 * the model, else shows the server's PNG (latest value wins). Either way the canvas gets data-src
 * (the decode URL of what it shows), data-decoded-by and its accessible name, and fires "drawn".
 * `timed`: report slider-to-pixels to the control. `deferred`: for the many small views that follow
 * one input: in page mode, paint at the next animation frame; on the server, ask only once the view
 * is on screen and the input has paused (lazyview.js). `name`: as digitView's.
 */
export function decodedDigit(canvas, control, { timed = false, deferred = false, name = null } = {}) {
  const view = digitView(canvas, { name });
  const image = new ImageData(28, 28);
  let current = null; // { key, since }: the value last asked for

  canvas.addEventListener("drawn", (event) => {
    if (timed && current?.key === event.detail.url) control.report(performance.now() - current.since, event.detail.by);
  });

  function paint(decoder, params, key, description) {
    const grey = decoder.greyOf(params);
    const rgba = image.data;
    for (let i = 0; i < grey.length; i++) {
      const j = 4 * i;
      rgba[j] = rgba[j + 1] = rgba[j + 2] = grey[i];
      rgba[j + 3] = 255;
    }
    view.paint(key, (ctx) => ctx.putImageData(image, 0, 0), description);
  }

  return {
    canvas,
    /**
     * Show the decode of `params` (as GET …/decode takes them: z as strings, label, to_label, morph);
     * `description` becomes part of the canvas's accessible name, as with digitView.
     */
    show(model, params, description) {
      const key = apiUrl(model.id, "decode", params);
      current = { key, since: performance.now() };
      const decoder = control.decoderFor(model);
      if (!decoder && deferred) {
        later(canvas).request(() => current?.key === key && !control.decoderFor(model) && view.show(key, description));
      } else if (!decoder) {
        view.show(key, description);
      } else if (deferred) {
        view.loader.markShown(key); // nothing more from the server for this view
        nextFrame(this, () => current?.key === key && control.decoderFor(model) === decoder && paint(decoder, params, key, description));
      } else {
        paint(decoder, params, key, description);
      }
    },
  };
}

// Deferred paints: the latest per view, all run in one animation frame.
const queued = new Map();
function nextFrame(view, paint) {
  if (!queued.size) requestAnimationFrame(() => {
    const paints = [...queued.values()];
    queued.clear();
    for (const p of paints) p();
  });
  queued.set(view, paint);
}
