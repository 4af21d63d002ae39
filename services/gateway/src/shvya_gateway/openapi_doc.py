"""The OpenAPI document as published: FastAPI's, with its security schemes, the error answers each
route can give in one problem-details schema, an example of every request body, and nested schemas
every viewer can resolve."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from shvya_gateway import problem_details
from shvya_gateway.request_examples import EXAMPLES

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


# Why each error can happen, for the routes that can give it.
ERRORS = {
    401: "No admin token was given",
    403: "The admin token (or a webhook's signature) is wrong",
    404: "What the path names does not exist",
    409: "The change conflicts with the current state (it exists already, or cannot happen now)",
    413: "The body is larger than the gateway accepts (64 KiB by default)",
    415: "The body is neither JSON nor a form",
    422: "A field is missing or invalid; `detail[].loc` names each",
    503: "A backend service is unavailable; retry after `Retry-After` seconds",
}
# Answered by the gateway alone, whatever the backends' state.
_LOCAL_ROUTES = {"/healthz", "/metrics"}


def _errors_of(path: str, method: str, operation: dict[str, Any], admin: bool) -> set[int]:
    params = operation.get("parameters", [])
    codes: set[int] = set()
    if admin:
        codes |= {401, 403}
    if any(p["in"] == "path" for p in params):
        codes.add(404)
    if "requestBody" in operation:
        codes |= {413, 415, 422}
    if params:
        codes.add(422)
    if method != "get":
        codes.add(409)
    if path not in _LOCAL_ROUTES:
        codes.add(503)
    return codes | {int(c) for c in operation.get("responses", {}) if c.isdigit() and int(c) in ERRORS}


def _document_errors(document: dict[str, Any]) -> None:
    problem = {problem_details.MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}}
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            admin = "security" in operation
            responses = operation.setdefault("responses", {})
            for code in sorted(_errors_of(path, method, operation, admin)):
                given = responses.get(str(code), {})
                responses[str(code)] = {
                    "description": given.get("description") or ERRORS[code],
                    "content": problem,
                }
            if "422" in responses and responses["422"]["description"] == "Validation Error":
                responses["422"]["description"] = ERRORS[422]


def _add_examples(document: dict[str, Any]) -> None:
    """Each request body shows an example: the one listed here, or else the first its model
    declares (`json_schema_extra`), so that the example sits where tools and readers look."""
    schemas = document.get("components", {}).get("schemas", {})
    for operations in document["paths"].values():
        for operation in operations.values():
            for media in operation.get("requestBody", {}).get("content", {}).values():
                if "example" in media or "examples" in media:
                    continue
                schema = media.get("schema", {})
                name = schema.get("title") or schema.get("$ref", "").rsplit("/", 1)[-1]
                declared = schemas.get(name, schema)
                if name in EXAMPLES:
                    media["example"] = EXAMPLES[name]
                elif declared.get("examples"):
                    media["example"] = declared["examples"][0]
                elif "example" in declared:
                    media["example"] = declared["example"]


def build(app: FastAPI) -> dict[str, Any]:
    document = get_openapi(
        title=app.title,
        version=app.version,
        description=app.description,
        routes=app.routes,
        tags=app.openapi_tags,
    )
    components = document.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    _hoist_local_definitions(document["paths"], schemas)
    for unused in ("HTTPValidationError", "ValidationError"):
        schemas.pop(unused, None)
    schemas["Problem"] = problem_details.SCHEMA
    schemas["FieldProblem"] = problem_details.FIELD_SCHEMA
    _document_errors(document)
    _add_examples(document)
    return document


def install(app: FastAPI) -> None:
    """Serves `build(app)` at /openapi.json, built once on first request as FastAPI does."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = build(app)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
