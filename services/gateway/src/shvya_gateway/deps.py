"""Dependencies shared by the routers, as Annotated aliases.

All `async def`: FastAPI runs a plain `def` dependency in a worker thread, and two thread
hand-offs per request were a sixth of the gateway's CPU at intake (py-spy)."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, HTTPException, Request

from shvya_gateway.backends import Backends
from shvya_gateway.settings import GatewaySettings


async def _settings(request: Request) -> GatewaySettings:
    return request.app.state.settings


async def _backends(request: Request) -> Backends:
    return request.app.state.backends


SettingsDep = Annotated[GatewaySettings, Depends(_settings)]
BackendsDep = Annotated[Backends, Depends(_backends)]


async def require_admin(request: Request, settings: SettingsDep) -> None:
    """Admin endpoints need `Authorization: Bearer <ADMIN_TOKEN>` (or X-Admin-Token) when a token is set."""
    if settings.admin_token is None:
        return
    given = request.headers.get("x-admin-token", "")
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        given = auth[7:].strip()
    if not given:
        raise HTTPException(401, "admin token required", headers={"WWW-Authenticate": "Bearer"})
    if not hmac.compare_digest(given.encode(), settings.admin_token.get_secret_value().encode()):
        raise HTTPException(403, "invalid admin token")


AdminDep = Depends(require_admin)
