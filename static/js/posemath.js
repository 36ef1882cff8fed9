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
 * The room on screen for a set of pelvis-centred world poses seen from any side: { radius, centreY }
 * (metres) — the sphere about (0, centreY, 0) that holds every joint, with a margin.
 */
export function sceneOf(poses) {
  let [lo, hi] = [Infinity, -Infinity];
  for (const pose of poses) for (const [, y] of pose) [lo, hi] = [Math.min(lo, y), Math.max(hi, y)];
  if (!Number.isFinite(lo)) return { radius: 1, centreY: -0.15 };
  const centreY = (lo + hi) / 2;
  let r = 0;
  for (const pose of poses) for (const [x, y, z = 0] of pose) r = Math.max(r, Math.hypot(x, y - centreY, z));
  return { radius: Math.max(0.5, r * 1.12), centreY };
}
