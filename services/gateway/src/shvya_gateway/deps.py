"""Dependencies shared by the routers, as Annotated aliases.

All `async def`: FastAPI runs a plain `def` dependency in a worker thread, and two thread
hand-offs per request were a sixth of the gateway's CPU at intake (py-spy). That matters here too:
the credential is set in a contextvar, which a thread would not hand back to the endpoint."""

from __future__ import annotations

import hmac
from typing import Annotated
from urllib.parse import parse_qsl, unquote_to_bytes

from fastapi import Depends, HTTPException, Request, Security
from fastapi.exceptions import RequestValidationError
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from shvya.crm.v1 import users_service_pb2 as users_pb
from shvya_gateway import credentials, text_rule
from shvya_gateway.backends import Backends
from shvya_gateway.settings import GatewaySettings
from shvya_rpc import credentials as forwarding


async def _settings(request: Request) -> GatewaySettings:
    return request.app.state.settings


async def _backends(request: Request) -> Backends:
    return request.app.state.backends


SettingsDep = Annotated[GatewaySettings, Depends(_settings)]
BackendsDep = Annotated[Backends, Depends(_backends)]

# The credentials an admin endpoint accepts, each declared in the OpenAPI document (any one will
# do). All arrive as `Authorization: Bearer ...`; the crm tells them apart.
_SESSION = HTTPBearer(
    scheme_name="sessionToken",
    description="A person's session token from POST /auth/login (starts with shvs_); expires, revocable.",
    auto_error=False,
)
_API_KEY = HTTPBearer(
    scheme_name="apiKey",
    description="A company's API key (starts with shvk_), limited to its scopes: leads:read, leads:write, "
    "intake, knowledge:read, knowledge:write, settings:read.",
    auto_error=False,
)
_ADMIN = HTTPBearer(
    scheme_name="adminToken",
    description="The platform operator's ADMIN_TOKEN: every company, every operation.",
    auto_error=False,
)
_ADMIN_HEADER = APIKeyHeader(
    name="X-Admin-Token",
    scheme_name="adminTokenHeader",
    description="The platform operator's ADMIN_TOKEN in a header of its own (as before bearer tokens).",
    auto_error=False,
)


async def require_admin(
    request: Request,
    settings: SettingsDep,
    backends: BackendsDep,
    session: Annotated[HTTPAuthorizationCredentials | None, Security(_SESSION)],
    _api_key: Annotated[HTTPAuthorizationCredentials | None, Security(_API_KEY)],
    _admin: Annotated[HTTPAuthorizationCredentials | None, Security(_ADMIN)],
    header: Annotated[str | None, Security(_ADMIN_HEADER)],
) -> None:
    """Authenticates the bearer and forwards it to the crm, which decides what it may do.

    A session token or an API key goes to the crm as it is. Anything else must be ADMIN_TOKEN,
    checked here too so that a wrong token is refused before any backend call. With no
    ADMIN_TOKEN configured (development) a request without a session or key is the gateway's own,
    as admin endpoints always were there."""
    given = (session.credentials.strip() if session else "") or (header or "").strip()
    if given.startswith((credentials.SESSION_PREFIX, credentials.API_KEY_PREFIX)):
        forwarding.forward(given)
        # Asked first, so that a stale session is a 401 before any body is read; the answer
        # (who the caller is) serves the endpoints that act on the caller's own company.
        request.state.me = await backends.crm.users.WhoAmI(
            users_pb.WhoAmIRequest(), timeout=settings.request_timeout_seconds
        )
        return
    if settings.admin_token is None:
        return
    if not given:
        raise HTTPException(401, "a bearer token is required", headers={"WWW-Authenticate": "Bearer"})
    if not hmac.compare_digest(given.encode(), settings.admin_token.get_secret_value().encode()):
        raise HTTPException(403, "invalid admin token")
    forwarding.forward(given)


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


async def require_platform() -> None:
    """For what lies outside the crm (the conductor's queue, the WhatsApp channels), which is the
    platform operator's alone: require_admin has checked ADMIN_TOKEN itself (and had the crm check
    a session or key), and a session or an API key is never the platform."""
    given = forwarding.forwarded()
    if given is not None and given.startswith((credentials.SESSION_PREFIX, credentials.API_KEY_PREFIX)):
        raise HTTPException(403, "only the platform operator (ADMIN_TOKEN) may do this")


# Routers on the conductor or a channel add this after AdminDep.
PlatformDep = Depends(require_platform)
