// 3-D pose from a 2-D skeleton (Li & Lee, CVPR 2019). Left, the input as the camera sees it: a
// held-out clip played or scrubbed, the camera turned about the person, or any joint dragged. Right,
// every hypothesis the mixture proposes with π ≥ a threshold, each a 3-D skeleton (all orbit
// together), the truth as a ghost when the input is a clip frame, and the unimodal baseline's one
// answer beside them: the average that is none of them.
import { Latest, apiUrl, getJSON } from "./api.js";
import { elements } from "./dom.js";
import { mpjpe, sceneOf, toCamera, toWorld } from "./posemath.js";
import { poseInput } from "./pose2d.js";
import { CAMERA_VIEW, COLOURS, SIDE_VIEW, sharedOrbit, skeletonView } from "./pose3d.js";
import { notify, reportError } from "./status.js";
import { keepInUrl, linkedModel, pageUrl } from "./urlstate.js";

export const matches = (model) => model.kind === "pose";
export const none = "No 3-D pose model is being served.";

const CLIP_FPS = 30; // clip frames per second while playing
const DEFAULT_CAMERA = [30, 10]; // azimuth, elevation (degrees)
// A person standing, seen from the front: the input when a model ships no held-out clips.
const STANDING = [[0, 0], [0, 0.24], [0, 0.46], [-0.09, 0], [-0.09, -0.42], [-0.09, -0.83], [-0.18, 0.45],
  [-0.22, 0.19], [-0.24, -0.07], [0.09, 0], [0.09, -0.42], [0.09, -0.83], [0.18, 0.45], [0.22, 0.19], [0.24, -0.07]];

export async function start({ models, params }) {
  const el = elements({
    panel: "panel-pose", select: "pose-model", clip: "pose-clip", play: "pose-play", frame: "pose-frame",
    frameOut: "pose-frame-out", share: "pose-share", input: "pose-2d", azimuth: "pose-azimuth",
    azimuthOut: "pose-azimuth-out", elevation: "pose-elevation", elevationOut: "pose-elevation-out",
    back: "pose-back", inputNote: "pose-input-note", threshold: "pose-threshold", thresholdOut: "pose-threshold-out",
    twin: "pose-twin", twinToggle: "pose-twin-toggle", sideView: "pose-side-view", cameraView: "pose-camera-view",
    legend: "pose-legend", summary: "pose-summary", flips: "pose-flips", grid: "pose-hypotheses",
  });
  // A model that is another's unimodal twin is shown beside it, not picked on its own.
  const twins = new Set(models.map((m) => m.baseline).filter(Boolean));
  const pickable = models.some((m) => !twins.has(m.id)) ? models.filter((m) => !twins.has(m.id)) : models;
  el.select.replaceChildren(...pickable.map((m) => new Option(`${m.title} (${m.id})`, m.id)));
  legend(el.legend);

  const orbit = sharedOrbit(SIDE_VIEW);
  // What a link carries: the model, the clip, its frame and the camera, and a dragged pose if any.
  const state = () => ({
    model: model.id, clip: clip?.name ?? "", frame: clip ? clip.frame[index] : "", az: camera[0], el: camera[1],
    joints: custom ? custom.flat().map((v) => v.toFixed(3)).join(",") : "",
  });
  const url = keepInUrl(state);
  let model = null;
  let twin = null;
  let names = [];
  let side = [];
  let bones = [];
  let clip = null; // { name, frame[], worlds[] (pelvis-centred world poses), scene }
  let index = 0; // row of the clip shown
  let camera = DEFAULT_CAMERA.slice();
  let custom = null; // a dragged 2-D pose, or null for the clip's frame as the camera sees it
  let threshold = +el.threshold.value;
  let answer = null; // { value, info } last drawn, and the twin's
  let twinAnswer = null;
  let loader = null;
  let twinLoader = null;
  let pad = null;
  let cards = [];
  let twinCard = null;
  let playing = null;
  let resumeOnShow = false;
  let panelShown = true;
  let generation = 0; // a model switch outdates whatever the last model still had in flight
  const asked = new Map(); // hypotheses URL → { joints2d, truth, label }: what that request was about
  const standing = sceneOf([STANDING.map(([x, y]) => [x, y, 0])]);
  const scene = () => clip?.scene ?? standing;

  async function useModel(next, link = {}) {
    const mine = ++generation;
    stop();
    model = next;
    twin = models.find((m) => m.id === model.baseline && m.id !== model.id) ?? null;
    el.select.value = model.id;
    names = model.joints;
    side = names.map((n) => (n.startsWith("left_") ? "left" : n.startsWith("right_") ? "right" : ""));
    bones = model.bones;
    answer = twinAnswer = null;
    asked.clear();
    loader = new Latest(getJSON, (value, key) => {
      if (mine !== generation) return;
      answer = { value, info: asked.get(key) };
      render();
      // One mark per answer drawn while playing, naming its frame: the frame rate a test measures.
      if (playing) performance.mark("pose-drawn", { detail: answer.info?.label });
    });
    twinLoader = twin && new Latest(getJSON, (value, key) => {
      if (mine !== generation) return;
      twinAnswer = { value, info: asked.get(key) };
      render();
    });
    el.twin.hidden = !twin;
    buildCards();
    // Every pose model has models/skeleton.py's skeleton (the server checks): one input serves them all.
    pad = pad ?? poseInput(el.input, { names, bones, side, scene, elevation: () => camera[1], onMove: dragged });
    const [azRange, elRange] = [model.cameras.azimuth_deg, model.cameras.elevation_deg];
    Object.assign(el.azimuth, { min: azRange[0], max: azRange[1] });
    Object.assign(el.elevation, { min: elRange[0], max: elRange[1] });
    el.clip.replaceChildren(...model.test_clips.map((name) => new Option(name, name)));
    el.clip.disabled = el.play.disabled = el.frame.disabled = !model.test_clips.length;
    const { clipName, frame, cameraAt, joints, notes } = readLink(link);
    camera = cameraAt;
    clip = null;
    if (clipName) {
      const loaded = await loadClip(clipName);
      if (mine !== generation) return;
      clip = loaded;
      index = frame === null ? 0 : nearestRow(clip, frame);
    }
    custom = joints ?? (clip ? null : STANDING.map((p) => p.slice()));
    if (notes.length) notify(notes.join(" "), 12000);
    update();
  }

  /** What a share link asks for, made to fit this model; what does not fit is said, not silently replaced. */
  function readLink({ clip: wantedClip, frame, az, el: elev, joints }) {
    const notes = [];
    const clips = model.test_clips;
    let clipName = clips[0] ?? null;
    if (wantedClip && clips.includes(wantedClip)) clipName = wantedClip;
    else if (wantedClip) notes.push(`This link's clip “${wantedClip.slice(0, 40)}” is not one of ${model.id}'s (${clips.join(", ")}).`);
    const number = (text, name, range, fallback) => {
      let value = Number(text);
      if (text !== undefined && (text === "" || !Number.isFinite(value))) {
        notes.push(`This link's ${name} (“${String(text).slice(0, 20)}”) is not a number: showing ${fallback}.`);
      }
      if (text === undefined || text === "" || !Number.isFinite(value)) value = fallback;
      return Math.max(range[0], Math.min(range[1], value));
    };
    const cameraAt = [number(az, "azimuth", model.cameras.azimuth_deg, DEFAULT_CAMERA[0]),
      number(elev, "elevation", model.cameras.elevation_deg, DEFAULT_CAMERA[1])];
    const frameAt = frame === undefined ? null : number(frame, "frame", [0, Infinity], 0);
    let pose = null;
    if (joints) {
      const values = joints.split(",").map(Number);
      // The API's bound: no coordinate beyond ±10 m.
      if (values.length === 2 * model.joints.length && values.every((v) => Number.isFinite(v) && Math.abs(v) <= 10)) {
        pose = model.joints.map((_, j) => [values[2 * j], values[2 * j + 1]]);
      } else {
        notes.push(`This link's joints are not ${2 * model.joints.length} numbers from −10 to 10 m: showing the clip's pose.`);
      }
    }
    return { clipName, frame: frameAt, cameraAt, joints: pose, notes };
  }

  const clipCache = new Map();
  /** A held-out clip of the model, each frame's pose turned back into the world from its own camera. */
  function loadClip(name) {
    const key = `${model.id}\n${name}`;
    if (!clipCache.has(key)) {
      const loading = getJSON(apiUrl(model.id, "test-poses", { clip: name })).then((data) => {
        const worlds = data.joints3d.map((joints, i) => toWorld(joints, data.camera_deg[i]));
        return { name, frame: data.frame, worlds, scene: sceneOf(worlds) };
      });
      loading.catch(() => clipCache.delete(key));
      clipCache.set(key, loading);
    }
    return clipCache.get(key);
  }

  const nearestRow = (c, frame) => c.frame.reduce((best, f, i) => (Math.abs(f - frame) < Math.abs(c.frame[best] - frame) ? i : best), 0);

  /** The input now: the dragged pose, or the clip's frame seen from the camera (with its truth). */
  function input() {
    if (custom || !clip) return { joints2d: custom, truth: null, label: "your pose" };
    const truth = toCamera(clip.worlds[index], camera);
    return { joints2d: truth.map(([x, y]) => [x, y]), truth, label: `${clip.name}, frame ${clip.frame[index]}` };
  }

  /** Every change of the input goes through here: the 2-D view, the requests, the controls, the URL. */
  function update() {
    const now = input();
    const original = custom && clip ? toCamera(clip.worlds[index], camera).map(([x, y]) => [x, y]) : null;
    pad.show(now.joints2d, { original });
    const joints = now.joints2d.flat().map((v) => (Math.round(v * 1000) / 1000 || 0).toFixed(3));
    const key = apiUrl(model.id, "hypotheses", { joints });
    remember(key, now);
    loader.request(key);
    if (twin && el.twinToggle.checked) {
      const twinKey = apiUrl(twin.id, "hypotheses", { joints });
      remember(twinKey, now);
      twinLoader.request(twinKey);
    }
    showControls();
    url.changed();
  }

  function remember(key, info) {
    asked.delete(key);
    asked.set(key, info);
    if (asked.size > 2048) asked.delete(asked.keys().next().value);
  }

  function showControls() {
    const n = clip ? clip.frame.length : 1;
    Object.assign(el.frame, { max: n - 1 });
    el.frame.value = index;
    el.frameOut.textContent = clip ? `frame ${clip.frame[index]} (${index + 1} of ${n})` : "";
    if (clip) el.clip.value = clip.name;
    el.azimuth.value = camera[0];
    el.elevation.value = camera[1];
    el.azimuthOut.textContent = `${Math.round(camera[0])}°`;
    el.elevationOut.textContent = `${Math.round(camera[1])}°`;
    el.back.hidden = !custom || !clip;
    el.inputNote.textContent = custom
      ? "Your pose: nobody recorded it, so there is no truth to compare with. The sliders go back to the clip."
      : "Drag any joint to ask about a pose nobody recorded. Keyboard: space plays, ←/→ step; on the skeleton, [ and ] pick a joint and the arrows move it.";
    el.play.textContent = playing ? "Pause" : "Play";
    el.play.setAttribute("aria-pressed", String(Boolean(playing)));
  }

  function buildCards() {
    for (const card of cards) card.stop();
    twinCard?.stop();
    cards = Array.from({ length: model.components }, (_, k) => hypothesisCard(k));
    twinCard = twin ? hypothesisCard(-1) : null;
    el.grid.replaceChildren(...cards.map((c) => c.figure), ...(twinCard ? [twinCard.figure] : []));
  }

  /** One hypothesis: its 3-D view, π as a bar, and a caption (rank -1: the unimodal baseline). */
  function hypothesisCard(rank) {
    const figure = Object.assign(document.createElement("figure"), { className: rank < 0 ? "pose-card baseline" : "pose-card", hidden: true });
    const canvas = Object.assign(document.createElement("canvas"), { className: "pose-view", tabIndex: 0 });
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", rank < 0 ? "The unimodal baseline's answer" : `Hypothesis ${rank + 1}`);
    const bar = Object.assign(document.createElement("div"), { className: "pi-bar" });
    bar.setAttribute("aria-hidden", "true"); // the caption says π in words
    const fill = document.createElement("span");
    bar.append(fill);
    const caption = document.createElement("figcaption");
    figure.append(canvas, bar, caption);
    const view = skeletonView(canvas, { bones, side, scene, orbit });
    let text = "";
    return {
      figure,
      show({ hypothesis, input2d, truth, error, flips, best }) {
        figure.hidden = false;
        view.show({ pose: hypothesis.joints, input: input2d, truth, flips });
        const pi = hypothesis.pi;
        fill.style.width = `${(100 * pi).toFixed(1)}%`;
        figure.dataset.pi = String(pi);
        const name = rank < 0 ? "Unimodal baseline (K = 1)" : `Hypothesis ${rank + 1}`;
        const next = `${name}: π ${pi.toFixed(2)}${error === null ? "" : ` · ${Math.round(error * 1000)} mm from the truth`}${best ? " · best" : ""}`;
        if (next !== text) {
          text = next;
          caption.textContent = next;
          canvas.setAttribute("aria-label", `${next}. Drag, or use the arrow keys, to turn every view.`);
          figure.classList.toggle("best", best);
        }
      },
      hide() { figure.hidden = true; },
      stop() { view.stop(); },
    };
  }

  /** Draw the last answers: the hypotheses over the threshold, the truth and the errors, the twin. */
  function render() {
    if (!answer) return;
    const { value, info } = answer;
    const truth = info?.truth ?? null;
    const errors = truth ? value.hypotheses.map((h) => mpjpe(h.joints, truth)) : null;
    const best = errors ? errors.indexOf(Math.min(...errors)) : -1;
    const flipped = new Set(value.depth_flips.map(({ joints: [p, c] }) => bones.findIndex(([a, b]) => a === p && b === c)));
    let shown = 0;
    value.hypotheses.forEach((hypothesis, k) => {
      if (hypothesis.pi < threshold) return cards[k]?.hide();
      shown += 1;
      cards[k]?.show({ hypothesis, input2d: value.joints2d, truth, error: errors ? errors[k] : null, flips: k < 2 ? flipped : null, best: k === best });
    });
    for (let k = value.hypotheses.length; k < cards.length; k++) cards[k].hide();
    const words = [];
    if (errors) {
      words.push(`Best hypothesis error: ${Math.round(errors[best] * 1000)} mm (hypothesis ${best + 1}, π ${value.hypotheses[best].pi.toFixed(2)})`);
      if (best !== 0) words.push(`most probable: ${Math.round(errors[0] * 1000)} mm`);
    } else {
      words.push(info?.label === "your pose" ? "Your pose: no truth to compare with" : "No truth for this input");
    }
    if (!shown) words.push(`no hypothesis has π ≥ ${threshold.toFixed(2)} (the most probable has ${value.hypotheses[0].pi.toFixed(2)})`);
    const showTwin = twinCard && el.twinToggle.checked && twinAnswer;
    if (showTwin) {
      const twinTruth = twinAnswer.info?.truth ?? null;
      const twinError = twinTruth ? mpjpe(twinAnswer.value.hypotheses[0].joints, twinTruth) : null;
      twinCard.show({ hypothesis: twinAnswer.value.hypotheses[0], input2d: twinAnswer.value.joints2d, truth: twinTruth, error: twinError, flips: null, best: false });
      if (twinError !== null && truth) words.push(`unimodal baseline: ${Math.round(twinError * 1000)} mm`);
    } else {
      twinCard?.hide();
    }
    el.summary.textContent = `${words.join("; ")}.`;
    const flips = value.depth_flips.map((f) => f.bone.replaceAll("_", " ").replace("-", " → "));
    const listed = flips.length > 6 ? [...flips.slice(0, 5), `and ${flips.length - 5} more`] : flips;
    el.flips.textContent = value.hypotheses.length > 1 && flips.length
      ? `The two most probable disagree about which way ${flips.length === 1 ? "this bone points" : `${flips.length} bones point`} (highlighted): ${listed.join(", ")}.`
      : "";
    el.grid.dataset.input = info?.label ?? "";
    el.grid.dataset.shown = String(shown);
  }

  function dragged(joints) {
    pause();
    custom = joints;
    update();
  }

  function setIndex(i) {
    index = i;
    custom = null;
    update();
  }

  // Play: the clip advances with the clock (CLIP_FPS), each frame asked for through the loader, which
  // keeps one request in flight and drops the frames the server cannot keep up with.
  function play() {
    if (!clip) return;
    if (custom) custom = null;
    playing = { t0: performance.now(), i0: index };
    playing.frame = requestAnimationFrame(tick);
    update();
  }
  function tick(now) {
    if (!playing) return;
    const n = clip.frame.length;
    // A frame's time stamp can precede the click that started playing: never a step back.
    const i = (playing.i0 + Math.max(0, Math.floor(((now - playing.t0) * CLIP_FPS) / 1000))) % n;
    if (i !== index) setIndex(i);
    playing.frame = requestAnimationFrame(tick);
  }
  function pause() {
    if (!playing) return;
    cancelAnimationFrame(playing.frame);
    playing = null;
    showControls();
  }
  const stop = () => { pause(); resumeOnShow = false; };
  const togglePlay = () => (playing ? pause() : play());
  const step = (delta) => {
    if (!clip) return;
    pause();
    setIndex((index + delta + clip.frame.length) % clip.frame.length);
  };
  // Not while the panel or the browser tab is hidden: no requests nobody sees; it resumes where it was.
  const hide = () => { if (playing) { pause(); resumeOnShow = true; } };
  const reveal = () => { if (resumeOnShow && panelShown && !document.hidden) { resumeOnShow = false; play(); } };
  document.addEventListener("visibilitychange", () => (document.hidden ? hide() : reveal()));

  // Space plays and pauses, ←/→ step a frame, wherever the focus is in the panel (or nowhere),
  // except where a control has its own use for the key (a button's space, a picker, a canvas's arrows).
  document.addEventListener("keydown", (event) => {
    if (!panelShown || event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
    const target = event.target;
    if (target !== document.body && !el.panel.contains(target)) return;
    if (event.key === " ") {
      if (target.matches("button, a, select, input:not([type=range])")) return;
      event.preventDefault();
      togglePlay();
    } else if (event.key === "ArrowLeft" || event.key === "ArrowRight") {
      if (target.matches("input, select")) return;
      event.preventDefault();
      step(event.key === "ArrowRight" ? 1 : -1);
    }
  });

  el.select.addEventListener("change", () => {
    // The new model keeps the camera, and the clip and frame where it has them.
    const next = pickable.find((m) => m.id === el.select.value);
    const same = clip && next.test_clips.includes(clip.name) ? { clip: clip.name, frame: clip.frame[index] } : {};
    useModel(next, { az: String(camera[0]), el: String(camera[1]), ...same }).catch(reportError);
  });
  el.clip.addEventListener("change", () => {
    stop();
    const mine = generation;
    loadClip(el.clip.value).then((loaded) => {
      if (mine !== generation) return;
      clip = loaded;
      setIndex(0);
    }, reportError);
  });
  el.play.addEventListener("click", togglePlay);
  el.frame.addEventListener("input", () => { pause(); setIndex(+el.frame.value); });
  for (const [slider, axis] of [[el.azimuth, 0], [el.elevation, 1]]) {
    slider.addEventListener("input", () => {
      camera[axis] = +slider.value;
      custom = null;
      update();
    });
  }
  el.back.addEventListener("click", () => { custom = null; update(); });
  el.threshold.addEventListener("input", () => {
    threshold = +el.threshold.value;
    el.thresholdOut.textContent = threshold.toFixed(2);
    render();
  });
  el.thresholdOut.textContent = threshold.toFixed(2);
  el.twinToggle.addEventListener("change", () => { if (el.twinToggle.checked) update(); else render(); });
  el.sideView.addEventListener("click", () => orbit.set(SIDE_VIEW.yaw, SIDE_VIEW.pitch));
  el.cameraView.addEventListener("click", () => orbit.set(CAMERA_VIEW.yaw, CAMERA_VIEW.pitch));
  el.share.addEventListener("click", async (event) => {
    event.preventDefault();
    const link = pageUrl({ panel: "pose", ...Object.fromEntries(Object.entries(state()).filter(([, v]) => v !== "")) });
    history.replaceState(null, "", link);
    try {
      await navigator.clipboard.writeText(link);
      el.share.textContent = "Link copied";
    } catch {
      el.share.textContent = "Link in the address bar";
    }
    setTimeout(() => { el.share.textContent = "Share link"; }, 2000);
  });

  const linked = linkedModel(params, pickable, { kind: "pose model" });
  await useModel(linked.model, params);
  return {
    shown() {
      panelShown = true;
      url.shown();
      reveal();
    },
    hidden() {
      panelShown = false;
      url.hidden();
      hide();
    },
  };
}

/** The colours' key, built from the same constants the views draw with. */
function legend(container) {
  const item = (colour, text, shape = "bar") => {
    const swatch = Object.assign(document.createElement("i"), { className: shape });
    swatch.style.background = colour;
    const span = document.createElement("span");
    span.append(swatch, text);
    return span;
  };
  container.replaceChildren(
    item(COLOURS.towards, "bone towards the camera"), item(COLOURS.away, "away from it"),
    item(COLOURS.input, "2-D input, in the camera's image plane", "dash"), item(COLOURS.truth, "truth"), item(COLOURS.flip, "the two most probable disagree"),
    item("#222", "right joint", "dot"), item("#fff", "left joint", "dot"),
  );
}
