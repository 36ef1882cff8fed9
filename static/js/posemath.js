// The pose panel's geometry: the orthographic camera of the pose data (training/pose_cameras.py),
// the error of a 3-D pose, and the room a clip needs on screen. Poses are arrays of [x, y, z] in
// metres; the camera frame has x right, y up, z towards the camera.

const RAD = Math.PI / 180;

/**
 * Camera-frame joints seen from `camera` = [azimuth, elevation] in degrees → the pose in the world,
 * pelvis at the origin: the inverse of p_camera = R_x(elevation) · R_y(−azimuth) · p_world.
 */
export function toWorld(joints, [azimuth, elevation]) {
  const [ca, sa, ce, se] = [Math.cos(azimuth * RAD), Math.sin(azimuth * RAD), Math.cos(elevation * RAD), Math.sin(elevation * RAD)];
  const [px, py, pz] = joints[0];
  return joints.map(([x, y, z]) => {
    [x, y, z] = [x - px, y - py, z - pz];
    const z1 = -se * y + ce * z; // undo R_x(elevation)
    return [ca * x + sa * z1, ce * y + se * z, -sa * x + ca * z1]; // undo R_y(−azimuth)
  });
}

/** A pelvis-centred world pose seen from `camera` = [azimuth, elevation] degrees → camera frame. */
export function toCamera(world, [azimuth, elevation]) {
  const [ca, sa, ce, se] = [Math.cos(azimuth * RAD), Math.sin(azimuth * RAD), Math.cos(elevation * RAD), Math.sin(elevation * RAD)];
  return world.map(([x, y, z]) => {
    const z1 = sa * x + ca * z;
    return [ca * x - sa * z, ce * y - se * z1, se * y + ce * z1];
  });
}

/** MPJPE: the mean distance over all joints between two poses, each taken relative to its pelvis (metres). */
export function mpjpe(a, b) {
  let sum = 0;
  for (let j = 0; j < a.length; j++) {
    let d2 = 0;
    for (let c = 0; c < 3; c++) d2 += (a[j][c] - a[0][c] - (b[j][c] - b[0][c])) ** 2;
    sum += Math.sqrt(d2);
  }
  return sum / a.length;
}

/**
 * The room a set of pelvis-centred world poses needs, from any side: { lo, hi } (the lowest and
 * highest y) and `reach`, the farthest any joint gets from the vertical axis (metres).
 */
export function sceneOf(poses) {
  let [lo, hi, reach] = [Infinity, -Infinity, 0];
  for (const pose of poses) {
    for (const [x, y, z = 0] of pose) [lo, hi, reach] = [Math.min(lo, y), Math.max(hi, y), Math.max(reach, Math.hypot(x, z))];
  }
  return Number.isFinite(lo) ? { lo, hi, reach: Math.max(reach, 0.2) } : { lo: -1, hi: 0.7, reach: 0.6 };
}

/**
 * How to show `scene` in a w × h picture seen from `pitch` degrees above: { scale } (pixels per
 * metre, the same whichever way it is turned about the vertical) and { centreY } (metres, the height
 * at the picture's centre).
 */
export function fitScene({ lo, hi, reach }, w, h, pitch = 0) {
  const p = Math.abs(pitch * RAD);
  const halfHeight = (Math.cos(p) * (hi - lo)) / 2 + Math.sin(p) * reach;
  return { scale: Math.min(w / (2 * reach), h / (2 * halfHeight)) / 1.1, centreY: (lo + hi) / 2 };
}

/** Each joint as a dot at its canvas position: open for the left side, filled for the right. */
export function drawJoints(ctx, at, side, radius, lineWidth) {
  for (const [j, [x, y]] of at.entries()) {
    ctx.beginPath();
    ctx.arc(x, y, radius, 0, 2 * Math.PI);
    ctx.fillStyle = side[j] === "left" ? "#fff" : "#222";
    ctx.fill();
    ctx.strokeStyle = "#222";
    ctx.lineWidth = lineWidth;
    ctx.stroke();
  }
}
