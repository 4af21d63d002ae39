"""/healthz (the process is up) and /readyz (its backends answer)."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from grpc import aio
from grpc_health.v1 import health_pb2

from shvya_gateway.deps import BackendsDep

router = APIRouter(tags=["health"])


@router.get("/healthz", summary="Liveness")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz", summary="Readiness: crm and conductor answer their health checks")
async def readyz(backends: BackendsDep) -> JSONResponse:
    async def check(stub) -> str:
        try:
            reply = await stub.Check(health_pb2.HealthCheckRequest(), timeout=1.0)
        except aio.AioRpcError as exc:
            return exc.code().name
        return health_pb2.HealthCheckResponse.ServingStatus.Name(reply.status)

    names = list(backends.health)
    results = await asyncio.gather(*(check(backends.health[n]) for n in names))
    checks = dict(zip(names, results, strict=True))
    ready = all(v == "SERVING" for v in checks.values())
    return JSONResponse(
        status_code=200 if ready else 503,
        content={"status": "ready" if ready else "not ready", "checks": checks},
    )
