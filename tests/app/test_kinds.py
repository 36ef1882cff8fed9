"""A model kind added from outside with one declaration (docs/architecture.md, "Adding a model kind"):
a 1-D MDN variant with an operation of its own, declared here alone, is listed, served (through the
hot path where its declaration says so), documented, and refused with 422 where it does not apply."""

from __future__ import annotations

import json
import math
from typing import Annotated

import numpy as np
import pytest
from fastapi import APIRouter, Query
from fastapi.testclient import TestClient
from pydantic import BaseModel

from app import inference
from app.deps import OperationModel
from app.hot_path import HotPath
from app.kind import FactError, Kind, Operation
from app.kinds import BUILTIN_KINDS
from app.kinds.mixtures import MDN_KIND, MdnFacts
from app.main import create_app
from app.settings import Settings

router = APIRouter(prefix="/api/models/{model_id}", tags=["scalar mixtures"])


class Cumulative(BaseModel):
    x: float
    t: float
    cdf: float


@router.get("/cdf", response_model=Cumulative)
async def cumulative(served: OperationModel, x: Annotated[float, Query(ge=-10, le=10)],
                     t: Annotated[float, Query(ge=-10, le=10)]) -> dict:
    """P(T ≤ t | x) of a scalar mixture."""
    mix = inference.mixture_at(served, np.array([[x]], dtype=np.float32))
    pi, mu, sigma = mix.pi[0].tolist(), mix.mu[0, :, 0].tolist(), mix.sigma[0].tolist()
    cdf = sum(p * 0.5 * (1 + math.erf((t - m) / (s * math.sqrt(2)))) for p, m, s in zip(pi, mu, sigma))
    return {"x": x, "t": t, "cdf": cdf}


class ScalarFacts(MdnFacts):
    def agree_with(self, networks) -> None:
        super().agree_with(networks)
        if (self.input_dim, self.output_dim) != (1, 1):
            raise FactError("output_dim", "a scalar mdn maps one number to one number")


SCALAR_MDN = Kind("scalar-mdn", ScalarFacts, networks=MDN_KIND.networks,
                  operations=(*MDN_KIND.operations, Operation("cdf", router)), served=MDN_KIND.served,
                  warm_up=MDN_KIND.warm_up, extras=MDN_KIND.extras)


@pytest.fixture
def folder(tiny_checkpoints):
    """The tiny checkpoints, and tiny-mdn copied as a scalar-mdn called "scalar"."""
    source, target = tiny_checkpoints / "tiny-mdn", tiny_checkpoints / "scalar"
    target.mkdir()
    for path in source.iterdir():
        target.joinpath(path.name).write_bytes(path.read_bytes())
    meta = json.loads((target / "meta.json").read_text())
    (target / "meta.json").write_text(json.dumps({**meta, "id": "scalar", "kind": "scalar-mdn"}))
    return tiny_checkpoints


@pytest.fixture
def client(folder):
    with TestClient(create_app(Settings(checkpoints=folder), kinds=(*BUILTIN_KINDS, SCALAR_MDN))) as c:
        yield c


def test_the_new_kind_is_listed_with_its_facts(client):
    models = {m["id"]: m for m in client.get("/api/models").json()}
    assert models["scalar"]["kind"] == "scalar-mdn"
    assert models["scalar"]["input_range"] == [[0.0, 1.0]] and models["scalar"]["components"] == 3
    assert client.get("/healthz").json()["failed"] == []


def test_its_own_operation_answers(client):
    low, high = (client.get(f"/api/models/scalar/cdf?x=0.5&t={t}") for t in (-10, 10))
    assert low.status_code == high.status_code == 200
    assert low.json()["cdf"] < 1e-6 and abs(high.json()["cdf"] - 1) < 1e-6


def test_the_operations_it_shares_answer_through_the_hot_path(client, monkeypatch):
    sent = []
    original = HotPath.__call__

    async def spy(self, scope, send):
        sent.append(await original(self, scope, send))
        return sent[-1]

    monkeypatch.setattr(HotPath, "__call__", spy)
    density = client.get("/api/models/scalar/density?x=0.5&points=5")
    assert density.status_code == 200 and len(density.json()["density"]) == 5
    assert sent == [True]
    assert client.get("/api/models/scalar/sweep?x_points=3&t_points=3").status_code == 200


@pytest.mark.parametrize(("url", "message"), [
    ("/api/models/tiny-vae/cdf?x=0.5&t=0", "cdf is not available for 'tiny-vae' (kind vae); it applies to kinds scalar-mdn"),
    ("/api/models/tiny-mdn/cdf?x=0.5&t=0", "cdf is not available for 'tiny-mdn' (kind mdn)"),
    ("/api/models/scalar/decode?z=0", "decode is not available for 'scalar' (kind scalar-mdn); it applies to kinds vae, cvae"),
    ("/api/models/scalar/manifold", "it applies to kinds vae, cvae"),
])
def test_refused_where_it_does_not_apply(client, url, message):
    r = client.get(url)
    assert r.status_code == 422
    assert message in r.json()["detail"]


def test_it_is_in_the_openapi_document(client):
    doc = client.get("/openapi.json").json()
    operation = doc["paths"]["/api/models/{model_id}/cdf"]["get"]
    assert operation["operationId"] == "cdf"
    assert "scalar" in operation["parameters"][0]["schema"]["examples"]
    assert "scalar-mdn" in doc["components"]["schemas"]["ModelInfo"]["properties"]["kind"]["description"]


def test_facts_of_the_kind_are_checked(folder):
    meta = json.loads((folder / "scalar" / "meta.json").read_text())
    (folder / "scalar" / "meta.json").write_text(json.dumps({**meta, "components": 4}))
    with TestClient(create_app(Settings(checkpoints=folder), kinds=(*BUILTIN_KINDS, SCALAR_MDN))) as c:
        [failed] = c.get("/healthz").json()["failed"]
        assert failed["path"].endswith("scalar") and "meta.json components" in failed["reason"]


def test_without_its_declaration_the_kind_is_not_served(folder):
    with TestClient(create_app(Settings(checkpoints=folder))) as c:
        [failed] = c.get("/healthz").json()["failed"]
        assert "unknown kind 'scalar-mdn'" in failed["reason"]
        assert c.get("/api/models/tiny-mdn/cdf?x=0.5&t=0").status_code == 404
        assert "/api/models/{model_id}/cdf" not in c.get("/openapi.json").json()["paths"]
