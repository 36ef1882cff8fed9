"""`latent-explorer serve` refuses, in one line and before loading any model, what it cannot serve."""

from __future__ import annotations

import pytest

from latent_explorer import cli


@pytest.mark.parametrize(("args", "words"), [
    (["--port", "99999"], "--port 99999 is not a TCP port"),
    (["--port", "-1"], "--port -1 is not a TCP port"),
    (["--port", "0"], "--port 0 is not a TCP port"),
    (["--workers", "0"], "at least one worker"),
    (["--checkpoints", "{tmp}/missing"], "no such folder"),
    (["--checkpoints", "{tmp}"], "no checkpoint in it"),
])
def test_refused_in_one_line_before_anything_loads(tmp_path, capsys, monkeypatch, args, words):
    def no_server(*a, **k):
        raise AssertionError("uvicorn must not start")

    monkeypatch.setattr("uvicorn.run", no_server)
    (tmp_path / "not-a-checkpoint").mkdir()
    assert cli.main(["serve", *(a.format(tmp=tmp_path) for a in args)]) == 2
    err = capsys.readouterr().err
    assert words in err and err.count("\n") == 1 and err.startswith("latent-explorer serve: ")


def test_a_folder_of_checkpoints_is_served(tiny_checkpoints, monkeypatch):
    started = {}
    monkeypatch.setenv("LATENT_EXPLORER_CHECKPOINTS", "")  # restored afterwards: serve sets it for its workers
    monkeypatch.setattr("uvicorn.run", lambda *a, **k: started.update(k))
    assert cli.main(["serve", "--checkpoints", str(tiny_checkpoints), "--port", "8123"]) == 0
    assert started["port"] == 8123
