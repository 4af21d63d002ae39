"""Reading a request body as JSON or as an HTML form, and validating it into a model."""

from __future__ import annotations

import json
from typing import Any, TypeVar
from urllib.parse import parse_qsl

from fastapi import HTTPException, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ValidationError

M = TypeVar("M", bound=BaseModel)

FORM = "application/x-www-form-urlencoded"


def _json_object(raw: bytes) -> dict[str, Any]:
    try:
        value = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise RequestValidationError(
            [{"loc": ("body",), "msg": f"JSON decode error: {exc}", "type": "json_invalid"}]
        ) from None
    if not isinstance(value, dict):
        raise RequestValidationError(
            [{"loc": ("body",), "msg": "must be a JSON object", "type": "dict_type"}]
        )
    return value


async def read_body(request: Request) -> dict[str, Any]:
    """The body as a dict: JSON, or an HTML form post (a website can post its form directly)."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    raw = await request.body()
    if content_type == "application/json" or content_type.endswith("+json"):
        return _json_object(raw)
    if content_type == FORM:
        # `curl -d '{...}'` sends JSON labelled as a form; accept what was meant.
        if raw.lstrip().startswith(b"{"):
            return _json_object(raw)
        try:
            return dict(parse_qsl(raw.decode("utf-8"), keep_blank_values=True, strict_parsing=False))
        except UnicodeDecodeError:
            raise RequestValidationError(
                [{"loc": ("body",), "msg": "must be UTF-8", "type": "value_error"}]
            ) from None
    raise HTTPException(415, f"Content-Type must be application/json or {FORM}")


def validate(model: type[M], data: dict[str, Any]) -> M:
    """Validates like FastAPI does for a declared body: errors become a 422 naming each field."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise RequestValidationError(
            [{"loc": ("body", *e["loc"]), "msg": e["msg"], "type": e["type"]} for e in exc.errors()]
        ) from None


def openapi_body(model: type[BaseModel]) -> dict[str, Any]:
    """OpenAPI request-body entry for an endpoint that reads its body with read_body()."""
    schema = model.model_json_schema()
    return {
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": schema}, FORM: {"schema": schema}},
        }
    }
