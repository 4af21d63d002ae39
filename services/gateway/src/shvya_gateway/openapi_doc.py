"""The OpenAPI document as published: FastAPI's, with the nested schemas every viewer can resolve."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

_LOCAL = "#/$defs/"
_COMPONENT = "#/components/schemas/"


def _hoist_local_definitions(node: Any, schemas: dict[str, Any]) -> Any:
    """Moves each `$defs` a body schema carries (read_body's models are described by pydantic, not by
    FastAPI) into components/schemas and points its references there: ReDoc cannot resolve them where
    they are, and two bodies sharing a model then share one description."""
    if isinstance(node, dict):
        for name, definition in node.pop("$defs", {}).items():
            schemas.setdefault(name, _hoist_local_definitions(definition, schemas))
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(_LOCAL):
            node["$ref"] = _COMPONENT + ref.removeprefix(_LOCAL)
        for value in node.values():
            _hoist_local_definitions(value, schemas)
    elif isinstance(node, list):
        for value in node:
            _hoist_local_definitions(value, schemas)
    return node


def build(app: FastAPI) -> dict[str, Any]:
    document = get_openapi(
        title=app.title,
        version=app.version,
        description=app.description,
        routes=app.routes,
        tags=app.openapi_tags,
    )
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    _hoist_local_definitions(document["paths"], schemas)
    return document


def install(app: FastAPI) -> None:
    """Serves `build(app)` at /openapi.json, built once on first request as FastAPI does."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = build(app)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
