"""What the server computes around the networks at run time, in numpy only (no torch): mixture
statistics and modes, the arm's kinematics, the latent lattice, the pose skeleton and hypotheses.
models/ keeps the torch side for training; tests/runtime compares the two."""
