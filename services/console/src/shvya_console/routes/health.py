"""Liveness and readiness, for the probes and `make up`."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from grpc_health.v1 import health_pb2

router = APIRouter()


@router.get("/healthz", include_in_schema=False)
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz", include_in_schema=False)
async def readyz(request: Request) -> JSONResponse:
    """Ready while the crm and the conductor answer their health checks: without them no page works."""
    backends = request.app.state.backends

    async def check(name: str) -> tuple[str, bool]:
        try:
            reply = await backends.health[name].Check(health_pb2.HealthCheckRequest(), timeout=2)
            return name, reply.status == health_pb2.HealthCheckResponse.SERVING
        except Exception:
            return name, False

    results = dict(await asyncio.gather(*(check(name) for name in backends.health)))
    ready = all(results.values())
    return JSONResponse({"ready": ready, "backends": results}, status_code=200 if ready else 503)
