// A 3-D skeleton on a canvas, orthographic, turned by dragging (yaw and pitch) or by the arrow
// keys. Every view of the panel shares one orbit, so the hypotheses are always seen from the same
// side. With the camera of the input on the left (the default side view), depth — what the camera
// cannot see — runs across the picture.
import { crispCanvas } from "./hidpi.js";
import { FONT } from "./plot.js";
import { drawJoints, fitScene } from "./posemath.js";
import { pointerDrag } from "./pointerdrag.js";

const RAD = Math.PI / 180;
/** Bones that point towards the camera (the child nearer than its parent) and away from it. */
export const COLOURS = { towards: "#e66100", away: "#2f6bd8", truth: "rgba(0, 0, 0, 0.15)", input: "#8c8c8c",
  flip: "rgba(255, 205, 0, 0.75)" };
export const SIDE_VIEW = { yaw: 90, pitch: 10 };
export const CAMERA_VIEW = { yaw: 0, pitch: 0 };

/** One orbit for every view: `set(yaw, pitch)` in degrees turns them all. */
export function sharedOrbit(initial = SIDE_VIEW) {
  const views = new Set();
  return {
    ...initial,
    views,
    set(yaw, pitch) {
      this.yaw = ((((yaw + 180) % 360) + 360) % 360) - 180;
      this.pitch = Math.max(-89, Math.min(89, pitch));
      for (const view of views) view.draw();
    },
  };
}

/**
 * A view of one pose on `canvas`. `bones` are [parent, child] joint indices, `side[j]` is "left",
 * "right" or "" per joint, `scene()` the room to show (posemath.js sceneOf).
 * show({ pose, input, truth, flips }) draws: pose (15×3, camera frame), the 2-D input laid in the
 * image plane (z = 0) with each joint's line of sight to the pose, the truth as a ghost, and the
 * bones `flips` (a Set of bone indices) with a halo. Returns { show, draw, stop }.
 */
export function skeletonView(canvas, { bones, side, scene, orbit }) {
  let data = null;
  const surface = crispCanvas(canvas, () => draw());
  const controller = new AbortController();
  let last = null;
  pointerDrag(canvas, {
    start(event) { last = [event.clientX, event.clientY]; canvas.dataset.turning = "1"; },
    move(event) {
      const [dx, dy] = [event.clientX - last[0], event.clientY - last[1]];
      last = [event.clientX, event.clientY];
      orbit.set(orbit.yaw - dx * 0.6, orbit.pitch + dy * 0.6);
    },
    end() { delete canvas.dataset.turning; },
  }, { signal: controller.signal });
  canvas.addEventListener("keydown", (event) => {
    const step = event.shiftKey ? 45 : 10;
    const turn = { ArrowLeft: [step, 0], ArrowRight: [-step, 0], ArrowUp: [0, step], ArrowDown: [0, -step] }[event.key];
    if (!turn) return;
    event.preventDefault();
    orbit.set(orbit.yaw + turn[0], orbit.pitch + turn[1]);
  }, { signal: controller.signal });

  function draw() {
    const { ctx, w, h } = surface.begin();
    if (!w || !data) return;
    const { scale: s, centreY } = fitScene(scene(), w, h, orbit.pitch);
    const [cy, sy, cp, sp] = [Math.cos(orbit.yaw * RAD), Math.sin(orbit.yaw * RAD), Math.cos(orbit.pitch * RAD), Math.sin(orbit.pitch * RAD)];
    // Camera frame → screen: turn by the yaw about y, then tilt by the pitch; depth for the painter.
    const project = ([x, y, z]) => {
      const [x1, z1, y1] = [x * cy - z * sy, x * sy + z * cy, y - centreY];
      return [w / 2 + s * x1, h / 2 - s * (y1 * cp - z1 * sp), y1 * sp + z1 * cp];
    };
    camera(ctx, w, h, [-sy, sp * cy, cp * cy]);
    const { pose, input, truth, flips } = data;
    ctx.lineCap = "round";
    if (truth) {
      const at = truth.map(project);
      ctx.strokeStyle = COLOURS.truth;
      ctx.lineWidth = 9;
      for (const [a, b] of bones) line(ctx, at[a], at[b]);
    }
    const at = pose.map(project);
    if (input) {
      const flat = input.map(([x, y]) => project([x, y, 0]));
      ctx.strokeStyle = COLOURS.input;
      ctx.lineWidth = 1;
      ctx.setLineDash([1, 3]);
      flat.forEach((p, j) => line(ctx, p, at[j])); // each joint's line of sight: the depth the camera lost
      ctx.setLineDash([5, 3]);
      ctx.lineWidth = 1.5;
      for (const [a, b] of bones) line(ctx, flat[a], flat[b]);
      ctx.setLineDash([]);
    }
    // Far bones first, so the near ones cover them.
    const order = bones.map((bone, b) => [b, at[bone[0]][2] + at[bone[1]][2]]).sort((p, q) => p[1] - q[1]);
    for (const [b] of order) {
      const [p, c] = bones[b];
      if (flips?.has(b)) {
        ctx.strokeStyle = COLOURS.flip;
        ctx.lineWidth = 11;
        line(ctx, at[p], at[c]);
      }
      ctx.strokeStyle = pose[c][2] > pose[p][2] ? COLOURS.towards : COLOURS.away;
      ctx.lineWidth = 4;
      line(ctx, at[p], at[c]);
    }
    drawJoints(ctx, at, side, 3.2, 1.2);
  }

  const view = {
    show(next) {
      data = next;
      draw();
    },
    draw,
    stop() {
      controller.abort();
      surface.stop();
      orbit.views.delete(view);
    },
  };
  orbit.views.add(view);
  return view;
}

function line(ctx, [x0, y0], [x1, y1]) {
  ctx.beginPath();
  ctx.moveTo(x0, y0);
  ctx.lineTo(x1, y1);
  ctx.stroke();
}

/** Where the input's camera is: a small camera at the picture's edge looking in, or a word when it is
 * straight in front of or behind the viewer. `toward` is the camera's direction on screen (x right,
 * y down, z out of the screen). */
function camera(ctx, w, h, [dx, dy, dz]) {
  ctx.save();
  ctx.font = FONT;
  ctx.fillStyle = "#666";
  const length = Math.hypot(dx, dy);
  if (length < 0.35) {
    ctx.textBaseline = "top";
    ctx.fillText(dz > 0 ? "camera: behind you" : "camera: far side", 6, 4);
    ctx.restore();
    return;
  }
  const r = Math.min(w, h) / 2 - 16;
  const [x, y] = [w / 2 + (dx / length) * r, h / 2 + (dy / length) * r];
  ctx.textAlign = "center";
  ctx.textBaseline = dy > 0 ? "bottom" : "top";
  ctx.fillText("camera", Math.max(24, Math.min(w - 24, x)), y + (dy > 0 ? -10 : 10));
  ctx.translate(x, y);
  ctx.rotate(Math.atan2(-dy, -dx)); // the lens faces the scene
  ctx.fillStyle = "#555";
  ctx.fillRect(-12, -5, 9, 10);
  ctx.beginPath();
  ctx.moveTo(-3, 0);
  ctx.lineTo(5, -6);
  ctx.lineTo(5, 6);
  ctx.closePath();
  ctx.fill();
  ctx.restore();
}
