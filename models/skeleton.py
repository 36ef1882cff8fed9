"""The pose skeleton, for training code that reads it from models/: it lives in runtime/skeleton.py
(plain Python), which the torch-free server reads too."""

from runtime.skeleton import BONE_NAMES, BONES, INDEX, JOINTS, MIRROR, N_JOINTS, PARENTS, ROOT, chain

__all__ = ["BONE_NAMES", "BONES", "INDEX", "JOINTS", "MIRROR", "N_JOINTS", "PARENTS", "ROOT", "chain"]
