"""The `latent-explorer` command: the one place that knows both training and serving."""
