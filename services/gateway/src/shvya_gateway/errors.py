"""HTTP errors for failures of the gRPC backends, and for anything unexpected."""

from __future__ import annotations

import logging

import grpc
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from grpc import aio

from shvya_rpc import credentials as forwarding
from shvya_rpc.errors import field_violations

log = logging.getLogger(__name__)

_STATUS = {
    grpc.StatusCode.PERMISSION_DENIED: 403,
    grpc.StatusCode.NOT_FOUND: 404,
    grpc.StatusCode.ALREADY_EXISTS: 409,
    grpc.StatusCode.ABORTED: 409,
    grpc.StatusCode.FAILED_PRECONDITION: 409,
    grpc.StatusCode.RESOURCE_EXHAUSTED: 429,
    grpc.StatusCode.UNAVAILABLE: 503,
    grpc.StatusCode.DEADLINE_EXCEEDED: 504,
}


def validation_error(loc: tuple[str, ...], msg: str, type_: str = "value_error") -> JSONResponse:
    """A 422 in FastAPI's own shape, so clients parse one format for every field error."""
    return JSONResponse(status_code=422, content={"detail": [{"loc": list(loc), "msg": msg, "type": type_}]})


def rpc_error_response(exc: aio.AioRpcError, *, location: str = "body", strip: str = "") -> JSONResponse:
    """`strip` removes a prefix from the backend's field names (a gRPC request's wrapper
    message, such as "settings.", that the REST body does not have)."""
    code = exc.code()
    if code == grpc.StatusCode.INVALID_ARGUMENT:
        violations = field_violations(exc) or {"": exc.details() or "invalid request"}
        if strip:
            violations = {f.removeprefix(strip): r for f, r in violations.items()}
        return JSONResponse(
            status_code=422,
            content={
                "detail": [
                    {
                        "loc": [location, *field.split(".")] if field else [location],
                        "msg": reason,
                        "type": "value_error",
                    }
                    for field, reason in violations.items()
                ]
            },
        )
    status = _STATUS.get(code)
    if code == grpc.StatusCode.UNAUTHENTICATED and forwarding.forwarded() is not None:
        # The crm did not recognise the caller's credential (a wrong mesh token stays a 502 below).
        return JSONResponse(
            status_code=401,
            content={"detail": exc.details() or "unauthenticated"},
            headers={"WWW-Authenticate": "Bearer"},
        )
    if status is None:
        # Misconfiguration between services (a token mismatch, an unknown
        # method) is the gateway's upstream failing, not the client's fault.
        log.error("backend call failed: %s %s", code.name, exc.details())
        return JSONResponse(status_code=502, content={"detail": "upstream service error"})
    headers = {"Retry-After": "1"} if status in (503, 429) else None
    return JSONResponse(status_code=status, content={"detail": exc.details() or code.name}, headers=headers)


def install(app: FastAPI) -> None:
    @app.exception_handler(aio.AioRpcError)
    async def _rpc(request: Request, exc: aio.AioRpcError) -> JSONResponse:
        return rpc_error_response(exc)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return JSONResponse(status_code=500, content={"detail": "internal error"})
