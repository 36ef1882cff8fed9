"""Training, evaluation and data: everything that makes a checkpoint. The server never imports it."""
