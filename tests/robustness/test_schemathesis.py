"""Property-based fuzzing of the API from its own OpenAPI document (schemathesis over ASGI):
no server errors, and every response matches what the document promises (status codes,
content types including image/png, JSON bodies against their schemas)."""

from __future__ import annotations

import json
import os
import sys
from collections import Counter

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from app.main import create_app
from app.settings import REPO_ROOT, Settings
from tests.conftest import SHIPPED

# Enough to find the classic failures in well under a minute; ROBUSTNESS_EXAMPLES=500 for a long run.
MAX_EXAMPLES = int(os.environ.get("ROBUSTNESS_EXAMPLES", "60"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]

app = create_app(Settings(checkpoints=SHIPPED))


def _document() -> dict:
    """The app's own document, as a client sees it once the models are loaded. The loaded ids are
    examples of model_id there; as an enum here, the fuzzer reaches every operation's core instead
    of spending nearly every case on 404s."""
    with TestClient(app) as client:
        document = client.get("/openapi.json").json()
        ids = [m["id"] for m in client.get("/api/models").json()]
    assert ids, "no models loaded"
    for path in document["paths"].values():
        for operation in path.values():
            for param in operation.get("parameters", []):
                if param["name"] == "model_id":
                    param["schema"] = {"type": "string", "enum": ids}
    return document


schema = schemathesis.openapi.from_dict(_document())
schema.app = app
CASES: Counter = Counter()
STATUSES: Counter = Counter()


@pytest.fixture(scope="module", autouse=True)
def report_counts():
    yield
    total = sum(CASES.values())
    summary = {"cases": total, "per_operation": dict(CASES), "statuses": {str(k): v for k, v in STATUSES.items()}}
    out = REPO_ROOT / "test-artifacts"
    out.mkdir(exist_ok=True)
    (out / "schemathesis-counts.json").write_text(json.dumps(summary, indent=2) + "\n")
    print(f"\nschemathesis: {total} cases over {len(CASES)} operations; statuses {dict(STATUSES)}", file=sys.__stderr__)


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms(case):
    response = case.call_and_validate(checks=CHECKS)
    CASES[f"{case.method} {case.path}"] += 1
    STATUSES[response.status_code] += 1
