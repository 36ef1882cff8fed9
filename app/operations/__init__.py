"""The operations the hot path may answer, each written once: from its validated query to the
response (`check`, then `answer`). The FastAPI route and app.hot_path call the same two, so the
bytes, headers and errors are the same whichever path a request takes."""
