// The 2-D skeleton as the camera sees it (x right, y up, metres), each joint draggable with a
// mouse, pen or finger; from the keyboard, [ and ] pick a joint and the arrow keys move it.
import { crispCanvas } from "./hidpi.js";
import { FONT } from "./plot.js";
import { drawJoints, fitScene } from "./posemath.js";
import { pointerDrag } from "./pointerdrag.js";

const SIDE_COLOUR = { right: "#222", left: "#9a9a9a", "": "#555" };
const STEP = 0.01; // metres per arrow key (Shift: 5 ×)

/**
 * The input canvas. `names` are the joints, `bones` [parent, child] pairs, `side[j]` "left",
 * "right" or "", `scene()` the room to show (posemath.js sceneOf), `elevation()` the camera's
 * (degrees), for the height the picture needs. `onMove(joints)` gets a fresh copy of the joints at
 * every step of a drag or key press. show(joints, { original }) draws joints (15×2) over
 * `original` (the clip's pose, after a drag) as a ghost. Returns { show }.
 */
export function poseInput(canvas, { names, bones, side, scene, elevation, onMove }) {
  let joints = null;
  let original = null;
  let active = null; // the joint being dragged
  let selected = names.indexOf("left_wrist"); // the joint the keyboard moves
  let w = 0;
  let h = 0;
  const surface = crispCanvas(canvas, () => draw());
  const frame = () => {
    const { scale: s, centreY } = fitScene(scene(), w, h, elevation());
    // A joint stays inside the picture: a drag that leaves it stops at its edge.
    const toMetres = (px, py) => [(Math.max(0, Math.min(w, px)) - w / 2) / s, centreY - (Math.max(0, Math.min(h, py)) - h / 2) / s];
    const toScreen = ([x, y]) => [w / 2 + s * x, h / 2 - s * (y - centreY)];
    return { toScreen, toMetres, inside: (p) => toMetres(...toScreen(p)) };
  };

  function draw() {
    const begun = surface.begin();
    ({ w, h } = begun);
    const { ctx } = begun;
    if (!w || !joints) return;
    const { toScreen } = frame();
    ctx.lineCap = "round";
    if (original) skeleton(ctx, original.map(toScreen), { ghost: true });
    const at = joints.map(toScreen);
    skeleton(ctx, at, { ghost: false });
    const mark = active ?? (document.activeElement === canvas ? selected : null);
    if (mark !== null) {
      ctx.strokeStyle = "#d62728";
      ctx.lineWidth = 2;
      ctx.beginPath();
      ctx.arc(at[mark][0], at[mark][1], 9, 0, 2 * Math.PI);
      ctx.stroke();
      ctx.font = FONT;
      ctx.fillStyle = "#b0191e";
      ctx.fillText(names[mark].replace("_", " "), at[mark][0] + 12, at[mark][1] - 8);
    }
    // Where each joint is in the picture (CSS pixels from its top left, inside the border): what a test drags.
    canvas.dataset.points = at.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(" ");
  }

  function skeleton(ctx, at, { ghost }) {
    ctx.lineWidth = ghost ? 7 : 4;
    for (const [a, b] of bones) {
      ctx.strokeStyle = ghost ? "rgba(0, 0, 0, 0.1)" : SIDE_COLOUR[side[b]];
      ctx.beginPath();
      ctx.moveTo(...at[a]);
      ctx.lineTo(...at[b]);
      ctx.stroke();
    }
    if (ghost) return;
    drawJoints(ctx, at, side, 5, 1.5);
  }

  /** A pointer's place in the picture, CSS pixels from its top left (inside the border). */
  function local(event) {
    const rect = canvas.getBoundingClientRect();
    return [event.clientX - rect.left - canvas.clientLeft, event.clientY - rect.top - canvas.clientTop];
  }

  /** The joint under a pointer, if one is near enough to grab (a finger is coarser than a mouse). */
  function jointAt(event) {
    if (!joints) return null;
    const [px, py] = local(event);
    const reach = event.pointerType === "mouse" ? 14 : 28;
    const { toScreen } = frame();
    let best = null;
    let bestD = reach;
    joints.forEach((p, j) => {
      const [x, y] = toScreen(p);
      const d = Math.hypot(x - px, y - py);
      if (d < bestD) [best, bestD] = [j, d];
    });
    return best;
  }

  const moved = () => {
    draw();
    onMove(joints.map((p) => p.slice()));
  };

  pointerDrag(canvas, {
    start(event) {
      active = jointAt(event);
      if (active !== null) selected = active;
      canvas.dataset.dragging = active !== null ? "1" : "";
      draw();
    },
    move(event) {
      if (active === null) return;
      joints[active] = frame().toMetres(...local(event));
      moved();
    },
    end() {
      active = null;
      canvas.dataset.dragging = "";
      draw();
    },
    hover(event) { canvas.dataset.over = jointAt(event) !== null ? "1" : ""; },
  });
  canvas.addEventListener("keydown", (event) => {
    if (!joints) return;
    if (event.key === "[" || event.key === "]") {
      event.preventDefault();
      selected = (selected + (event.key === "]" ? 1 : names.length - 1)) % names.length;
      draw();
      return;
    }
    const step = event.shiftKey ? 5 * STEP : STEP;
    const move = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, step], ArrowDown: [0, -step] }[event.key];
    if (!move) return;
    event.preventDefault();
    joints[selected] = frame().inside([joints[selected][0] + move[0], joints[selected][1] + move[1]]);
    moved();
  });
  canvas.addEventListener("focus", () => draw());
  canvas.addEventListener("blur", () => draw());

  return {
    show(next, { original: ghost = null } = {}) {
      original = ghost;
      if (active === null) joints = next.map((p) => p.slice()); // a drag in progress owns the joints
      draw();
    },
  };
}
