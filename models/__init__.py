"""Pure PyTorch: the models, their losses, data, training and evaluation. Nothing here knows HTTP."""
