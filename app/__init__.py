"""The FastAPI server: loads checkpoints, answers the REST API, serves the explorer page.
It knows the models' inference API and nothing of training."""
