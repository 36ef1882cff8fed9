"""What a model kind is to the server, declared once per kind (app/kinds/).

A declaration says how the kind's meta.json reads (its facts, a pydantic model checked against the
networks' graphs), what it may ship in extras.safetensors, what the registry keeps of a
loaded checkpoint, how it is warmed up, and which operations apply to it: each operation is the last
segment of /api/models/{id}/<operation>, the router that declares it, and, where app.hot_path may
answer it from the ASGI scope, the query model, check and answer the route itself uses. The
registry, the dependencies, the hot path, ModelInfo and the routers all read these declarations, so
a new kind is one more declaration (docs/architecture.md, "Adding a model kind")."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict
from starlette.responses import Response
from starlette.types import Scope

if TYPE_CHECKING:
    from app.networks import Network
    from app.registry import ServedModel


class Facts(BaseModel):
    """The facts a kind's meta.json states beside the config: what clients and the routes rely on
    (the length of z, the labels, the input ranges). Every field is public (GET /api/models shows
    it when meta.json has it). `agree_with` checks them against the networks' ONNX graphs (their
    input and output widths), so a checkpoint that disagrees is refused at start-up instead of
    failing requests later."""

    model_config = ConfigDict(extra="ignore", strict=True, frozen=True)  # strict: "3" is not 3, true is not 1

    def agree_with(self, networks: dict[str, Network]) -> None:
        """Raise FactError(field, message) where a fact differs from the networks (name → graph)."""


class FactError(ValueError):
    """A fact of meta.json that does not fit the model: its field and what is wrong."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field


@dataclass(frozen=True)
class FastAnswer:
    """An operation app.hot_path may answer from the ASGI scope, with the route's own steps:
    `query.model_validate(dict(pairs))`, then `check(served, query)`, then
    `answer(checked, scope, state, pairs)` (app.state's dict; the response, or an awaitable of it)."""

    query: type[BaseModel]
    check: Callable[[ServedModel, Any], Any]
    answer: Callable[[Any, Scope, dict, list[tuple[str, str]] | None], Response | Awaitable[Response]]


@dataclass(frozen=True)
class Operation:
    name: str  # the path's last segment: /api/models/{model_id}/<name>
    router: APIRouter  # declares the route (and so the OpenAPI operation) that answers it
    fast: FastAnswer | None = None  # set where app.hot_path may answer it before FastAPI


@dataclass(frozen=True)
class Extra:
    """A tensor a checkpoint may ship in extras.safetensors; a kind's extras come all or none, with
    equal rows."""

    name: str
    ndim: int
    width_fact: str | None = None  # the fact its second dimension must equal (e.g. latent_dim)


@dataclass(frozen=True)
class Kind:
    name: str  # meta.json's "kind"
    facts: type[Facts]
    networks: tuple[str, ...]  # the graphs it serves: <name>.onnx in the checkpoint folder (models/onnx_export.py)
    operations: tuple[Operation, ...]
    served: type[ServedModel]  # what the registry keeps of a loaded checkpoint
    warm_up: Callable[[ServedModel], None]  # one forward pass through the serving path
    extras: tuple[Extra, ...] = ()
    # Fields GET /api/models shows beside the facts, which the served model computes: name → (type, Field(...)).
    info_fields: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    # Networks checked at start-up like the rest but opened only when first used (Network.release):
    # few requests need them, and their weights would otherwise be resident from the start.
    on_demand: tuple[str, ...] = ()
    fast: dict[str, FastAnswer] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "fast", {op.name: op.fast for op in self.operations if op.fast is not None})

    def supports(self, operation: str) -> bool:
        return any(op.name == operation for op in self.operations)


def kinds_supporting(kinds: Iterable[Kind], operation: str) -> list[str]:
    return [k.name for k in kinds if k.supports(operation)]


def routers(kinds: Iterable[Kind]) -> list[APIRouter]:
    """Every router the kinds' operations name, once each, in the order first named."""
    seen: dict[int, APIRouter] = {}
    for kind in kinds:
        for op in kind.operations:
            seen.setdefault(id(op.router), op.router)
    return list(seen.values())
