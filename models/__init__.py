"""Pure PyTorch: the models, their losses, the mixture queries and checkpoint I/O; what the server imports.
Nothing here knows HTTP, and nothing here trains: data, training and evaluation live in training/."""
