"""GET /api/models/{id}/hypotheses, written once: from a validated HypothesesQuery to the response
(the route in app.routes.poses and app.hot_path both call `check` and `answer`)."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.responses import Response
from starlette.types import Scope

from app import inference
from app.params import parse_vector
from app.registry import ServedModel
from app.responses import cached
from app.schemas import HypothesesQuery

MAX_ABS_METRES = 10.0  # a joint ten metres from another is no human pose


@dataclass(slots=True)
class Hypotheses:
    """One checked hypotheses query."""

    served: ServedModel
    joints: list[float]  # (2·joints,): x1, y1, …, metres


def check(served: ServedModel, query: HypothesesQuery) -> Hypotheses:
    """The 2-D joints: exactly two numbers per joint of the model's skeleton, each within ±10 m. A
    422 (HTTPException) naming the field otherwise."""
    return Hypotheses(served, parse_vector(query.joints, "joints", 2 * len(served.facts.joints), MAX_ABS_METRES))


def answer(hypotheses: Hypotheses, scope: Scope, state: dict, pairs: list[tuple[str, str]] | None = None) -> Response:
    """304 when the client holds this answer already, else the hypotheses as JSON. `state`: app.state's
    dict; `pairs`: the query string already parsed, if the caller has it."""
    h = hypotheses
    return cached(scope, h.served, state["settings"].cache_max_age, "application/json",
                  lambda: inference.pose_hypotheses(h.served, h.joints), pairs=pairs)
