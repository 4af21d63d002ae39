"""Every error answer as RFC 9457 problem details (application/problem+json), whoever produced it
(rewritten in edge.py)."""

from __future__ import annotations

import json
from http import HTTPStatus

MEDIA_TYPE = "application/problem+json"

# One schema for every error the API documents. `detail` keeps the shape clients already read: the
# explanation as a string, or for a 422 the list of invalid fields (`loc`, `msg`, `type`), which a
# generic problem-details reader ignores (RFC 9457 §3.1: a member of another type is ignored).
SCHEMA = {
    "title": "Problem",
    "type": "object",
    "description": "An error, as RFC 9457 problem details.",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string", "format": "uri-reference", "default": "about:blank"},
        "title": {"type": "string", "description": "The HTTP status's phrase.", "examples": ["Not Found"]},
        "status": {"type": "integer", "examples": [404]},
        "detail": {
            "anyOf": [
                {"type": "string"},
                {"type": "array", "items": {"$ref": "#/components/schemas/FieldProblem"}},
            ],
            "description": "What went wrong; for a 422, each invalid field.",
        },
    },
}
FIELD_SCHEMA = {
    "title": "FieldProblem",
    "type": "object",
    "required": ["loc", "msg", "type"],
    "properties": {
        "loc": {
            "type": "array",
            "items": {"anyOf": [{"type": "string"}, {"type": "integer"}]},
            "examples": [["body", "phone_number"]],
        },
        "msg": {"type": "string", "examples": ["is not a valid phone number"]},
        "type": {"type": "string", "examples": ["value_error"]},
    },
}


def as_problem(status: int, body: bytes) -> bytes | None:
    """`body` with the problem-details members added, or None when it is not a JSON error object."""
    try:
        content = json.loads(body)
    except ValueError:
        return None
    if not isinstance(content, dict) or "detail" not in content:
        return None
    try:
        title = HTTPStatus(status).phrase
    except ValueError:
        title = "Error"
    problem = {"type": "about:blank", "title": title, "status": status, **content}
    return json.dumps(problem, separators=(",", ":")).encode()
