"""Dependencies shared by the routers, as Annotated aliases.

All `async def`: FastAPI runs a plain `def` dependency in a worker thread, and two thread
hand-offs per request were a sixth of the gateway's CPU at intake (py-spy)."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

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
