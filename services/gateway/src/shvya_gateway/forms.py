"""Reading a request body as JSON or as an HTML form, and validating it into a model."""

from __future__ import annotations

from typing import Any, TypeVar
from urllib.parse import parse_qsl

from fastapi import HTTPException, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ValidationError

from shvya_gateway import bounded_json, text_rule

M = TypeVar("M", bound=BaseModel)

FORM = "application/x-www-form-urlencoded"


def _json_object(raw: bytes) -> dict[str, Any]:
    try:
        value = bounded_json.loads(raw)
    except bounded_json.JsonRefused as exc:
        raise RequestValidationError([{"loc": ("body",), "msg": str(exc), "type": exc.kind}]) from None
    if not isinstance(value, dict):
        raise RequestValidationError(
            [{"loc": ("body",), "msg": "must be a JSON object", "type": "dict_type"}]
        )
    return value


def _form(raw: bytes) -> dict[str, Any]:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise RequestValidationError(
            [{"loc": ("body",), "msg": "must be valid UTF-8 text", "type": "utf8_invalid"}]
        ) from None
    # A percent-escaped byte that is not UTF-8 becomes a lone surrogate, which the text
    # rule then refuses naming its field (the default would store U+FFFD in its place).
    return dict(parse_qsl(text, keep_blank_values=True, encoding="utf-8", errors="surrogateescape"))


def _checked(data: dict[str, Any]) -> dict[str, Any]:
    errors = list(text_rule.violations(data, ("body",)))
    if errors:
        raise RequestValidationError(errors)
    return data


async def read_body(request: Request) -> dict[str, Any]:
    """The body as a dict: JSON, or an HTML form post (a website can post its form directly).
    Every text in it is valid UTF-8 without control characters (text_rule), or this is a 422."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    raw = await request.body()
    if content_type == "application/json" or content_type.endswith("+json"):
        return _checked(_json_object(raw))
    if content_type == FORM:
        # `curl -d '{...}'` sends JSON labelled as a form; accept what was meant.
        if raw.lstrip().startswith(b"{"):
            return _checked(_json_object(raw))
        return _checked(_form(raw))
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
