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
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from app.main import create_app
from app.settings import Settings
from latent_explorer.paths import REPO_ROOT
from tests.conftest import SHIPPED

# Enough to find the classic failures in well under a minute; ROBUSTNESS_EXAMPLES=500 for a long run.
MAX_EXAMPLES = int(os.environ.get("ROBUSTNESS_EXAMPLES", "60"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture(scope="module")
def api_schema():
    """The app's own document, as a client sees it once the models are loaded (the lifespan runs
    for the whole module). The loaded ids are examples of model_id there; as an enum here, the
    fuzzer reaches every operation's core instead of spending nearly every case on 404s."""
    app = create_app(Settings(checkpoints=SHIPPED))
    with TestClient(app) as client:
        document = client.get("/openapi.json").json()
        ids = [m["id"] for m in client.get("/api/models").json()]
        assert ids, "no models loaded"
        for path in document["paths"].values():
            for operation in path.values():
                for param in operation.get("parameters", []):
                    if param["name"] == "model_id":
                        param["schema"] = {"type": "string", "enum": ids}
        loaded = schemathesis.openapi.from_dict(document)
        loaded.app = app
        yield loaded


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


# One test over every operation (each its own hypothesis run), rather than @schema.parametrize():
# that needs the document at collection time, i.e. an app built when the module is imported, and
# schemathesis' lazy from_fixture loader does not work with pytest 9.
def test_api_conforms(api_schema):
    failures = []
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 10, [op.label for op in operations]
    for operation in operations:

        @settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        @given(case=operation.as_strategy())
        def conforms(case):
            response = case.call_and_validate(checks=CHECKS)
            CASES[f"{case.method} {case.path}"] += 1
            STATUSES[response.status_code] += 1

        try:
            conforms()
        except Exception as e:  # noqa: BLE001 - every operation is fuzzed; all failures are reported together
            failures.append(f"{operation.label}: {type(e).__name__}: {str(e)[:2000]}")
    assert not failures, "\n\n".join(failures)
