"""Dependencies shared by the routers, as Annotated aliases.

All `async def`: FastAPI runs a plain `def` dependency in a worker thread, and two thread
hand-offs per request were a sixth of the gateway's CPU at intake (py-spy)."""

from __future__ import annotations

import hmac
from typing import Annotated
from urllib.parse import parse_qsl, unquote_to_bytes

from fastapi import Depends, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from shvya_gateway import text_rule
from shvya_gateway.backends import Backends
from shvya_gateway.settings import GatewaySettings


async def _settings(request: Request) -> GatewaySettings:
    return request.app.state.settings


async def _backends(request: Request) -> Backends:
    return request.app.state.backends


SettingsDep = Annotated[GatewaySettings, Depends(_settings)]
BackendsDep = Annotated[Backends, Depends(_backends)]


# Declared as FastAPI security schemes so the OpenAPI document names them on every admin route;
# neither refuses by itself (auto_error=False): with no ADMIN_TOKEN set, admin routes are open.
_bearer = HTTPBearer(
    auto_error=False,
    scheme_name="adminBearer",
    description="`Authorization: Bearer <ADMIN_TOKEN>`; needed only when the gateway has an ADMIN_TOKEN.",
)
_header = APIKeyHeader(
    name="X-Admin-Token",
    auto_error=False,
    scheme_name="adminToken",
    description="The admin token in a header of its own.",
)


async def require_admin(
    settings: SettingsDep,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    header: Annotated[str | None, Depends(_header)],
) -> None:
    """Admin endpoints need `Authorization: Bearer <ADMIN_TOKEN>` (or X-Admin-Token) when a token is set."""
    if settings.admin_token is None:
        return
    given = bearer.credentials.strip() if bearer else (header or "")
    if not given:
        raise HTTPException(401, "admin token required", headers={"WWW-Authenticate": "Bearer"})
    if not hmac.compare_digest(given.encode(), settings.admin_token.get_secret_value().encode()):
        raise HTTPException(403, "invalid admin token")


AdminDep = Depends(require_admin)


# Headers whose values reach the backends as text.
_TEXT_HEADERS = ("idempotency-key",)


async def plain_text_parameters(request: Request) -> None:
    """The text rule for the path, the query string and the text headers, as for bodies.

    Starlette decodes invalid UTF-8 in the path and query to U+FFFD; they are decoded again
    here from the raw bytes so that such a byte is a 422 rather than a changed value."""
    errors = []
    raw_path = request.scope.get("raw_path") or request.scope["path"].encode()
    path_problem = text_rule.problem(unquote_to_bytes(raw_path).decode("utf-8", "surrogateescape"))
    if path_problem:
        errors.append({"loc": ("path",), "msg": path_problem[0], "type": path_problem[1]})
    query = request.scope.get("query_string", b"").decode("latin-1")
    for name, value in parse_qsl(query, keep_blank_values=True, encoding="utf-8", errors="surrogateescape"):
        found = text_rule.problem(name) or text_rule.problem(value)
        if found:
            errors.append({"loc": ("query", text_rule.printable(name)), "msg": found[0], "type": found[1]})
    for name in _TEXT_HEADERS:
        value = request.headers.get(name)
        found = text_rule.problem(value) if value is not None else None
        if found:
            errors.append({"loc": ("header", name), "msg": found[0], "type": found[1]})
    if errors:
        raise RequestValidationError(errors)
